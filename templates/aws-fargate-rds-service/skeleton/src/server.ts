import http from 'node:http';
import type { DatabaseProbe } from './database';

export interface ServerOptions {
  serviceName: string;
  /** The load balancer's health check path; answered like /healthz unless it is `/`. */
  healthCheckPath: string;
  /** Undefined when the environment names no database. */
  database?: DatabaseProbe;
  /** The DB_* variables that are absent when `database` is undefined. */
  missing: string[];
}

/**
 * `GET /healthz` (and the configured health check path): liveness for the load balancer; never
 * touches the database, so a database outage does not make ECS replace healthy tasks.
 * `GET /`: whether the service reaches its database, with a real query (200 when it does, 503 otherwise).
 */
export function createServer(options: ServerOptions): http.Server {
  const livenessPaths = new Set(['/healthz', options.healthCheckPath]);
  livenessPaths.delete('/');

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/' && !livenessPaths.has(path)) {
      send(res, 404, { error: `No route for ${path}` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, { error: `${req.method} is not allowed` });
      return;
    }
    if (livenessPaths.has(path)) {
      send(res, 200, { status: 'ok' });
      return;
    }
    if (!options.database) {
      send(res, 503, {
        service: options.serviceName,
        database: { reachable: false, error: `Not configured: set ${options.missing.join(', ')}` },
      });
      return;
    }
    options.database.check().then(
      database => send(res, database.reachable ? 200 : 503, { service: options.serviceName, database }),
      (error: unknown) => send(res, 500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  // Longer than the ALB's 60 s idle timeout, so the load balancer never reuses a connection the
  // service has just closed (which surfaces as sporadic 502s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
