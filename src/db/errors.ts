// What kind of database failure an error is, whichever layer reports it: pg itself, Prisma's pg adapter (a
// DriverAdapterError whose `cause` is the converted pg error), or Prisma's client (`meta.driverAdapterError`).

/** The error and everything it wraps (`cause`, Prisma's `meta.driverAdapterError`, an AggregateError's errors). */
function* chain(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 6 || typeof err !== 'object' || err === null) return;
  const e = err as Record<string, unknown>;
  yield e;
  yield* chain(e.cause, depth + 1);
  yield* chain((e.meta as Record<string, unknown> | undefined)?.driverAdapterError, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* chain(inner, depth + 1);
}

/** A unique index refused the write: Prisma's P2002 or PostgreSQL's 23505, however deeply wrapped. */
export function isUniqueViolation(err: unknown): boolean {
  for (const e of chain(err)) {
    if (e.code === 'P2002' || e.code === '23505' || e.originalCode === '23505') return true;
    if (e.kind === 'UniqueConstraintViolation') return true;
  }
  return false;
}

const CONNECTION_CODES = new Set([
  // Sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, connection_exception family
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // Prisma: can't reach the server, timed out reaching it, server closed the connection
  'P1001',
  'P1002',
  'P1017',
]);
const CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
const CONNECTION_MESSAGES =
  /Connection terminated|terminating connection|server closed the connection|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect|Can't reach database server|Connection refused/i;

/** The database is away (restarting, unreachable, connection cut): the request may succeed once it is back. */
export function isConnectionError(err: unknown): boolean {
  for (const e of chain(err)) {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.originalCode === 'string' && CONNECTION_CODES.has(e.originalCode)) return true;
    if (typeof e.kind === 'string' && CONNECTION_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** A readable one-line description of anything thrown (never `undefined`). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (err === undefined || err === null) return 'unknown error (nothing was thrown with it)';
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
