// EJS runs each template inside `with (locals) { … }` unless told the names of its
// locals. Inside `with`, every name is looked up dynamically, which made the inbox page
// render 3.4 times slower than the same template compiled without it (measured). So the
// views are compiled with `_with: false` and the names every template may use, found
// by scanning them once at start-up; each template body is put inside a block, so a
// name a template declares itself (`const back = …`) simply shadows the local of the
// same name.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

// Not locals: JavaScript's words, EJS's own parameters and helpers.
const NOT_LOCALS = new Set(
  `break case catch class const continue debugger default delete do else export extends false finally for function if
   import in instanceof let new null of return super switch this throw true try typeof var void while with yield
   async await
   locals escapeFn include rethrow __append __output __locals __line __lines __filename`.split(/\s+/),
);

const CODE = /<%(?![%#])[_=-]?([\s\S]*?)[_-]?%>/g;
const STRINGS = /'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g;
const NAMES = /(?<![\w$.])[A-Za-z_$][\w$]*/g;

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? templates(full) : e.name.endsWith('.ejs') ? [full] : [];
  });
}

/** Every free name the templates under `viewsDir` may read from their locals. */
export function templateLocals(viewsDir: string): string[] {
  const names = new Set<string>();
  for (const file of templates(viewsDir)) {
    for (const [, code] of readFileSync(file, 'utf8').matchAll(CODE)) {
      for (const [name] of code!.replace(STRINGS, "''").matchAll(NAMES)) {
        // Globals (String, JSON, encodeURIComponent…) must stay reachable.
        if (!NOT_LOCALS.has(name) && !(name in globalThis)) names.add(name);
      }
    }
  }
  return [...names].sort();
}

let installed = false;

/** View options for Express: EJS without `with`, and the block around each template body. */
export function fastViewOptions(viewsDir: string) {
  if (!installed) {
    installed = true;
    const load = ejs.fileLoader;
    ejs.fileLoader = (file: string) => `<% { %>${load(file)}<% } %>`;
  }
  return { _with: false, destructuredLocals: templateLocals(viewsDir) };
}
