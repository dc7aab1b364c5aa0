// Checking what people upload. The type comes from the bytes (file-type), never
// from the name or the browser's Content-Type; the name must agree with the bytes.
// Images are decoded to make their thumbnail, which also refuses broken images.
import { fileTypeFromBuffer } from 'file-type';
import type SharpFn from 'sharp';

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

export interface IncomingFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export interface PreparedFile {
  fileName: string;
  mimeType: string;
  size: number;
  data: Buffer;
  thumbnail: Buffer | null;
}

/** A file refused, with the i18n key (and parameters) of the message shown next to the field. */
export class UploadRejected extends Error {
  constructor(
    public readonly messageKey: string,
    public readonly params: Record<string, unknown> = {},
  ) {
    super(messageKey);
    this.name = 'UploadRejected';
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

/** What the "Adjuntar" input offers (the server checks the content anyway). */
export const ACCEPT = [
  ...new Set([...Object.values(DETECTED).flatMap((k) => k.exts), ...Object.keys(LEGACY_OFFICE), ...Object.keys(TEXT)]),
]
  .map((e) => `.${e}`)
  .join(',');

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

function isPlainText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    const decoded = text.decode(data);
    return !MARKUP.test(decoded);
  } catch {
    return false;
  }
}

/** The content type of an upload, or an UploadRejected saying why not. */
export async function detectType(fileName: string, data: Buffer): Promise<{ mimeType: string; image: boolean }> {
  const ext = extensionOf(fileName);
  const detected = await fileTypeFromBuffer(data);
  if (detected) {
    if (detected.mime === 'application/x-cfb' && LEGACY_OFFICE[ext])
      return { mimeType: LEGACY_OFFICE[ext]!, image: false };
    const kind = DETECTED[detected.mime];
    if (!kind) throw new UploadRejected('conversation.files.typeNotAllowed', { name: fileName });
    if (!kind.exts.includes(ext))
      throw new UploadRejected('conversation.files.extensionMismatch', { name: fileName, ext: kind.exts[0] });
    return { mimeType: detected.mime, image: kind.image === true };
  }
  if (TEXT[ext] && isPlainText(data)) return { mimeType: TEXT[ext]!, image: false };
  throw new UploadRejected('conversation.files.typeNotAllowed', { name: fileName });
}

// libvips (~25 MB resident) is loaded with the first image, not at boot.
let sharpModule: Promise<typeof SharpFn> | undefined;
const loadSharp = () => (sharpModule ??= import('sharp').then((m) => m.default));

/** A small WebP preview; decoding also proves the image is one. */
async function thumbnailOf(fileName: string, data: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  try {
    return await sharp(data, { limitInputPixels: 50_000_000, animated: false })
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
    const { mimeType, image } = await detectType(fileName, file.buffer);
    prepared.push({
      fileName,
      mimeType,
      size: file.size,
      data: file.buffer,
      thumbnail: image ? await thumbnailOf(fileName, file.buffer) : null,
    });
  }
  return prepared;
}

/** Bytes as megabytes for messages: 10, 1.5, 0.05. */
export const megabytes = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1));
