// How the app compiles its views, in one place: Express's `view options` and the fragments (fragments.ts) are given
// the same object, so a fragment's HTML is the HTML an include of the same template would give.
import { fastViewOptions } from './template-locals.js';
import { escapeHtml } from './view-helpers.js';

export interface ViewOptions {
  /** Includes name their template from the views folder ('/partials/header'): EJS resolves such a path against
   * `root` without asking the file system on every include. */
  readonly root: string;
  /** Indentation of the templates is not sent: smaller pages, less to write per response. */
  readonly rmWhitespace: true;
  readonly escape: (value: unknown) => string;
  /** No `with`: each template takes its own names from its locals (template-locals.ts). */
  readonly _with: false;
}

export function viewOptions(root: string): ViewOptions {
  return Object.freeze({ root, rmWhitespace: true, escape: escapeHtml, ...fastViewOptions() });
}
