import path from 'node:path';
import ejs from 'ejs';
import { describe, expect, it } from 'vitest';
import { fastViewOptions, templateLocals, withOwnLocals } from '../../src/web/template-locals.js';
import { viewsWith } from '../support/views.js';

describe('template locals', () => {
  it("takes the words of a template's code, not properties, keywords, globals or EJS comments", () => {
    const names = templateLocals(
      `<% for (const r of rows) { %><%= t('requests.fields.title') %> <%= r.title %><% } %>` +
        `<%- include('../a', { q: filters.q }) %>` +
        `<%= JSON.stringify(encodeURIComponent(title)) %><%# not code: ignored %>` +
        // An apostrophe in a comment or a template literal hides nothing; a spread is a name.
        "<% // it's here\n const all = [first, ...others].map((o) => `${o.label}'s`); %>",
    );
    expect(names).toEqual(expect.arrayContaining(['rows', 't', 'r', 'filters', 'q', 'title', 'first', 'others', 'o']));
    for (const absent of ['for', 'const', 'of', 'include', 'JSON', 'encodeURIComponent', 'fields', 'stringify']) {
      expect(names).not.toContain(absent);
    }
    expect(names).not.toContain('ignored');
    expect(names).not.toContain('label');
  });

  it('renders without `with`: locals, missing locals, and a name the template declares itself', async () => {
    const dir = viewsWith({
      'page.ejs':
        `<% const back = link(); %><%= back %>|<%= typeof help !== 'undefined' ? help : 'none' %>|` +
        `<%- include('part', { extra: 1 }) %>`,
      'part.ejs': `<%= back %>-<%= extra %>`,
    });
    const opts = fastViewOptions();
    const html = await ejs.renderFile(path.join(dir, 'page.ejs'), { link: () => 'L', back: 'from-locals' }, opts);
    // The template's own `back` shadows the local inside it; the included part sees the local.
    expect(html).toBe('L|none|from-locals-1');
  });

  it('takes from the locals only the names the template uses', () => {
    expect(withOwnLocals('<%= a %><% var b = 1 %>')).toBe(
      '<% var { a, b } = locals || {}; { %><%= a %><% var b = 1 %><% } %>',
    );
    expect(withOwnLocals('<p>plain</p>')).toBe('<%  { %><p>plain</p><% } %>');
  });
});
