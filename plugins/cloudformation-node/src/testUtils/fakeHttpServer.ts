import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fake endpoint sees it: its headers and whole body, and the socket (to reset it). */
export type FakeRequest = {
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: { destroy(): void };
};

/** Sends a fake endpoint's answer. */
export type FakeReply = (
  status: number,
  contentType: string,
  body: string,
) => void;

/**
 * The HTTP side every fake AWS endpoint here shares: a server on a free port of 127.0.0.1 that
 * reads each request's body, waits the configured latency (standing in for a real region's, in
 * benchmarks), then hands the request over.
 */
export class FakeHttpServer {
  private constructor(private readonly server: http.Server) {}

  static async start(
    handle: (request: FakeRequest, reply: FakeReply) => void,
    latencyMs: () => number = () => 0,
  ): Promise<FakeHttpServer> {
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      const delay = latencyMs();
      if (delay) {
        await new Promise(resolve => setTimeout(resolve, delay));
      }
      handle(
        {
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          socket: req.socket,
        },
        (status, contentType, body) => {
          res.writeHead(status, { 'content-type': contentType });
          res.end(body);
        },
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return new FakeHttpServer(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}

/** The action of a JSON-protocol request (`X-Amz-Target: Service_20141113.Action`). */
export function jsonTargetAction(request: FakeRequest): string {
  return (
    String(request.headers['x-amz-target'] ?? '')
      .split('.')
      .pop() ?? ''
  );
}

/** The body of a JSON-protocol request as an object. */
export function jsonParams(request: FakeRequest): Record<string, unknown> {
  return JSON.parse(request.body || '{}') as Record<string, unknown>;
}

export const AMZ_JSON = 'application/x-amz-json-1.1';
