// Signing people in through the real login form, and collecting what each scenario needs.
import type pg from 'pg';
import { LARGE } from './build-data.js';
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

/** A visitor's form token and the signed cookie that holds it (what the login form carries; no session). */
export async function anonymousSession(base: string): Promise<Session> {
  const res = await fetch(`${base}/login`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('csrf='));
  const csrf = tokenIn(await res.text());
  if (!cookie || !csrf) throw new Error('no form token from /login');
  return { cookie, csrf };
}

/**
 * Signs in through POST /login and returns the signed-in session with its CSRF token. On a busy machine the app may
 * close a kept-alive connection as fetch reuses it ("fetch failed"): the whole sign-in is then tried again, from a
 * new anonymous session, at most twice more.
 */
export async function signIn(base: string, email: string, password: string, attempt = 1): Promise<Session> {
  try {
    return await signInOnce(base, email, password);
  } catch (err) {
    if (attempt >= 3 || !(err instanceof TypeError)) throw err;
    return signIn(base, email, password, attempt + 1);
  }
}

async function signInOnce(base: string, email: string, password: string): Promise<Session> {
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

type Person = Session & { email: string; companyId: number };

/**
 * Signs in up to `perRole` people of each role (unitHead, services, worker, admin, employee): one per ordinary
 * company, or several of the very large company (`large`). Roles come from the data the benchmark built.
 */
export async function signInByRole(
  base: string,
  db: pg.Client,
  password: string,
  { large, perRole }: { large: boolean; perRole: number },
): Promise<Record<string, Person[]>> {
  const people = await db.query<{ role: string; email: string; company_id: number }>(
    `WITH ranked AS (
       SELECT u.email, u.company_id, u.id,
              CASE WHEN ua.kind = 'SERVICE_AREA' AND ua.head_id = u.id THEN 'services'
                   WHEN ua.kind = 'SERVICE_AREA' AND u.is_worker THEN 'worker'
                   WHEN u.is_company_admin THEN 'admin'
                   WHEN ua.head_id = u.id THEN 'unitHead'
                   ELSE 'employee' END AS role
       FROM users u JOIN units ua ON ua.company_id = u.company_id AND ua.id = u.unit_id
       JOIN companies c ON c.id = u.company_id
       WHERE (c.name = $1) = $2)
     SELECT DISTINCT ON (role, CASE WHEN $2 THEN id ELSE company_id END) role, email, company_id
       FROM ranked ORDER BY role, CASE WHEN $2 THEN id ELSE company_id END, email`,
    [LARGE.name, large],
  );
  const byRole = new Map<string, { email: string; company_id: number }[]>();
  for (const p of people.rows) {
    const list = byRole.get(p.role) ?? [];
    if (list.length < perRole) list.push(p);
    byRole.set(p.role, list);
  }
  const sessions: Record<string, Person[]> = {};
  for (const [role, list] of byRole) {
    sessions[role] = await pool(list, 4, async (p) => ({
      ...(await signIn(base, p.email, password)),
      email: p.email,
      companyId: p.company_id,
    }));
  }
  return sessions;
}
