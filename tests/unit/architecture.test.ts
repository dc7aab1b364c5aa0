// The shape every feature keeps (docs/architecture.md): a feature uses another only through its index.ts (or the
// shared web/ and db/ modules), features form no cycle, and route modules hold no database statement.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
const SHARED = new Set(['web', 'db', 'generated']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Import {
  from: string;
  feature: string;
  target: string;
  targetFeature: string;
  typeOnly: boolean;
}

const IMPORT = /^(?:import|export)\s+(type\s+)?(?:\{([^}]*)\}|\w+|\*\s+as\s+\w+)\s+from\s+'(\.[^']+)'/gm;

function importsOf(file: string): Import[] {
  const rel = path.relative(SRC, file).split(path.sep);
  // app.ts, server.ts… compose the features: they too use only the public entries.
  if (rel.length < 2) rel.unshift('(root)');
  const out: Import[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const names = (m[2] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const typeOnly = Boolean(m[1]) || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    const target = path.relative(SRC, path.resolve(path.dirname(file), m[3]!)).split(path.sep);
    if (target[0] === '..' || target.length < 2) continue;
    out.push({
      from: rel.filter((p) => p !== '(root)').join('/'),
      feature: rel[0]!,
      target: target.join('/'),
      targetFeature: target[0]!,
      typeOnly,
    });
  }
  return out;
}

const imports = sourceFiles(SRC).flatMap(importsOf);
const crossFeature = imports.filter((i) => i.feature !== i.targetFeature && !SHARED.has(i.targetFeature));

describe('architecture', () => {
  it('a feature reaches another only through its index.ts', () => {
    expect(crossFeature.length).toBeGreaterThan(20);
    const inside = crossFeature.filter((i) => !/^[^/]+\/index\.js$/.test(i.target));
    expect(inside.map((i) => `${i.from} → ${i.target}`)).toEqual([]);
  });

  it('features form no cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of crossFeature) {
      if (SHARED.has(i.feature)) continue;
      if (!edges.has(i.feature)) edges.set(i.feature, new Set());
      edges.get(i.feature)!.add(i.targetFeature);
    }
    const cycles: string[] = [];
    edges.delete('(root)');
    for (const [a, targets] of edges) {
      for (const b of targets) {
        const seen = new Set<string>();
        const stack = [b];
        while (stack.length) {
          const x = stack.pop()!;
          if (x === a) {
            cycles.push(`${a} ⇄ ${b}`);
            break;
          }
          if (seen.has(x)) continue;
          seen.add(x);
          stack.push(...(edges.get(x) ?? []));
        }
      }
    }
    expect(cycles).toEqual([]);
  });

  it('the shared modules depend on no feature at run time', () => {
    const shared = crossFeature.filter((i) => SHARED.has(i.feature) && !i.typeOnly);
    expect(shared.map((i) => `${i.from} → ${i.target}`)).toEqual([]);
  });

  it('route modules speak HTTP only: no database statement in them', () => {
    const statement =
      /\bprisma\.|\$queryRaw|\$transaction|\bpool\.query|\brows\(|\.(findMany|findFirst|findUnique|create|update|delete|count|upsert)\w*\(/;
    const routes = sourceFiles(SRC).filter((f) => /routes\.ts$/.test(f));
    expect(routes.length).toBeGreaterThan(10);
    const offenders = routes.filter((f) => statement.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
