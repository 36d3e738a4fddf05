// METRICS_PORT: /metrics on a listener of its own (an internal interface or port that is not
// published), so the public port never serves it. Plain node:http: one route, no framework.
import { createServer, type Server } from 'node:http';
import type { Config } from '../config.ts';
import type { Metrics } from './metrics.ts';
import { metricsAllowed } from './metrics-auth.ts';

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

interface Log { info(obj: object, msg: string): void; error(obj: object, msg: string): void }

export function listenMetrics(metrics: Metrics, options: Config['metrics'], log: Log, port = options.port ?? 0): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify({ error, message }));
    };
    if (path !== '/metrics') return json(404, 'not_found', `No route for ${req.method} ${path}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, 'method_not_allowed', 'Use GET.', { allow: 'GET, HEAD' });
    if (!metricsAllowed(options.token, req.headers.authorization)) {
      return json(401, 'unauthorized', 'A valid metrics token is required.', { 'www-authenticate': 'Bearer' });
    }
    metrics.render().then((text) => {
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    }, (err) => {
      log.error({ err }, 'rendering metrics failed');
      json(500, 'internal', 'Metrics could not be collected.');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      const bound = (server.address() as { port: number }).port;
      log.info({ port: bound, host: options.host }, `metrics at http://${options.host}:${bound}/metrics`);
      resolve({
        port: bound,
        close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
      });
    });
  });
}
