// With `npm run bench -- --gc` the app runs with V8's --trace-gc and the benchmark reads its lines: per scenario, the
// collections, their pause on the main thread and the heap left after them. It shows whether a page late in a long
// run pays for the heap (a run's last scenarios looked slower than the same pages measured alone).

/** What the collections of one scenario cost. */
export interface GcFigures {
  scavenges: number;
  mark_compacts: number;
  /** Main-thread pause of all collections, per request (ms). */
  pause_ms_per_request: number;
  /** Heap used after the scenario's last full collection (MB), or after its last collection of any kind. */
  heap_after_mb: number;
}

// "[pid:0x…]   1234 ms: Mark-Compact (reduce) 98.1 (112.3) -> 97.0 (111.9) MB, pooled: 0 MB, 45.61 / 0.00 ms …"
const LINE = new RegExp(
  String.raw`ms: ([A-Za-z-]+(?: [A-Za-z-]+)?(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB,` +
    String.raw`(?: pooled: [\d.]+ MB,)? ([\d.]+) \/ [\d.]+ ms`,
);

export interface GcTotals {
  scavenges: number;
  markCompacts: number;
  pauseMs: number;
  lastHeapMb: number;
  lastFullHeapMb: number;
}

/** The running totals of an app's --trace-gc output. */
export class GcTrace {
  private totals: GcTotals = { scavenges: 0, markCompacts: 0, pauseMs: 0, lastHeapMb: 0, lastFullHeapMb: 0 };

  /** Reads one line of the app's output; false when it is not a collection's (to be shown as it is). */
  feed(line: string): boolean {
    const m = LINE.exec(line);
    if (!m) return false;
    const heap = Number(m[2]);
    if (m[1]!.startsWith('Mark-Compact')) {
      this.totals.markCompacts++;
      this.totals.lastFullHeapMb = heap;
    } else {
      this.totals.scavenges++;
    }
    this.totals.pauseMs += Number(m[3]);
    this.totals.lastHeapMb = heap;
    return true;
  }

  snapshot(): GcTotals {
    return { ...this.totals };
  }

  /** The figures between two snapshots, for a scenario of `requests` requests. */
  static between(before: GcTotals, after: GcTotals, requests: number): GcFigures {
    const fulls = after.markCompacts - before.markCompacts;
    return {
      scavenges: after.scavenges - before.scavenges,
      mark_compacts: fulls,
      pause_ms_per_request: Math.round((1000 * (after.pauseMs - before.pauseMs)) / Math.max(1, requests)) / 1000,
      heap_after_mb: fulls > 0 ? after.lastFullHeapMb : after.lastHeapMb,
    };
  }
}
