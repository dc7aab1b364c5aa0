/** Only same-site paths are followed after sign-in or a language switch (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

/**
 * The list a page returns to ("Volver", and after an action): a same-site path with its query, nothing else (no
 * other site, no control characters, no absurd length); undefined when the value is not one.
 */
export function safeReturn(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 500 && /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : undefined;
}

/** `path` with `?volver=<back>` when there is a list to return to. */
export function withReturn(path: string, back: string | undefined): string {
  return back ? `${path}${path.includes('?') ? '&' : '?'}volver=${encodeURIComponent(back)}` : path;
}
