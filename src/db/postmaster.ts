// A PostgreSQL left running by an app that was killed (kill -9, a crash) keeps its data directory locked
// (postmaster.pid): the next start would fail with "lock file already exists". Before starting, the embedded
// cluster's lock is examined: a stale file is removed, an orphaned server is shut down, and a server still owned by
// a live process is reported clearly.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type LockState =
  | { kind: 'free' }
  | { kind: 'stale'; pid: number }
  | { kind: 'orphaned'; pid: number }
  | { kind: 'in-use'; pid: number; ownerPid: number };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function procFile(pid: number, file: string): Promise<string | null> {
  try {
    return await readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** The parent's pid, from /proc (null where there is no /proc). */
async function parentOf(pid: number): Promise<number | null> {
  const stat = await procFile(pid, 'stat');
  // "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields ? Number(fields[1]) : null;
}

/** What holds the lock of `dataDir`, judged from postmaster.pid and the processes it names. */
export async function inspectLock(dataDir: string): Promise<LockState> {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return { kind: 'free' };
  const [pidLine, dirLine] = (await readFile(file, 'utf8')).split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return { kind: 'stale', pid };
  const cmdline = await procFile(pid, 'cmdline');
  // A recycled pid now used by another program: the file is stale.
  if (cmdline !== null && !cmdline.includes('postgres')) return { kind: 'stale', pid };
  if (cmdline !== null && dirLine && path.resolve(dirLine) !== path.resolve(dataDir)) return { kind: 'stale', pid };
  const ownerPid = await parentOf(pid);
  const owner = ownerPid && ownerPid > 1 ? await procFile(ownerPid, 'cmdline') : null;
  // The embedded server is a child of the app's node process; reparented (to init or a reaper) it is an orphan.
  if (ownerPid !== null && owner !== null && /node|tsx/.test(owner)) return { kind: 'in-use', pid, ownerPid };
  return { kind: 'orphaned', pid };
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return !alive(pid);
}

/**
 * Makes the data directory startable: removes a stale lock, shuts an orphaned server down (fast shutdown: SIGINT,
 * then immediate: SIGQUIT), or throws a clear error when a live process still uses it.
 */
export async function releaseAbandonedLock(dataDir: string, log: (m: string) => void): Promise<void> {
  const state = await inspectLock(dataDir);
  if (state.kind === 'free') return;
  if (state.kind === 'stale') {
    log(`removing the stale lock file of ${dataDir} (pid ${state.pid} is gone)`);
    await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    return;
  }
  if (state.kind === 'in-use') {
    throw new Error(
      `The embedded PostgreSQL of ${dataDir} is in use by another running app (postgres pid ${state.pid}, ` +
        `app pid ${state.ownerPid}). Stop that app first, or set DATA_DIR to another folder.`,
    );
  }
  log(`stopping the PostgreSQL (pid ${state.pid}) left running by an app that did not shut down`);
  process.kill(state.pid, 'SIGINT');
  if (await waitForExit(state.pid, 20_000)) return;
  process.kill(state.pid, 'SIGQUIT');
  if (await waitForExit(state.pid, 10_000)) return;
  throw new Error(`The PostgreSQL left running on ${dataDir} (pid ${state.pid}) did not stop; stop it by hand.`);
}
