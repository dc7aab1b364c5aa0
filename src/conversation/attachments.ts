// Storing attachments: files are checked first (files.ts), moved from their temporary
// files into the storage, then recorded in the caller's transaction; when the
// transaction fails the stored files are removed again, so nothing is ever half-saved.
import type { Request } from 'express';
import type { Prisma } from '../generated/prisma/client.js';
import { prepareFiles, type IncomingFile, type PreparedFile, type UploadLimits } from './files.js';
import { newStorageKey, thumbnailKeyOf, type FileStorage } from './storage.js';
import { uploadedFiles } from './uploads.js';

export interface StoredFile extends Omit<PreparedFile, 'path' | 'thumbnail'> {
  storageKey: string;
  thumbnailKey: string | null;
}

export interface AttachmentOwner {
  companyId: number;
  requestId: number;
  commentId: number | null;
  uploaderId: number;
  internal: boolean;
  createdAt: Date;
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

/** The rows of stored files, inside the caller's transaction. */
export async function recordAttachments(
  tx: Prisma.TransactionClient,
  stored: readonly StoredFile[],
  owner: AttachmentOwner,
): Promise<void> {
  if (stored.length === 0) return;
  await tx.attachment.createMany({ data: stored.map((s) => ({ ...owner, ...s })) });
}
