// What a file is, from its first bytes (the signatures of the formats we accept), never from
// its name or the type the browser claimed: a renamed .exe is not a PDF. Pure.
import type { FileType } from '../../shared/schemas.ts';

const startsWith = (data: Uint8Array, bytes: number[], at = 0) => bytes.every((b, i) => data[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The accepted type `data` is, or null when it is none of them. */
export function sniffType(data: Uint8Array): FileType | null {
  if (startsWith(data, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** A file name safe to store and to send back in Content-Disposition: no paths, no control characters, bounded. */
export function cleanFileName(name: string | undefined, type: FileType): string {
  const ext = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }[type];
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 180);
  return base || `document.${ext}`;
}
