// The search's limit (issue 23, the very large company): a search returns the newest SEARCH_LIMIT matches and says
// when there are more, whichever way it found them — common words (pg_stats) read the newest requests first, other
// words go through the GIN index and are checked against every word, newest first.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor, type Actor } from '../../src/auth/index.js';
import { SEARCH_LIMIT, searchRequests } from '../../src/conversation/index.js';
import { commonLexemes } from '../../src/conversation/search.js';
import { buildApp } from '../support/app.js';
import { createTestDatabase, onCitus, type TestDatabase } from '../support/database.js';
import { makeOrg } from '../support/factories.js';
import { signIn } from '../support/http.js';

let db: TestDatabase & { drop(): Promise<void> };
let app: Express;
let org: Awaited<ReturnType<typeof makeOrg>>;
let admin: Actor;
/** The requests made, newest first: id and title. */
let made: { id: number; title: string }[];

const LEAKS = 240;
const LOCKS = 20;

beforeAll(async () => {
  db = await createTestDatabase();
  org = await makeOrg(db.prisma);
  const other = await makeOrg(db.prisma);
  // g = 1 is the newest; "Fuga de agua g" for most, "Cambio de cerradura g" for the last ones.
  const insert = (companyId: number, o: typeof org) =>
    db.pool.query(
      `INSERT INTO requests (company_id, number, requester_id, requester_unit_id, authorizer_unit_id, service_area_id,
                             category_id, title, description, status, created_at, updated_at)
       SELECT $1, g, $2, $3, $3, $4, $5,
              CASE WHEN g <= $6::int THEN 'Fuga de agua ' || g ELSE 'Cambio de cerradura ' || g END,
              'Detalle ' || g, 'PENDING', now() - g * interval '1 minute', now()
         FROM generate_series(1, $6::int + $7::int) g`,
      [companyId, o.employee.id, o.unit.id, o.area.id, o.category.id, LEAKS, LOCKS],
    );
  await insert(org.companyId, org);
  await insert(other.companyId, other);
  // Every request of the company has a ticket of the worker, for the tray's search.
  await db.pool.query(
    `INSERT INTO tickets (company_id, number, request_id, service_area_id, worker_id, assigned_by_id, instructions,
                          status, assigned_at)
     SELECT company_id, number, id, service_area_id, $2, $3, 'Revisar', 'ASSIGNED', created_at
       FROM requests WHERE company_id = $1`,
    [org.companyId, org.worker.id, org.servicesHead.id],
  );
  // The statistics the search reads to tell common words ("fuga", "agua") from the others.
  await db.pool.query('ANALYZE requests');
  made = (
    await db.pool.query<{ id: number; title: string }>(
      'SELECT id, title FROM requests WHERE company_id = $1 ORDER BY created_at DESC, id DESC',
      [org.companyId],
    )
  ).rows;
  admin = (await loadActor(db.prisma, org.admin.id))!;
  app = buildApp(db);
});

afterAll(async () => {
  await db.drop();
});

/** The newest SEARCH_LIMIT requests whose title matches, and whether more do. */
function expected(matches: (title: string) => boolean) {
  const all = made.filter((r) => matches(r.title)).map((r) => r.id);
  return { ids: all.slice(0, SEARCH_LIMIT), more: all.length > SEARCH_LIMIT };
}
const leak = (t: string) => t.startsWith('Fuga de agua ');
const numbered = (t: string, n: string) => t.split(' ').at(-1) === n;

describe('a search with more matches than its limit', () => {
  it('returns the newest ones, whether its words are common ("fuga", "agu") or not ("cerradura", "12")', async () => {
    const cases: [string, (t: string) => boolean][] = [
      ['fuga', leak],
      ['agu', leak],
      // A number is matched whole: "12" finds "Fuga de agua 12", not 120–129 nor 1 200.
      ['agua 1', (t) => leak(t) && numbered(t, '1')],
      ['agua 12', (t) => leak(t) && numbered(t, '12')],
      ['12', (t) => numbered(t, '12')],
      ['cerr 241', (t) => !leak(t) && numbered(t, '241')],
      ['cerradura', (t) => !leak(t)],
      ['fuga cerradura', () => false],
    ];
    for (const [text, matches] of cases) {
      expect(await searchRequests(db.prisma, admin, {}, text), text).toEqual(expected(matches));
    }
    expect(expected(leak).more).toBe(true);
  });

  it('says so on the list, above its newest matches; a search within the limit does not', async () => {
    const agent = await signIn(app, org.admin.email);
    const many = await agent.get('/empresa/solicitudes?tab=todas&q=fuga');
    expect(many.status).toBe(200);
    expect(many.text).toContain('data-search-capped');
    expect(many.text).toContain(`Más de ${SEARCH_LIMIT} solicitudes coinciden con la búsqueda`);
    expect(many.text).toContain(`href="/solicitudes/${made[0]!.id}?`);
    const few = await agent.get('/empresa/solicitudes?tab=todas&q=cerradura');
    expect(few.text).not.toContain('data-search-capped');
    expect(few.text).toContain(`data-tab="todas">`);
    expect(few.text).toMatch(new RegExp(`data-tab="todas">[^<]*<span[^>]*>${LOCKS}</span>`));
  });

  it('says so in the ticket tray too', async () => {
    const worker = await signIn(app, org.worker.email);
    const many = await worker.get('/mis-tickets?tab=asignados&q=fuga');
    expect(many.status).toBe(200);
    expect(many.text).toContain('data-search-capped');
    expect(many.text).toMatch(new RegExp(`data-tab="asignados">[^<]*<span[^>]*>${SEARCH_LIMIT}</span>`));
    const few = await worker.get('/mis-tickets?tab=asignados&q=cerradura');
    expect(few.text).not.toContain('data-search-capped');
    expect(few.text).toMatch(new RegExp(`data-tab="asignados">[^<]*<span[^>]*>${LOCKS}</span>`));
  });
});

describe('the common words', () => {
  it('are read again from the statistics once they are ten minutes old, and the search finds the same', async () => {
    const t = Date.now() + 3_600_000;
    // On Citus the coordinator holds no statistics of the shards' index: no word is common, the index path serves all.
    const common = (lexeme: string) => (onCitus() ? [] : expect.arrayContaining([lexeme]));
    expect(await commonLexemes(db.prisma, t)).toEqual(common('fug'));
    const fresh = await makeOrg(db.prisma);
    await db.pool.query(
      `INSERT INTO requests (company_id, number, requester_id, requester_unit_id, authorizer_unit_id, service_area_id,
                             category_id, title, description, status, created_at, updated_at)
       SELECT $1, g, $2, $3, $3, $4, $5, 'Zanahoria ' || g, 'Huerta', 'PENDING', now() - g * interval '1 second', now()
         FROM generate_series(1, 300) g`,
      [fresh.companyId, fresh.employee.id, fresh.unit.id, fresh.area.id, fresh.category.id],
    );
    await db.pool.query('ANALYZE requests');
    const freshAdmin = (await loadActor(db.prisma, fresh.admin.id))!;
    const before = await searchRequests(db.prisma, freshAdmin, {}, 'zanahoria');
    expect(await commonLexemes(db.prisma, t + 60_000)).not.toContain('zanahori');
    expect(await commonLexemes(db.prisma, t + 11 * 60_000)).toEqual(common('zanahori'));
    // Common now: the newest requests are walked first; the matches are the same.
    expect(await searchRequests(db.prisma, freshAdmin, {}, 'zanahoria')).toEqual(before);
    expect(before.ids).toHaveLength(SEARCH_LIMIT);
    expect(before.more).toBe(true);
  });
});
