// A partial repeated on every row of a list (the due badge) is rendered as a fragment: its template is called with
// only the data of the call, over the view helpers. EJS's include first copies every local of the page (the helpers,
// the person, the page's own data: some fifty names) into a new object, for each of the twenty rows; on an inbox page
// those copies were a quarter of the rendering's CPU (npm run bench:render, docs/benchmark.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { withOwnLocals } from './template-locals.js';
import type { ViewOptions } from './view-options.js';

export interface FragmentOptions {
  /** The app's view options (view-options.ts); a fragment is named from their `root`, as includes are. */
  viewOptions: ViewOptions;
  /** Compile each template once (production), or read it again on every call (development). */
  cache: boolean;
  /** What every fragment may use besides its data (the view helpers). */
  helpers: object;
}

export type Fragment = (name: string, data: Record<string, unknown>) => string;

const NAME = /^(\/[\w-]+)+$/;

/** `fragment(name, data)` for the views: the template `name` rendered with `data` and the helpers, nothing else. */
export function fragmentRenderer(opts: FragmentOptions): Fragment {
  const compiled = new Map<string, ejs.TemplateFunction>();
  return (name, data) => {
    let render = compiled.get(name);
    if (!render) {
      // Names are written in the templates, never taken from a request; still, nothing outside the views is read.
      if (!NAME.test(name)) throw new Error(`fragment(): not a view name: ${name}`);
      const filename = path.join(opts.viewOptions.root, `${name}.ejs`);
      // Compiled as the app compiles its views: the same options, the template's own names taken from its locals.
      render = ejs.compile(withOwnLocals(readFileSync(filename, 'utf8')), { ...opts.viewOptions, filename });
      if (opts.cache) compiled.set(name, render);
    }
    // The helpers are the locals' prototype: read as any local, never copied.
    return render(Object.assign(Object.create(opts.helpers) as object, data));
  };
}
