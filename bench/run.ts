// npm run bench [-- --requests 1000000] [--companies 100] [--large-company] [--duration 10] [--connections 50]
// [--only a,b] [--out FILE] [--profile] [--gc] [--rounds 3] [--compare FILE] [--citus]
// (--citus: against the local Citus cluster of `npm run citus:start`, CITUS_URL overrides)
// Builds (or reuses) a database at the chosen scale, starts the app in production
// mode as its own process, drives each scenario with autocannon and writes
// bench/results.json.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import bcrypt from 'bcrypt';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { applyMigrations } from '../src/db/migrate.js';
import { citusNodes, dropCitusDatabase, prepareCitusDatabase } from '../src/db/citus.js';
import { installQueueAt } from '../src/notifications/queue.js';
import { projectRoot } from '../src/paths.js';
import { buildData, existingScale } from './build-data.js';
import { GcTrace } from './gc-trace.js';
import { ratios, type Refs, type Result } from './budget.js';
import { scenarios, vacuumWritten, type Scenario, type ScenarioContext } from './scenarios/index.js';
import { signInByRole } from './sessions.js';

const BENCH_PASSWORD = 'bench-password-2026';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '200000' },
    companies: { type: 'string', default: '100' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    sessions: { type: 'string', default: '40' },
    // Writes a CPU profile of the app and prints PostgreSQL's busiest statements per scenario.
    profile: { type: 'boolean', default: false },
    // Runs the app with V8's --trace-gc and records each scenario's collections (bench/gc-trace.ts).
    gc: { type: 'boolean', default: false },
    // Where to write the results (default bench/results.json; a partial run with --only writes nothing unless given).
    out: { type: 'string' },
    // Adds one very large company (2 000 000 requests over 5 years, 300 units, 2 000 people) beside the others.
    'large-company': { type: 'boolean', default: false },
    // Runs the selection N times on the same app process: RSS must not grow from one round to the next.
    rounds: { type: 'string', default: '1' },
    // A results file of another run (e.g. without the large company) to compare each scenario's share of baseline.
    compare: { type: 'string' },
    // Runs against the Citus cluster (scripts/citus.ts): the database is created on every node and distributed.
    citus: { type: 'boolean', default: false },
  },
});
const largeCompany = args['large-company'];
const rounds = Math.max(1, Number(args.rounds));
const scale = { companies: Number(args.companies), requests: Number(args.requests) };
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const log = (m: string) => console.log(m);
const gcTrace = args.gc ? new GcTrace() : undefined;

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as import('node:net').AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function openBenchDatabase() {
  const config = loadConfig();
  const name = `bench_${scale.companies}_${scale.requests}${largeCompany ? '_large' : ''}`;
  let serverUrl = args.citus
    ? (process.env.CITUS_URL ?? 'postgresql://postgres@127.0.0.1:9700/postgres')
    : config.DATABASE_URL;
  let stop = async () => {};
  const nodes = args.citus ? await citusNodes(serverUrl!) : [];
  if (!serverUrl) {
    const db = await startEmbeddedPostgres({
      dataDir: path.join(config.DATA_DIR, 'bench-pg'),
      port: config.EMBEDDED_PG_PORT + 1,
      database: 'postgres',
      postgresFlags: args.profile
        ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_planning=on']
        : [],
    });
    serverUrl = db.url;
    stop = db.stop;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  let reuse = false;
  if (exists) {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const found = await existingScale(c);
    await c.end();
    reuse =
      found !== null &&
      found.companies === scale.companies &&
      found.requests >= scale.requests &&
      found.largeCompany === largeCompany;
    if (!reuse && nodes.length) await dropCitusDatabase(nodes, name);
    else if (!reuse) await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
  }
  if (!reuse && nodes.length) await prepareCitusDatabase(nodes[0]!, nodes.slice(1), name);
  else if (!reuse) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await applyMigrations(url.toString());
  await installQueueAt(url.toString());
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  if (reuse) {
    log(`Reusing database ${name}.`);
    // Whatever an interrupted run left dead is cleared before anything is measured.
    await vacuumWritten(client);
  } else {
    log(`Building database ${name} (${scale.companies} companies, ${scale.requests} requests)…`);
    const t0 = Date.now();
    await buildData(client, scale, await bcrypt.hash(BENCH_PASSWORD, 12), log, { largeCompany });
    log(`  built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  // The app reaches the embedded server through its Unix socket, as a local installation
  // would (~25 % less CPU per query than TCP on loopback, measured with 20 000 queries).
  const appUrl = new URL(url);
  if (!config.DATABASE_URL && !args.citus) appUrl.searchParams.set('host', '/tmp');
  return { url: url.toString(), appUrl: appUrl.toString(), client, stop };
}

/**
 * The Node flags and environment of `npm run start:prod` (package.json), so the benchmark
 * runs what production runs (NODE_ENV is set by the benchmark itself).
 */
function productionCommand(): { flags: string[]; env: Record<string, string> } {
  const script: string = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).scripts['start:prod'];
  const m = /^((?:[A-Z_]+=\S+ )*)node((?: --\S+)*) dist\/server\.js$/.exec(script.trim());
  if (!m) throw new Error(`cannot read the command of start:prod: ${script}`);
  const env = Object.fromEntries(
    m[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
  return { flags: m[2]!.trim().split(/\s+/).filter(Boolean), env };
}

async function startApp(databaseUrl: string): Promise<{ base: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(projectRoot, 'bench', 'profiles')}`] : [];
  const production = productionCommand();
  const flags = [...production.flags, ...profile, ...(gcTrace ? ['--trace-gc'] : [])];
  const child = spawn(process.execPath, [...flags, path.join(projectRoot, 'dist/server.js')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...production.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      BENCH_BASELINE: 'true',
      SEED_DEMO: 'false',
      // As docs/notifications.md advises for larger installs, notifications are delivered by
      // `npm run worker` in its own process; here the jobs are only queued (and counted).
      WORKER_IN_PROCESS: 'false',
      DATA_DIR: path.join(os.tmpdir(), `solicitudes-bench-${process.pid}`),
    },
    // At LOG_LEVEL=warn only warnings and errors reach the terminal (with --gc, every line but V8's).
    stdio: ['ignore', gcTrace ? 'pipe' : 'inherit', 'inherit'],
  });
  if (gcTrace && child.stdout) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => gcTrace.feed(line) || console.log(line));
  }
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`The app stopped in the middle of the benchmark (exit code ${code}, signal ${signal}).`);
    process.exit(1);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A round's RSS: its highest (one scenario's peak, e.g. the dashboard's rows, which the next scenario no longer holds)
 * and the median over its scenarios, what the process keeps from one scenario to the next. Growth is judged on the
 * median: a leak raises every scenario after it, a peak only its own (in one run the dashboard's peak was 216, 228
 * and 228 MB in three rounds while every other scenario stayed within 189–209 MB).
 */
function roundRss(rss: number[]): { highest: number; median: number } {
  const sorted = [...rss].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  return { highest: sorted[sorted.length - 1]!, median };
}

function rssMb(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // the app has just stopped: its exit is reported by startApp
  }
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

type Row = Result;

async function runScenario(s: Scenario, ctx: ScenarioContext, pid: number): Promise<Row> {
  const conns = s.connections ?? connections;
  const fire = (seconds: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const limits = s.amount ? { amount: s.amount(ctx) } : { duration: seconds };
      const instance = autocannon(
        { url: ctx.base, connections: conns, ...limits, ...s.requests(ctx) },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
      autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
    });
  if (warmup > 0 && !s.noWarmup) await fire(warmup);
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb(pid))), 250);
  const before = s.count ? await s.count(ctx) : 0;
  const cpu0 = cpuSeconds(pid);
  const gc0 = gcTrace?.snapshot();
  const result = await fire(duration);
  const gc1 = gcTrace?.snapshot();
  // CPU per request of the app and of PostgreSQL, from /proc: what the budget's item 4 checks. Measured in every
  // run; under --profile it includes the V8 profiler's own cost (results.json says which).
  const cpu1 = cpuSeconds(pid);
  const n = result.requests.total || 1;
  // A PostgreSQL process that exits during the scenario takes its ticks along: never below zero.
  const perRequest = (seconds: number) => Math.max(0, Math.round((100_000 * seconds) / n) / 100);
  const cpu: Row['cpu_ms'] = { app: perRequest(cpu1.app - cpu0.app), pg: perRequest(cpu1.pg - cpu0.pg) };
  log(
    `    CPU per request: app ${cpu.app} ms (system ${perRequest(cpu1.appSys - cpu0.appSys)}), ` +
      `PostgreSQL ${cpu.pg} ms`,
  );
  const gc = gc0 && gc1 ? GcTrace.between(gc0, gc1, n) : undefined;
  if (gc)
    log(
      `    collections: ${gc.scavenges} scavenges, ${gc.mark_compacts} mark-compacts, ` +
        `${gc.pause_ms_per_request} ms of pause per request, heap ${gc.heap_after_mb} MB after`,
    );
  clearInterval(sampler);
  const expected = s.successStatus === 302 ? ['302', '303'] : ['200'];
  const others = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !expected.includes(code));
  if (others.length > 0)
    log(`    other answers than ${expected.join('/')}: ${JSON.stringify(Object.fromEntries(others))}`);
  // Let the requests still in flight at the cut-off finish before counting rows.
  if (s.count) await new Promise((r) => setTimeout(r, 2000));
  const committed = s.count ? (await s.count(ctx)) - before : undefined;
  // A POST answered with its redirect (303/302) is the success of a form submission.
  const ok = s.successStatus === 302 ? result['3xx'] : result['2xx'];
  await s.cleanup?.(ctx);
  return {
    name: s.name,
    connections: conns,
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result['1xx'] + result['4xx'] + result['5xx'] + (s.successStatus === 302 ? result['2xx'] : result['3xx']),
    rss_mb: Math.max(maxRss, rssMb(pid)),
    ...(committed !== undefined ? { committed, answered_ok: ok } : {}),
    cpu_ms: cpu,
    ...(gc ? { gc } : {}),
  };
}

/** CPU seconds used so far by the app process and by all PostgreSQL processes (from /proc). */
function cpuSeconds(appPid: number): { app: number; appSys: number; pg: number } {
  const ticks = (pid: string, which: 'all' | 'sys' = 'all') => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (which === 'all' ? Number(f[11]) : 0) + Number(f[12]);
    } catch {
      return 0;
    }
  };
  let pgTicks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') pgTicks += ticks(pid);
    } catch {
      /* gone */
    }
  }
  // Exited backends are lost; the benchmark's connections live through a scenario.
  return { app: ticks(String(appPid)) / 100, appSys: ticks(String(appPid), 'sys') / 100, pg: pgTicks / 100 };
}

async function resetStatementStats(client: pg.Client) {
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('SELECT pg_stat_statements_reset()');
}

/** The statements that took PostgreSQL's time during the last scenario (with --profile). */
async function printStatementStats(client: pg.Client) {
  const { rows } = await client.query<{ calls: string; exec_ms: number; plan_ms: number; query: string }>(`
    SELECT calls, round(total_exec_time::numeric / calls, 3)::float AS exec_ms,
           round(total_plan_time::numeric / calls, 3)::float AS plan_ms,
           left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
      FROM pg_stat_statements
     WHERE calls > 0 AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY total_exec_time + total_plan_time DESC LIMIT 10`);
  for (const r of rows) log(`    ${r.calls.padStart(7)} calls  exec ${r.exec_ms} ms  plan ${r.plan_ms} ms  ${r.query}`);
}

async function measure(s: Scenario, ctx: ScenarioContext, client: pg.Client, pid: number): Promise<Row> {
  await s.prepare?.(ctx);
  log(`Running ${s.name}…`);
  if (args.profile) await resetStatementStats(client);
  const row = await runScenario(s, ctx, pid);
  if (args.profile) await printStatementStats(client);
  const committed = row.committed !== undefined ? `, committed ${row.committed}` : '';
  log(
    `  ${row.rps} req/s, p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms, errors ${row.errors}, ` +
      `non-2xx ${row.non2xx}, RSS ${row.rss_mb} MB${committed}`,
  );
  return row;
}

/**
 * Each scenario's share of its run's baseline against another run's (issue 23: the ordinary companies' pages may
 * not slow down by more than 10 % next to the very large company). Shares, not req/s: the runs are apart in time.
 */
function compareWith(file: string, rows: Row[], refs: Refs) {
  const other = JSON.parse(readFileSync(path.resolve(projectRoot, file), 'utf8')) as {
    scenarios: (Row & { ratios: { rps_of_baseline: number | null } })[];
  };
  for (const r of rows) {
    const before = other.scenarios.find((o) => o.name === r.name)?.ratios.rps_of_baseline;
    const now = ratios(r, refs).rps_of_baseline;
    if (!before || !now || r.name.endsWith('@large') || r.name === 'baseline') continue;
    const change = now / before - 1;
    log(
      `${change >= -0.1 ? 'PASS' : 'FAIL'} ${r.name} beside ${file}: share of baseline ` +
        `${Math.round(before * 100)} % → ${Math.round(now * 100)} % (${(change * 100).toFixed(0)} %, ≥ −10 %)`,
    );
  }
}

async function main() {
  log('Building the app (npm run build)…');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' });
  const db = await openBenchDatabase();
  const app = await startApp(db.appUrl);
  try {
    log('Signing in the benchmark sessions…');
    const signIn = (large: boolean) =>
      signInByRole(app.base, db.client, BENCH_PASSWORD, { large, perRole: Number(args.sessions) });
    const ctx: ScenarioContext = {
      base: app.base,
      db: db.client,
      sessions: await signIn(false),
      largeSessions: largeCompany ? await signIn(true) : {},
      password: BENCH_PASSWORD,
      duration,
      warmup,
    };
    const chosen = args.only ? scenarios.filter((s) => args.only!.split(',').includes(s.name)) : scenarios;
    const selected = chosen.filter((s) => largeCompany || !s.largeOnly);
    const rssByRound: { highest: number; median: number }[] = [];
    let rows: Row[] = [];
    for (let round = 1; round <= rounds; round++) {
      if (rounds > 1) log(`Round ${round} of ${rounds}`);
      rows = [];
      for (const s of selected) rows.push(await measure(s, ctx, db.client, app.child.pid!));
      rssByRound.push(roundRss(rows.map((r) => r.rss_mb)));
    }
    const refs: Refs = {
      baseline: rows.find((r) => r.name === 'baseline'),
      signedIn: rows.find((r) => r.name === 'signed-in-baseline'),
    };
    const requests = Number((await db.client.query('SELECT count(*) FROM requests')).rows[0].count);
    const pgVersion = (await db.client.query('SHOW server_version')).rows[0].server_version;
    const output = {
      date: new Date().toISOString(),
      scale: { companies: scale.companies, requests, large_company: largeCompany, duration_s: duration, connections },
      // cpu_ms of every scenario includes the V8 profiler's cost when true.
      profiled: args.profile,
      ...(args.gc ? { gc_traced: true } : {}),
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model,
        memory_gb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        postgres: pgVersion,
      },
      ...(rounds > 1
        ? {
            rss_mb_by_round: rssByRound.map((r) => r.highest),
            rss_mb_median_by_round: rssByRound.map((r) => r.median),
          }
        : {}),
      scenarios: rows.map((r) => {
        const verdicts = scenarios.find((x) => x.name === r.name)!.budget(r, refs);
        return { ...r, ratios: ratios(r, refs), budget_met: verdicts.every((v) => v.ok) };
      }),
    };
    const out =
      args.out ?? (args.only ? undefined : path.join('bench', args.citus ? 'results-citus.json' : 'results.json'));
    if (out) writeFileSync(path.resolve(projectRoot, out), JSON.stringify(output, null, 2) + '\n');
    console.table(rows.map(({ cpu_ms, gc: _gc, ...r }) => ({ ...r, ...ratios(r, refs), ...cpu_ms })));
    for (const r of rows) {
      for (const v of scenarios.find((x) => x.name === r.name)!.budget(r, refs))
        log(`${v.ok ? 'PASS' : 'FAIL'} ${r.name}: ${v.text}`);
    }
    if (rounds > 1) {
      const median = rssByRound.map((r) => r.median);
      const grew = median[rounds - 1]! > median[0]! * 1.05;
      log(
        `${grew ? 'FAIL' : 'PASS'} memory: median RSS of the scenarios by round ${median.join(' → ')} MB ` +
          `(no growth over 5 %; highest ${rssByRound.map((r) => r.highest).join(' → ')} MB)`,
      );
    }
    if (args.compare) compareWith(args.compare, rows, refs);
    log(out ? `Results written to ${out}` : 'Partial run (--only): results not written (add --out FILE to keep them).');
  } finally {
    await app.stop();
    await db.client.end();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
