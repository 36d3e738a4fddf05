// What the provider fakes share: reading a request the way the providers' endpoints accept it
// (OAuth token endpoints take forms, APIs take JSON).
import type { IncomingMessage } from 'node:http';

export interface FakeRequest {
  url: URL;
  raw: string;
  body: URLSearchParams | any;
}

export async function readRequest(req: IncomingMessage, base: string): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const form = (req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? new URLSearchParams(raw) : null;
  return { url: new URL(req.url ?? '/', base), raw, body: form ?? (raw ? JSON.parse(raw) : undefined) };
}
