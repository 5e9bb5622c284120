import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A `moto_server` process serving every AWS service on one local port. */
export type MotoServer = { url: string; stop(): Promise<void> };

/** Starts `moto_server` on a free port of 127.0.0.1 and waits until it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(
  url: string,
  child: ChildProcess,
): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode}`);
    }
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error('moto_server did not start within 15 seconds');
}
