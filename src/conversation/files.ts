// Checking what people upload. The type comes from the bytes (file-type), never
// from the name or the browser's Content-Type; the name must agree with the bytes.
// Images are decoded to make their thumbnail, which also refuses broken images.
// Uploads wait in temporary files (uploads.ts): only the head of a file is read to
// detect its type, plain text is checked as a stream, sharp reads images from disk.
import { createReadStream } from 'node:fs';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import type SharpFn from 'sharp';
import { ValidationError } from '../web/errors.js';

/** The name of the file input of the forms that take attachments. */
export const UPLOAD_FIELD = 'archivos';

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

/** An uploaded file waiting in a temporary file (multer's disk storage). */
export interface IncomingFile {
  originalname: string;
  path: string;
  size: number;
}

export interface PreparedFile {
  fileName: string;
  mimeType: string;
  size: number;
  /** The checked temporary file; the storage moves it in. */
  path: string;
  thumbnail: Buffer | null;
}

/**
 * A file refused: a ValidationError of the file field, whose `messageKey` (and `params`) is the message shown next to
 * the field.
 */
export class UploadRejected extends ValidationError {
  constructor(messageKey: string, params: Record<string, unknown> = {}) {
    super({ [UPLOAD_FIELD]: messageKey }, messageKey, params);
  }
}

interface Kind {
  exts: string[];
  /** Raster images are shown inline (and get a thumbnail); everything else downloads. */
  image?: boolean;
}

/** What may be attached, by the type detected from the content. */
const DETECTED: Record<string, Kind> = {
  'image/jpeg': { exts: ['jpg', 'jpeg', 'jfif'], image: true },
  'image/png': { exts: ['png'], image: true },
  'image/gif': { exts: ['gif'], image: true },
  'image/webp': { exts: ['webp'], image: true },
  'application/pdf': { exts: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { exts: ['docx'] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { exts: ['xlsx'] },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { exts: ['pptx'] },
  'application/vnd.oasis.opendocument.text': { exts: ['odt'] },
  'application/vnd.oasis.opendocument.spreadsheet': { exts: ['ods'] },
  'application/vnd.oasis.opendocument.presentation': { exts: ['odp'] },
};

/** Legacy Office files share one container format (CFB); the extension tells which. */
const LEGACY_OFFICE: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** Plain text has no signature: UTF-8 without NUL bytes and without markup. */
const TEXT: Record<string, string> = { txt: 'text/plain', csv: 'text/csv' };
const MARKUP = /<\s*(?:svg|html|script|!doctype|\?xml|iframe|body|object|embed)\b/i;

export const INLINE_TYPES: ReadonlySet<string> = new Set(
  Object.entries(DETECTED)
    .filter(([, k]) => k.image)
    .map(([m]) => m),
);

const ACCEPTED_EXTS = new Set([
  ...Object.values(DETECTED).flatMap((k) => k.exts),
  ...Object.keys(LEGACY_OFFICE),
  ...Object.keys(TEXT),
]);

/** What the "Adjuntar" input offers (the server checks the content anyway). */
export const ACCEPT = [...ACCEPTED_EXTS].map((e) => `.${e}`).join(',');

/**
 * The name people see: no folders (../../etc/passwd → passwd), no control or reserved characters, at most 150
 * characters.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/\p{Cc}|["<>|:*?]/gu, '')
    .replace(/^[.\s]+/, '')
    .trim();
  return (cleaned.length > 150 ? cleaned.slice(cleaned.length - 150) : cleaned) || 'archivo';
}

const extensionOf = (name: string) => (/\.([a-z0-9]{1,10})$/i.exec(name)?.[1] ?? '').toLowerCase();

/**
 * UTF-8 without NUL bytes and without markup, read chunk by chunk. A tag split between two chunks is caught by
 * carrying the text from the last '<' over (a match holds one '<', its first character; whitespace runs shrink to
 * one space, which \s* matches the same).
 */
async function isPlainText(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<boolean> {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let carried = '';
  try {
    for await (const chunk of chunks) {
      if (chunk.includes(0)) return false;
      const decoded = carried + text.decode(chunk, { stream: true });
      if (MARKUP.test(decoded)) return false;
      const tail = decoded.slice(decoded.lastIndexOf('<')).replace(/\s+/g, ' ');
      carried = decoded.includes('<') && /^<\s*[!?a-z]*$/i.test(tail) ? tail : '';
    }
    return !MARKUP.test(carried + text.decode());
  } catch {
    return false;
  }
}

/**
 * The content type of an upload (its bytes, or the path of the file holding them), or an UploadRejected saying why
 * not. From a file only its head is read, and plain text as a stream.
 */
export async function detectType(
  fileName: string,
  source: Buffer | string,
): Promise<{ mimeType: string; image: boolean }> {
  const ext = extensionOf(fileName);
  // A name we accept whose content is something else (a program renamed .pdf) is told so, not "only PDF…".
  const refused = () =>
    ACCEPTED_EXTS.has(ext)
      ? new UploadRejected('conversation.files.contentMismatch', { name: fileName, ext: ext.toUpperCase() })
      : new UploadRejected('conversation.files.typeNotAllowed', { name: fileName });
  const detected = typeof source === 'string' ? await fileTypeFromFile(source) : await fileTypeFromBuffer(source);
  if (detected) {
    if (detected.mime === 'application/x-cfb' && LEGACY_OFFICE[ext])
      return { mimeType: LEGACY_OFFICE[ext]!, image: false };
    const kind = DETECTED[detected.mime];
    if (!kind) throw refused();
    if (!kind.exts.includes(ext))
      throw new UploadRejected('conversation.files.extensionMismatch', { name: fileName, ext: kind.exts[0] });
    return { mimeType: detected.mime, image: kind.image === true };
  }
  const chunks = () => (typeof source === 'string' ? createReadStream(source, { highWaterMark: 64 * 1024 }) : [source]);
  if (TEXT[ext] && (await isPlainText(chunks()))) return { mimeType: TEXT[ext]!, image: false };
  throw refused();
}

// libvips (~25 MB resident) is loaded with the first image, not at boot.
let sharpModule: Promise<typeof SharpFn> | undefined;
// Images are read from their temporary files: sharp must not keep them open in its cache once they are moved.
const loadSharp = () =>
  (sharpModule ??= import('sharp').then((m) => {
    m.default.cache({ files: 0 });
    return m.default;
  }));

/** A small WebP preview; decoding also proves the image is one. */
async function thumbnailOf(fileName: string, filePath: string): Promise<Buffer> {
  const sharp = await loadSharp();
  try {
    return await sharp(filePath, { limitInputPixels: 50_000_000, animated: false })
      .rotate()
      .resize(320, 320, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
  } catch {
    throw new UploadRejected('conversation.files.brokenImage', { name: fileName });
  }
}

/** Checks every file of one upload before anything is stored: all pass or none is kept. */
export async function prepareFiles(files: readonly IncomingFile[], limits: UploadLimits): Promise<PreparedFile[]> {
  if (files.length > limits.maxFiles) throw new UploadRejected('conversation.files.tooMany', { max: limits.maxFiles });
  const prepared: PreparedFile[] = [];
  for (const file of files) {
    const fileName = safeFileName(file.originalname);
    if (file.size === 0) throw new UploadRejected('conversation.files.empty', { name: fileName });
    if (file.size > limits.maxBytes)
      throw new UploadRejected('conversation.files.tooLarge', { name: fileName, max: megabytes(limits.maxBytes) });
    const { mimeType, image } = await detectType(fileName, file.path);
    prepared.push({
      fileName,
      mimeType,
      size: file.size,
      path: file.path,
      thumbnail: image ? await thumbnailOf(fileName, file.path) : null,
    });
  }
  return prepared;
}

/** Bytes as megabytes for messages: 10, 1.5, 0.05. */
export const megabytes = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1));
