// Where the bytes of attachments live. Keys are chosen by us (company id + random
// hex), never derived from a file name. An S3-compatible store implements the same
// interface.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface FileStorage {
  put(key: string, data: Buffer): Promise<void>;
  /** Moves the file at `source` (a checked upload's temporary file) in under `key`. */
  putFile(key: string, source: string): Promise<void>;
  /** The stored bytes, or null when the key holds nothing. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  remove(key: string): Promise<void>;
}

const KEY = /^(\d{1,10})\/([a-f0-9]{32})(\.thumb)?$/;

/** A fresh storage key of a company: "<companyId>/<32 hex>". */
export function newStorageKey(companyId: number): string {
  return `${companyId}/${randomBytes(16).toString('hex')}`;
}

export const thumbnailKeyOf = (key: string) => `${key}.thumb`;

/** Files on the local disk, under a directory outside the web root (DATA_DIR/uploads by default). */
export class LocalDiskStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const m = KEY.exec(key);
    if (!m) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
    return path.join(this.root, m[1]!, `${m[2]}${m[3] ?? ''}`);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    // 'wx': a key is never overwritten.
    await writeFile(file, data, { flag: 'wx', mode: 0o640 });
  }

  async putFile(key: string, source: string): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
    // Keys are fresh random names, so a rename can't overwrite a file; another file system needs a copy.
    try {
      await rename(source, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(source, file, fsConstants.COPYFILE_EXCL);
      await rm(source, { force: true });
    }
  }

  async open(key: string) {
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      return { stream: createReadStream(file), size: info.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
