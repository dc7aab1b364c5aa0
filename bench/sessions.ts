// Signing people in through the real login form, and collecting what each scenario needs.
export interface Session {
  cookie: string;
  csrf: string;
}

function cookieOf(res: Response): string | null {
  const set = res.headers.getSetCookie?.() ?? [];
  const sid = set.map((c) => c.split(';')[0]!).find((c) => c.startsWith('sid='));
  return sid ?? null;
}

const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;

/** An anonymous session holding a CSRF token (what the login form carries). */
export async function anonymousSession(base: string): Promise<Session> {
  const res = await fetch(`${base}/login`);
  const cookie = cookieOf(res);
  const csrf = tokenIn(await res.text());
  if (!cookie || !csrf) throw new Error('no session from /login');
  return { cookie, csrf };
}

/** Signs in through POST /login and returns the signed-in session with its CSRF token. */
export async function signIn(base: string, email: string, password: string): Promise<Session> {
  const anon = await anonymousSession(base);
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: anon.csrf }),
  });
  const cookie = cookieOf(res);
  if (res.status !== 302 || !cookie) throw new Error(`sign-in of ${email} failed (${res.status})`);
  const page = await fetch(`${base}/solicitudes/nueva`, { headers: { cookie } });
  const csrf = tokenIn(await page.text());
  if (!csrf) throw new Error(`no CSRF token for ${email}`);
  return { cookie, csrf };
}

/** Runs `fn` over items with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
