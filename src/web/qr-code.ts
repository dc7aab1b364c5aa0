// QR codes as SVG (the qrcode package), loaded on first use: only the two-factor set-up and the portal's posters draw
// one, and a package loaded at start stays in every process's memory (issue 23 holds RSS under 250 MB).
import type { QRCodeToStringOptions } from 'qrcode';

export async function qrSvg(text: string, options: Omit<QRCodeToStringOptions, 'type'>): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(text, { ...options, type: 'svg' });
}
