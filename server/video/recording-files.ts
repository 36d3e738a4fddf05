// LiveKit recordings are files that egress writes into a folder this server shares
// (LIVEKIT_RECORDINGS_DIR). Participants get them through a link that names the booking, expires
// after LINK_TTL_MS and carries an HMAC under the server's SECRET_KEY: the route checks the
// signature and the booking's current recording before streaming, so an erased recording or an
// old link yields nothing.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { safeEqual } from '../auth/tokens.ts';

export const LINK_TTL_MS = 15 * 60_000;

/** The file under `dir` for a recording id, or null when the id would leave the folder. */
export function recordingPath(dir: string, recordingId: string): string | null {
  const file = path.resolve(dir, recordingId);
  return file.startsWith(path.resolve(dir) + path.sep) ? file : null;
}

const signature = (key: Buffer, bookingId: string, recordingId: string, expires: number) =>
  createHmac('sha256', key).update(`recording\n${bookingId}\n${recordingId}\n${expires}`).digest('base64url');

export function signedRecordingLink(key: Buffer, publicUrl: string, bookingId: string, recordingId: string, now: number) {
  const expires = Math.floor((now + LINK_TTL_MS) / 1000);
  const url = new URL(`/api/recordings/${bookingId}`, publicUrl);
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('signature', signature(key, bookingId, recordingId, expires));
  return { url: url.toString(), expiresAt: expires };
}

export function verifyRecordingLink(key: Buffer, bookingId: string, recordingId: string, expires: number, sig: string, now: number): boolean {
  return expires * 1000 > now && safeEqual(signature(key, bookingId, recordingId, expires), sig);
}
