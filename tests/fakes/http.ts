// What the provider fakes share: a loopback server, and reading a request the way the providers'
// endpoints accept it (OAuth token endpoints take forms, APIs take JSON).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 at a free port. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A provider fake serving its own `handle` on a port of its own: start() before, stop() after. */
export abstract class FakeServer {
  private server: Listening | null = null;
  url = '';

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  async start(): Promise<this> {
    this.server = await listen((req, res) => { void this.handle(req, res); });
    this.url = this.server.url;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}

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
