import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { translator } from '../../src/web/i18n.js';
import { fragmentRenderer } from '../../src/web/fragments.js';
import { viewHelpers } from '../../src/web/view-helpers.js';
import { viewOptions } from '../../src/web/view-options.js';
import { viewsWith } from '../support/views.js';

const options = (root: string, cache = true) => ({ viewOptions: viewOptions(root), cache, helpers: viewHelpers });

describe('fragments', () => {
  it("renders a template with the call's data and the helpers, escaped, and nothing of the page", () => {
    const root = viewsWith({
      'partials/chip.ejs':
        `<b><%= label %></b> <%= formatNumber('SOL', n) %>` +
        `|<%= typeof secret === 'undefined' ? 'unseen' : secret %>`,
    });
    const fragment = fragmentRenderer(options(root));
    expect(fragment('/partials/chip', { label: '<x & "y">', n: 7 })).toBe(
      '<b>&lt;x &amp; &quot;y&quot;&gt;</b> SOL-000007|unseen',
    );
    // The data shadows a helper of the same name, for that call only.
    expect(fragment('/partials/chip', { label: 'a', n: 8, formatNumber: () => 'mine' })).toBe('<b>a</b> mine|unseen');
    expect(fragment('/partials/chip', { label: 'b', n: 9 })).toBe('<b>b</b> SOL-000009|unseen');
  });

  it('renders the due badge exactly as an include of it did, for every state', async () => {
    const root = path.join(projectRoot, 'views');
    const fragment = fragmentRenderer(options(root));
    const page = viewsWith({ 'page.ejs': "<%- include('/partials/due-badge', { due }) %>" });
    const t = translator('es');
    const currentUser = { timezone: 'America/Bogota' };
    const at = new Date('2026-12-03T15:30:00Z');
    type Due = { state: string; at: Date | null } | null;
    const dues: Due[] = [
      null,
      { state: 'ok', at },
      { state: 'today', at },
      { state: 'late', at },
      { state: 'hold', at: null },
    ];
    for (const due of dues) {
      const locals = { ...viewHelpers, t, lang: 'es', currentUser, due, title: 'page locals' };
      const viaInclude = await ejs.renderFile(path.join(page, 'page.ejs'), locals, { ...viewOptions(root) });
      expect(fragment('/partials/due-badge', { due, t, lang: 'es', currentUser })).toBe(viaInclude);
    }
    expect(fragment('/partials/due-badge', { due: dues[3], t, lang: 'es', currentUser })).toContain('data-due="late"');
  });

  it('reads the template again on each call unless it caches', () => {
    const root = viewsWith({ 'v.ejs': 'one' });
    const cached = fragmentRenderer(options(root, true));
    const fresh = fragmentRenderer(options(root, false));
    expect([cached('/v', {}), fresh('/v', {})]).toEqual(['one', 'one']);
    writeFileSync(path.join(root, 'v.ejs'), 'two');
    expect([cached('/v', {}), fresh('/v', {})]).toEqual(['one', 'two']);
  });

  it('refuses names that are not views', () => {
    const fragment = fragmentRenderer(options(viewsWith({ 'v.ejs': 'x' })));
    for (const name of ['v', '/../v', '/v.ejs', '', '/a//b']) {
      expect(() => fragment(name, {})).toThrow(/not a view name/);
    }
  });
});
