// Storing attachments: files are checked first (files.ts), moved from their temporary
// files into the storage, then recorded by the caller's statement; when it fails the
// stored files are removed again, so nothing is ever half-saved.
import type { Request } from 'express';
import { prepareFiles, type IncomingFile, type PreparedFile, type UploadLimits } from './files.js';
import { newStorageKey, thumbnailKeyOf, type FileStorage } from './storage.js';
import { uploadedFiles } from './uploads.js';

export interface StoredFile extends Omit<PreparedFile, 'path' | 'thumbnail'> {
  storageKey: string;
  thumbnailKey: string | null;
}

export class Attachments {
  constructor(
    readonly storage: FileStorage,
    readonly limits: UploadLimits,
  ) {}

  /** The checked files of the HTTP request's upload (UploadRejected when one is refused). */
  fromRequest(req: Request): Promise<PreparedFile[]> {
    return prepareFiles(uploadedFiles(req), this.limits);
  }

  /** Files that arrived otherwise (an email's attachments in temporary files), checked by the same rules. */
  fromFiles(files: readonly IncomingFile[]): Promise<PreparedFile[]> {
    return prepareFiles(files, this.limits);
  }

  /** Stores `files`, runs `save` with them, and removes them again if `save` fails. */
  async withStored<T>(
    companyId: number,
    files: readonly PreparedFile[],
    save: (stored: StoredFile[]) => Promise<T>,
  ): Promise<T> {
    const stored: StoredFile[] = [];
    try {
      for (const f of files) {
        const storageKey = newStorageKey(companyId);
        await this.storage.putFile(storageKey, f.path);
        const thumbnailKey = f.thumbnail ? thumbnailKeyOf(storageKey) : null;
        stored.push({ fileName: f.fileName, mimeType: f.mimeType, size: f.size, storageKey, thumbnailKey });
        if (f.thumbnail && thumbnailKey) await this.storage.put(thumbnailKey, f.thumbnail);
      }
      return await save(stored);
    } catch (err) {
      await Promise.allSettled(
        stored.flatMap((s) =>
          [s.storageKey, s.thumbnailKey].filter((k): k is string => k !== null).map((k) => this.storage.remove(k)),
        ),
      );
      throw err;
    }
  }
}
