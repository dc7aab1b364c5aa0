// On a Citus cluster (CITUS_URL, `npm run test:citus`): companies' rows are sharded by company, and every statement
// of the hot paths is routed to one shard. Skipped against a single server.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/client.js';
import { applyMigrations, migrationsDir } from '../../src/db/migrate.js';
import { COORDINATOR_TABLES, DISTRIBUTED_TABLES, GLOBAL_KEY_TABLES } from '../../src/db/citus.js';
import request from 'supertest';
import { makeToken } from '../support/api.js';
import { buildApp } from '../support/app.js';
import { adminQuery, createTestDatabase, onCitus, type TestDatabase } from '../support/database.js';
import { makeCompany, makeOrg } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { act, submitThroughForm } from '../support/requests.js';

/** A migration as `npm run db:migration` writes one for a new company table (key, unique (company_id, id), FKs). */
const PROBE_MIGRATION = `-- CreateTable
CREATE TABLE "probe_notes" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "probe_notes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "probe_notes_company_id_id_key" ON "probe_notes"("company_id", "id");

-- AddForeignKey
ALTER TABLE "probe_notes" ADD CONSTRAINT "probe_notes_company_id_fkey" FOREIGN KEY ("company_id")
  REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "probe_notes" ADD CONSTRAINT "probe_notes_company_id_user_id_fkey" FOREIGN KEY ("company_id", "user_id")
  REFERENCES "users"("company_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

describe.runIf(onCitus())('on Citus', () => {
  let db: TestDatabase & { drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const one = async <T>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0] as T;

  it('distributes every company table by company_id, co-located with companies', async () => {
    const { rows } = await db.pool.query<{ name: string; kind: string; column: string; colocation: number }>(
      `SELECT table_name::text AS name, citus_table_type AS kind, distribution_column AS column,
              colocation_id AS colocation FROM citus_tables`,
    );
    const companies = rows.find((r) => r.name === 'companies')!;
    for (const table of DISTRIBUTED_TABLES) {
      const row = rows.find((r) => r.name === table);
      expect(row, table).toMatchObject({ kind: 'distributed', column: 'company_id', colocation: companies.colocation });
    }
    for (const [table, column] of Object.entries(GLOBAL_KEY_TABLES))
      expect(rows.find((r) => r.name === table)).toMatchObject({ kind: 'distributed', column });
    for (const table of COORDINATOR_TABLES)
      expect(rows.find((r) => r.name === table)?.kind ?? 'local').not.toBe('distributed');
  });

  it('places every table of the schema by one of the lists', async () => {
    const { rows } = await db.pool.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    const listed = new Set<string>([
      'companies',
      ...DISTRIBUTED_TABLES,
      ...Object.keys(GLOBAL_KEY_TABLES),
      ...COORDINATOR_TABLES,
    ]);
    expect(rows.map((r) => r.name).filter((name) => !listed.has(name))).toEqual([]);
  });

  it('puts two companies whose ids hash apart on different shards, each row on its own shard only', async () => {
    const shardOf = (table: string, companyId: number) =>
      one<{ id: string }>(`SELECT get_shard_id_for_distribution_column($1::regclass, $2::int)::text AS id`, [
        table,
        companyId,
      ]);
    const a = await makeOrg(db.prisma);
    let b = await makeOrg(db.prisma);
    while ((await shardOf('users', b.companyId)).id === (await shardOf('users', a.companyId)).id) {
      await makeCompany(db.prisma);
      b = await makeOrg(db.prisma);
    }
    for (const [org, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const shard = (await shardOf('users', org.companyId)).id;
      const place = await one<{ nodename: string; nodeport: number }>(
        `SELECT nodename, nodeport FROM citus_shards WHERE shardid = $1::bigint`,
        [shard],
      );
      const worker = new pg.Client({
        connectionString: `postgresql://postgres@${place.nodename}:${place.nodeport}/${db.name}`,
      });
      await worker.connect();
      try {
        const count = async (companyId: number) =>
          Number(
            (await worker.query(`SELECT count(*) FROM users_${shard} WHERE company_id = $1`, [companyId])).rows[0]
              .count,
          );
        expect(await count(org.companyId)).toBeGreaterThan(0);
        expect(await count(other.companyId)).toBe(0);
      } finally {
        await worker.end();
      }
    }
  });

  it('answers every statement of the hot paths from one shard (a multi-shard statement would fail here)', async () => {
    const org = await makeOrg(db.prisma);
    // The company's portal and an API token, made before the database turns strict.
    const slug = `citus-${org.companyId}`;
    await db.prisma.company.update({
      where: { id: org.companyId },
      data: { portalEnabled: true, portalSlug: slug, portalIntakeApproverId: org.head.id },
    });
    await db.prisma.portalSlug.create({ data: { slug, companyId: org.companyId } });
    const token = await makeToken(db.prisma, {
      companyId: org.companyId,
      createdById: org.admin.id,
      userId: org.servicesHead.id,
    });
    // From here on, any statement of this database that needs more than one shard is an error: the setting applies to
    // new connections, so the app gets a pool of its own opened after it (sign-in is a hot path too).
    await adminQuery(`ALTER DATABASE "${db.name}" SET citus.multi_task_query_log_level = 'error'`);
    const strict = connectDatabase(db.url, { max: 5, citus: true });
    try {
      const { rows } = await strict.pool.query(`SELECT current_setting('citus.multi_task_query_log_level') AS level`);
      expect(rows[0].level).toBe('error');
      const app = buildApp({ ...db, ...strict });
      const [employee, head, services, worker] = await Promise.all(
        [org.employee, org.head, org.servicesHead, org.worker].map((u) => signIn(app, u.email)),
      );
      const id = await submitThroughForm(employee!, org);
      for (const [agent, path] of [
        [employee, '/solicitudes'],
        [head, '/autorizaciones'],
        [services, '/bandeja'],
        [services, '/bandeja?tab=todas'],
        [services, '/tickets'],
        [worker, '/mis-tickets'],
        [employee, `/solicitudes/${id}`],
        [head, `/solicitudes/${id}`],
        [head, '/indicadores'],
        [employee, '/'],
        [head, '/'],
        [services, '/'],
        [worker, '/'],
        [employee, '/siguiendo'],
      ] as const)
        expect((await agent!.get(path)).status, path).toBe(200);
      // The public portal's page and the API's list and detail.
      expect((await request(app).get(`/p/${slug}`)).status, 'portal').toBe(200);
      for (const path of ['/api/v1/requests', `/api/v1/requests/${id}`])
        expect((await request(app).get(path).set('Authorization', `Bearer ${token}`)).status, path).toBe(200);
      const steps = [
        [head, 'authorize', {}],
        [services, 'approve', { workerId: String(org.worker.id), instructions: 'Revisar la fuga' }],
        [worker, 'start', {}],
        [worker, 'finish', { resolution: 'Se cambió el empaque' }],
      ] as const;
      for (const [agent, action, fields] of steps) {
        expect((await agent!.get(`/solicitudes/${id}`)).status, action).toBe(200);
        expect((await act(agent!, id, action, fields)).status, action).toBe(302);
      }
      for (const agent of [employee, services, worker]) await agent!.get(`/solicitudes/${id}`).expect(200);
    } finally {
      await strict.close();
      await adminQuery(`ALTER DATABASE "${db.name}" RESET citus.multi_task_query_log_level`);
    }
  });

  it('shows a router plan (one task) for a request of one company', async () => {
    const org = await makeOrg(db.prisma);
    const { rows } = await db.pool.query(
      `EXPLAIN SELECT * FROM requests r JOIN tickets t ON t.company_id = r.company_id AND t.request_id = r.id
        WHERE r.company_id = $1 AND r.id = 1`,
      [org.companyId],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Task Count: 1/);
    expect(plan).toMatch(/Custom Scan \(Citus Adaptive\)/);
  });
  it('applies a migration that adds a company table to an already distributed database', async () => {
    const target = await createTestDatabase();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      mkdirSync(path.join(dir, '29990101000000_probe_notes'));
      writeFileSync(path.join(dir, '29990101000000_probe_notes', 'migration.sql'), PROBE_MIGRATION);
      expect(await applyMigrations(target.url, dir)).toEqual(['29990101000000_probe_notes']);
      expect(await applyMigrations(target.url, dir)).toEqual([]);
      const { rows } = await target.pool.query(
        `SELECT table_name::text AS name, distribution_column AS column, colocation_id AS colocation
           FROM citus_tables WHERE table_name IN ('probe_notes'::regclass, 'companies'::regclass)`,
      );
      const companies = rows.find((r) => r.name === 'companies');
      expect(rows.find((r) => r.name === 'probe_notes')).toEqual({
        name: 'probe_notes',
        column: 'company_id',
        colocation: companies.colocation,
      });
      const [a, b] = [await makeOrg(target.prisma), await makeOrg(target.prisma)];
      const insert = (companyId: number, userId: number) =>
        target.pool.query(`INSERT INTO probe_notes (company_id, user_id, body) VALUES ($1, $2, 'nota')`, [
          companyId,
          userId,
        ]);
      await insert(a.companyId, a.employee.id);
      // The composite foreign key holds on the shards: a person of another company is refused.
      await expect(insert(a.companyId, b.employee.id)).rejects.toThrow(/foreign key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.drop();
    }
  });
});
