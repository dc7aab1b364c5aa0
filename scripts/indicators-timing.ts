// Times the indicators dashboard query by query on an existing benchmark database,
// through the app's own pool (named statements, generic plans), one request at a time.
//   npx tsx scripts/indicators-timing.ts [--url postgresql://…/bench_100_1000000] [--companies 5] [--runs 7] [--days 90]
// Without --url it uses the embedded benchmark server (EMBEDDED_PG_PORT + 1) and the
// database of 100 companies and 1 000 000 requests built by `npm run bench`.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { loadActor } from '../src/auth/actor.js';
import { addDays, localDate } from '../src/indicators/period.js';
import * as q from '../src/indicators/queries.js';
import { parseFilters } from '../src/indicators/schema.js';
import { filterOptions, loadDashboard, loadIndicatorsPage, queryContext } from '../src/indicators/service.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    companies: { type: 'string', default: '5' },
    runs: { type: 'string', default: '7' },
    days: { type: 'string', default: '90' },
  },
});

const url =
  args.url ?? `postgresql://postgres:postgres@127.0.0.1:${loadConfig().EMBEDDED_PG_PORT + 1}/bench_100_1000000`;
const { prisma, close } = connectDatabase(url, { max: 10 });
type Q = (db: typeof prisma, ctx: q.QueryContext) => Promise<unknown>;
const QUERIES: Record<string, Q> = {
  dashboardFigures: (db, ctx) => q.dashboardFigures(db, ctx),
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

try {
  const admins = await prisma.user.findMany({
    where: { isCompanyAdmin: true },
    select: { id: true },
    orderBy: { companyId: 'asc' },
    take: Number(args.companies),
  });
  const now = new Date();
  const times = new Map<string, number[]>();
  const add = (k: string, ms: number) => times.set(k, [...(times.get(k) ?? []), ms]);
  for (let run = 0; run < Number(args.runs); run++) {
    for (const { id } of admins) {
      const actor = (await loadActor(prisma, id))!;
      const to = localDate(now, actor.timezone);
      const filters = parseFilters({ desde: addDays(to, -(Number(args.days) - 1)), hasta: to }, now, actor.timezone);
      const ctx = queryContext(actor, filters, now);
      const options = await filterOptions(prisma, actor, ctx.scope);
      // Each query alone, one after the other…
      for (const [name, fn] of Object.entries(QUERIES)) add(name, await time(() => fn(prisma, ctx)));
      add('filterOptions', await time(() => filterOptions(prisma, actor, ctx.scope)));
      add('loadDashboard', await time(() => loadDashboard(prisma, ctx, options.categories)));
      // …then the whole page's data as the route loads it (one statement).
      add('loadIndicatorsPage', await time(() => loadIndicatorsPage(prisma, actor, filters, now)));
    }
  }
  console.log(`${admins.length} companies × ${args.runs} runs, ${args.days} days; median and max ms:`);
  for (const [k, xs] of times)
    console.log(
      `  ${k.padEnd(22)} ${median(xs).toFixed(1).padStart(8)} ${Math.max(...xs)
        .toFixed(1)
        .padStart(8)}`,
    );
} finally {
  await close();
}
