import { startMotoServer } from '@golden-path/plugin-cloudformation-node/testUtils';

export interface Moto {
  endpoint: string;
  /** Environment for a process whose AWS SDK should talk to this moto (standard SDK variables only). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts `moto_server` (pip's moto[server], on this image) and the environment that points the SDK at it. */
export async function startMoto(): Promise<Moto> {
  const server = await startMotoServer();
  return {
    endpoint: server.url,
    env: {
      AWS_ENDPOINT_URL: server.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    },
    stop: () => server.stop(),
  };
}
