import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh views folder holding `files` (name relative to the folder → template), for tests of the view engine. */
export function viewsWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'views-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}
