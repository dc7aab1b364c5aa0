// Every state-changing form of a signed-in page carries its one-time key (formKeys()); a new form that forgets it
// fails here. Forms of public pages (and the two of the frame that are answered before sign-in is required) keep
// only the CSRF token.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formKeys, onceField } from '../../src/submissions/index.js';

const VIEWS = path.resolve('views');
const CSRF_ONLY = new Set([
  'auth/login.ejs',
  'signup/form.ejs',
  'signup/check-email.ejs',
  'accounts/forgot.ejs',
  'accounts/set-password.ejs',
  // The public portal (/p/<slug>): guests are not signed in.
  'portal/form.ejs',
  'portal/lookup.ejs',
  'portal/status.ejs',
  // The second step of a sign-in (nobody is signed in yet).
  'two-factor/challenge.ejs',
  // The satisfaction survey of a finished request's email link: answered without signing in.
  'satisfaction/survey.ejs',
  // Language switch and sign-out: answered before the one-time keys are checked.
  'partials/footer.ejs',
  'partials/header.ejs',
  // The benchmark's fixed ceiling page, not a form anybody posts.
  'bench/baseline.ejs',
]);

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? templates(full) : e.name.endsWith('.ejs') ? [full] : [];
  });
}

/** The post forms of a template, each as its text from <form to </form>. */
function postForms(source: string): string[] {
  return [...source.matchAll(/<form\b[^>]*method="post"[\s\S]*?<\/form>/gi)].map((m) => m[0]);
}

describe('form keys', () => {
  it('every post form of a signed-in page draws formKeys(); public ones only the CSRF token', () => {
    const missing: string[] = [];
    for (const file of templates(VIEWS)) {
      const name = path.relative(VIEWS, file).split(path.sep).join('/');
      postForms(readFileSync(file, 'utf8')).forEach((form, i) => {
        const keyed = form.includes('formKeys()');
        const csrfOnly = form.includes('name="_csrf"');
        if (CSRF_ONLY.has(name) ? !csrfOnly || keyed : !keyed || csrfOnly) missing.push(`${name} (form ${i + 1})`);
      });
    }
    expect(missing).toEqual([]);
  });

  it('draws a fresh key for each form and escapes the token', () => {
    const a = /value="([^"]+)"/.exec(onceField())![1];
    const b = /value="([^"]+)"/.exec(onceField())![1];
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    expect(formKeys('a"b')).toContain('name="_csrf" value="a&quot;b"');
    expect(formKeys('t')).toMatch(/name="_once" value="[0-9a-f-]{36}"/);
  });
});
