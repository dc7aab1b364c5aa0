// EJS runs each template inside `with (locals) { … }` unless told the names of its
// locals. Inside `with`, every name is looked up dynamically, which made the inbox page
// render 3.4 times slower than the same template compiled without it (measured). So the
// views are compiled with `_with: false`, and each template file, as it is loaded, starts
// by taking from its locals the words of its own code (templateLocals). EJS's
// own `destructuredLocals` would give every template the names of all of them (over 400,
// read again at every include: 20 due badges on an inbox page). The template body is put
// inside a block, so a name a template declares itself (`const back = …`) simply shadows
// the local of the same name.
import ejs from 'ejs';

// Not locals: JavaScript's words (reserved ones too: they may not be variable names), EJS's own parameters and helpers.
const NOT_LOCALS = new Set(
  `break case catch class const continue debugger default delete do else export extends false finally for function if
   import in instanceof let new null of return super switch this throw true try typeof var void while with yield
   async await enum implements interface package private protected public static
   locals escapeFn include rethrow __append __output __locals __line __lines __filename`.split(/\s+/),
);

const CODE = /<%(?![%#])[_=-]?([\s\S]*?)[_-]?%>/g;
// A name not read as a property (`a.name`); a spread (`...name`) is a name.
const NAMES = /(?<![\w$.])[A-Za-z_$][\w$]*/g;

/**
 * The names a template's code may read from its locals: every word of its code that is not a property, a keyword or a
 * global. Words inside its strings and comments are taken too — harmless, they are then simply undefined — so that no
 * apostrophe in a comment or quote inside a template literal can hide a name.
 */
export function templateLocals(source: string): string[] {
  const names = new Set<string>();
  for (const [, code] of source.matchAll(CODE)) {
    for (const [name] of code!.replaceAll('...', ' ').matchAll(NAMES)) {
      // Globals (String, JSON, encodeURIComponent…) must stay reachable.
      if (!NOT_LOCALS.has(name) && !(name in globalThis)) names.add(name);
    }
  }
  return [...names].sort();
}

/** A template's source as compiled: its own locals taken first (`var`, which its own declarations may repeat). */
export function withOwnLocals(source: string): string {
  const names = templateLocals(source);
  const take = names.length ? `var { ${names.join(', ')} } = locals || {};` : '';
  return `<% ${take} { %>${source}<% } %>`;
}

let installed = false;

/** View options for Express: EJS without `with`, and the block around each template body. */
export function fastViewOptions() {
  if (!installed) {
    installed = true;
    const load = ejs.fileLoader;
    ejs.fileLoader = (file: string) => withOwnLocals(load(file).toString());
  }
  return { _with: false as const };
}
