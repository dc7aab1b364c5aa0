// The budget of issue 23: ratios measured within one run (they don't depend on how busy the machine is), CPU per
// request from --profile, and RSS. Every scenario's verdicts are computed here from its row and the run's two
// reference rows: `baseline` (a bare page from memory) and `signed-in-baseline` (the same page behind every
// middleware of a signed-in page).

import type { GcFigures } from './gc-trace.js';

export interface Result {
  name: string;
  connections: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  non2xx: number;
  rss_mb: number;
  committed?: number;
  answered_ok?: number;
  /** CPU per request (ms) of the app process and of PostgreSQL, with --profile. */
  cpu_ms?: { app: number; pg: number };
  /** The scenario's garbage collections, with --gc. */
  gc?: GcFigures;
}

export interface Verdict {
  ok: boolean;
  text: string;
}

/** The two reference rows of the same run. */
export interface Refs {
  baseline?: Result;
  signedIn?: Result;
}

export type Budget = (r: Result, refs: Refs) => Verdict[];

/** What a row's ratios are, written beside it in results.json. */
export function ratios(r: Result, refs: Refs) {
  const share = (a: number, b?: number) => (b ? Math.round((a / b) * 100) / 100 : null);
  return {
    rps_of_baseline: share(r.rps, refs.baseline?.rps),
    rps_of_signed_in: share(r.rps, refs.signedIn?.rps),
    p99_of_baseline: share(r.p99_ms, refs.baseline?.p99_ms),
    p99_of_signed_in: share(r.p99_ms, refs.signedIn?.p99_ms),
  };
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

export const rss = (r: Result): Verdict => ({ ok: r.rss_mb <= 250, text: `RSS ${r.rss_mb} MB ≤ 250 MB` });

// A scenario of which no request finished in time answered nothing: that is not clean, whatever the error count.
const clean = (r: Result): Verdict => ({
  ok: r.errors === 0 && r.non2xx === 0 && r.rps > 0,
  text: r.rps > 0 ? `${r.errors} errors, ${r.non2xx} non-2xx` : `no request answered (${r.errors} errors)`,
});

/** A ratio against a reference row of the run; a missing reference (a partial run) cannot pass. */
function atLeast(r: Result, ref: Result | undefined, refName: string, share: number): Verdict {
  const got = ref ? r.rps / ref.rps : 0;
  return { ok: got >= share, text: `${r.rps} req/s = ${pct(got)} of ${refName} (≥ ${pct(share)})` };
}

function p99AtMost(r: Result, ref: Result | undefined, refName: string, times: number): Verdict {
  const limit = ref ? ref.p99_ms * times : 0;
  return { ok: r.p99_ms <= limit, text: `p99 ${r.p99_ms} ms ≤ ${times}× ${refName}'s (${limit} ms)` };
}

export const baselineBudget: Budget = (r) => [clean(r), rss(r)];

/** (1) What every signed-in page pays before its own work may cost no more than the bare page itself. */
export const signedInBudget: Budget = (r, { baseline }) => [
  atLeast(r, baseline, 'baseline', 0.5),
  p99AtMost(r, baseline, 'baseline', 2),
  clean(r),
  rss(r),
];

/** (2) and (4): a read page against the signed-in baseline, and its CPU per request when profiled. */
export const readBudget: Budget = (r, { signedIn }) => [
  atLeast(r, signedIn, 'signed-in-baseline', 0.7),
  p99AtMost(r, signedIn, 'signed-in-baseline', 1.5),
  clean(r),
  rss(r),
  ...cpuBudget(r),
];

/** (4) CPU per request (measured in every run; with --profile it includes the profiler). */
function cpuBudget(r: Result): Verdict[] {
  if (!r.cpu_ms) return [];
  return [
    { ok: r.cpu_ms.app <= 1.0, text: `app CPU ${r.cpu_ms.app} ms per request ≤ 1.0 ms` },
    { ok: r.cpu_ms.pg <= 0.6, text: `PostgreSQL CPU ${r.cpu_ms.pg} ms per request ≤ 0.6 ms` },
  ];
}

/** (3) Writes: 500 req/s, p99 within 1.5× the signed-in baseline's, every row counted. */
export const writeBudget: Budget = (r, { signedIn }) => [
  { ok: r.rps >= 500, text: `${r.rps} req/s ≥ 500` },
  p99AtMost(r, signedIn, 'signed-in-baseline', 1.5),
  // Requests still in flight when the clock stops commit without being counted as answered.
  {
    ok:
      r.committed !== undefined &&
      r.answered_ok !== undefined &&
      r.committed >= r.answered_ok &&
      r.committed - r.answered_ok <= r.connections &&
      r.errors === 0 &&
      r.non2xx === 0,
    text:
      `${r.committed} committed for ${r.answered_ok} answered (+ at most ${r.connections} in flight), ` +
      `${r.errors} errors, ${r.non2xx} failed`,
  },
  rss(r),
];

/** (5) The dashboard, two connections (one per core): p99 ≤ 300 ms and ≤ 20 ms of PostgreSQL CPU when profiled. */
export const indicatorsBudget: Budget = (r) => [
  { ok: r.p99_ms <= 300, text: `p99 ${r.p99_ms} ms ≤ 300 ms (the budget applies on 1 000 000 requests)` },
  ...(r.cpu_ms ? [{ ok: r.cpu_ms.pg <= 20, text: `PostgreSQL CPU ${r.cpu_ms.pg} ms per dashboard ≤ 20 ms` }] : []),
  clean(r),
  rss(r),
];

/** bcrypt (cost 12) bounds sign-ins by design: reported, not budgeted. */
export const loginBudget: Budget = (r) => [
  clean(r),
  { ok: true, text: `${r.rps} sign-ins/s (bcrypt cost 12)` },
  rss(r),
];
