import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  url: string;
  /** Where requests go, in turn; a backend that refuses the connection is skipped. */
  setTargets(ports: number[]): void;
  stop(): Promise<void>;
}

/**
 * A round-robin HTTP load balancer on 127.0.0.1, like the one in front of portal replicas: users and
 * the catalog's URL reader reach every replica through one public URL. A request whose backend is
 * gone (connection refused or reset before an answer) is tried on the next one.
 */
export async function startLoadBalancer(): Promise<LoadBalancer> {
  let targets: number[] = [];
  let next = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const order = targets.map((_, i) => targets[(next + i) % targets.length]);
    next += 1;
    for (const port of order) {
      const answered = await new Promise<boolean>(resolve => {
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          response => {
            res.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(res);
            resolve(true);
          },
        );
        upstream.on('error', () => resolve(false));
        upstream.end(body);
      });
      if (answered) return;
    }
    res.writeHead(502).end('No backend answered');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    setTargets: ports => {
      targets = ports;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
