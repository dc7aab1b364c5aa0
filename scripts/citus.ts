// A local Citus cluster for development, tests and the benchmark: a coordinator and two workers, each a plain
// PostgreSQL 15 data directory under DATA_DIR/citus/ on its own port (CITUS_PORT, +1, +2), started with Debian's
// pg_ctl (as the `postgres` user when run as root: PostgreSQL refuses root).
//   npm run citus:build   builds and installs Citus 13.2 from ../shared/vendor (skipped when installed; root or sudo)
//   npm run citus:start   creates (first time) and starts the nodes, registers the workers, creates the app database
//   npm run citus:stop    stops the nodes (the data stays)
//   npm run citus:status  prints the nodes and the URLs
//   npm run test:citus [-- <vitest args>]  starts the cluster and runs the integration suite against it
// The app database (`solicitudes`) is printed as DATABASE_URL; tests use CITUS_URL (the coordinator's postgres db).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, appendFileSync, chownSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../src/paths.js';
import { prepareCitusDatabase } from '../src/db/citus.js';

const bin = '/usr/lib/postgresql/15/bin';
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(projectRoot, '.data'), 'citus');
const basePort = Number(process.env.CITUS_PORT ?? 9700);
const nodes = ['coordinator', 'worker1', 'worker2'].map((name, i) => ({
  name,
  dir: path.join(dataDir, name),
  port: basePort + i,
}));
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function pgBin(cmd: string, args: string[], opts: { quiet?: boolean } = {}): void {
  const full = path.join(bin, cmd);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
  const r = spawnSync(file, argv, { stdio: opts.quiet ? 'pipe' : 'inherit', cwd: '/' });
  if (r.status !== 0) {
    const out = `${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}`;
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}) ${out}`);
  }
}

/** The vendor folder holding build-citus.sh: CITUS_VENDOR_DIR, or ../shared/vendor from the project or above. */
function vendorDir(): string {
  const candidates = [
    process.env.CITUS_VENDOR_DIR,
    path.resolve(projectRoot, '..', 'shared', 'vendor'),
    path.resolve(projectRoot, '..', '..', 'shared', 'vendor'),
    '/work/shared/vendor',
  ].filter((d): d is string => !!d);
  const found = candidates.find((d) => existsSync(path.join(d, 'build-citus.sh')));
  if (!found) throw new Error(`build-citus.sh not found (looked in ${candidates.join(', ')}); set CITUS_VENDOR_DIR`);
  return found;
}

function installed(): boolean {
  return existsSync('/usr/lib/postgresql/15/lib/citus.so');
}

/** Builds and installs Citus, unless it is already installed (CITUS_REBUILD=1 builds it anyway). */
function build(): void {
  if (installed() && !process.env.CITUS_REBUILD) {
    console.log('Citus is already installed for PostgreSQL 15 (CITUS_REBUILD=1 builds it again).');
    return;
  }
  execFileSync('bash', [path.join(vendorDir(), 'build-citus.sh')], { stdio: 'inherit' });
}

function running(dir: string): boolean {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function initNode(node: (typeof nodes)[number]): void {
  mkdirSync(node.dir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    // The postgres user must reach the folder; only the nodes' own directories belong to it.
    const postgresIds = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(node.dir, Number(postgresIds), gid);
  }
  pgBin('initdb', ['-D', node.dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
    quiet: true,
  });
  appendFileSync(
    path.join(node.dir, 'postgresql.conf'),
    [
      '',
      '# Citus node (scripts/citus.ts)',
      "shared_preload_libraries = 'citus'",
      "listen_addresses = '127.0.0.1'",
      `port = ${node.port}`,
      'max_connections = 300',
      'shared_buffers = 128MB',
      'fsync = off', // a local development and test cluster: speed over durability
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_prepared_transactions = 200', // two-phase commits across nodes
      'citus.max_client_connections = 250',
      // One maintenance worker per database holding the extension (the tests make one database per file).
      'max_worker_processes = 256',
      // The inbox counters are kept by triggers on requests and tickets writing to co-located shards.
      'citus.enable_unsafe_triggers = on',
      "log_min_messages = 'warning'",
      '',
    ].join('\n'),
  );
}

const adminUrl = (port: number, db = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${db}`;

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const c = new pg.Client({ connectionString: adminUrl(port) });
    try {
      await c.connect();
      await c.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`node on port ${port} did not accept connections`);
}

async function start(): Promise<void> {
  if (!installed()) {
    console.log('Citus is not installed for PostgreSQL 15: building it first (a few minutes)…');
    build();
  }
  mkdirSync(dataDir, { recursive: true });
  for (const node of nodes) {
    if (!existsSync(path.join(node.dir, 'PG_VERSION'))) initNode(node);
    if (running(node.dir)) continue;
    writeFileSync(path.join(dataDir, `${node.name}.log`), '');
    if (asRoot) chownSync(path.join(dataDir, `${node.name}.log`), Number(execFileSync('id', ['-u', 'postgres'])), 0);
    pgBin('pg_ctl', ['-D', node.dir, '-l', path.join(dataDir, `${node.name}.log`), '-w', 'start'], { quiet: true });
  }
  for (const node of nodes) await waitReady(node.port);
  const workers = nodes.slice(1).map((n) => ({ host: '127.0.0.1', port: n.port }));
  const coordinator = { host: '127.0.0.1', port: nodes[0]!.port };
  // The maintenance database holds the node list the tests read; the app database is created like any other.
  await prepareCitusDatabase(coordinator, workers, 'postgres');
  await prepareCitusDatabase(coordinator, workers, 'solicitudes');
  status();
}

function stop(): void {
  for (const node of [...nodes].reverse()) {
    if (running(node.dir)) pgBin('pg_ctl', ['-D', node.dir, '-m', 'fast', '-w', 'stop'], { quiet: true });
  }
  console.log('Citus cluster stopped.');
}

function status(): void {
  for (const n of nodes) console.log(`${n.name.padEnd(12)} ${running(n.dir) ? 'running' : 'stopped'} port ${n.port}`);
  console.log(`\nDATABASE_URL=${adminUrl(nodes[0]!.port, 'solicitudes')}`);
  console.log(`CITUS_URL=${adminUrl(nodes[0]!.port)}   (tests: CITUS_URL=… npm test)`);
}

/** The integration suite (or the vitest arguments given) against the cluster. */
async function test(): Promise<void> {
  await start();
  const args = process.argv.slice(3);
  const r = spawnSync('npx', ['vitest', 'run', ...(args.length ? args : ['tests/integration'])], {
    stdio: 'inherit',
    env: { ...process.env, CITUS_URL: adminUrl(nodes[0]!.port) },
  });
  // Exit now with vitest's status: the cluster's client handles left open would otherwise end the process with 0.
  process.exit(r.status ?? 1);
}

const command = process.argv[2];
const commands: Record<string, () => unknown> = { build, start, stop, status, test };
const run = commands[command ?? ''];
if (!run) {
  console.error('Usage: tsx scripts/citus.ts build | start | stop | status | test [vitest args]');
  process.exit(2);
}
Promise.resolve(run()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
