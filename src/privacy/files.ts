// Where company exports are written: DATA_DIR/exports/<companyId>/<32 hex>.zip (names chosen here, never typed).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

const KEY = /^(\d{1,10})\/([a-f0-9]{32})$/;

export const newExportKey = (companyId: number) => `${companyId}/${randomBytes(16).toString('hex')}`;

export function exportPath(config: Config, key: string): string {
  const m = KEY.exec(key);
  if (!m) throw new Error(`invalid export key: ${JSON.stringify(key)}`);
  return path.join(config.DATA_DIR, 'exports', m[1]!, `${m[2]}.zip`);
}

/** Every file of a company: its attachments and its exports. */
export async function removeCompanyFiles(config: Config, companyId: number): Promise<void> {
  const id = String(Math.trunc(companyId));
  await rm(path.join(config.UPLOAD_DIR, id), { recursive: true, force: true });
  await rm(path.join(config.DATA_DIR, 'exports', id), { recursive: true, force: true });
}
