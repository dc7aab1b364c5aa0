// The benchmark's reading of V8's --trace-gc lines (bench/gc-trace.ts): counts, pauses and the heap left.
import { describe, expect, it } from 'vitest';
import { GcTrace } from '../../bench/gc-trace.js';

const scavenge = (ms: string, after: string) =>
  `[9:0x1]      39 ms: Scavenge 3.8 (4.0) -> ${after} (5.0) MB, ${ms} / 0.00 ms allocation failure; `;
const full = (kind: string, ms: string, after: string) =>
  `[9:0x1]     300 ms: ${kind} 57.5 (85.0) -> ${after} (83.7) MB, pooled: 0 MB, ${ms} / 0.00 ms  (average mu = 0.7)`;

describe('GcTrace', () => {
  it('keeps other lines for the terminal', () => {
    const t = new GcTrace();
    expect(t.feed('{"level":40,"msg":"slow"}')).toBe(false);
    expect(t.snapshot().scavenges).toBe(0);
  });

  it('counts a scenario between two snapshots', () => {
    const t = new GcTrace();
    expect(t.feed(scavenge('1.50', '3.4'))).toBe(true);
    const before = t.snapshot();
    t.feed(scavenge('2.00', '10.0'));
    t.feed(full('Mark-Compact (reduce)', '40.00', '97.5'));
    t.feed(full('Mark-Compact', '20.00', '90.1'));
    t.feed(scavenge('3.00', '92.0'));
    const figures = GcTrace.between(before, t.snapshot(), 100);
    expect(figures).toEqual({ scavenges: 2, mark_compacts: 2, pause_ms_per_request: 0.65, heap_after_mb: 90.1 });
  });

  it('reports the last heap when the scenario had no full collection', () => {
    const t = new GcTrace();
    const before = t.snapshot();
    t.feed(scavenge('1.00', '44.2'));
    expect(GcTrace.between(before, t.snapshot(), 0)).toMatchObject({ mark_compacts: 0, heap_after_mb: 44.2 });
  });
});
