import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CERTIFICATE_ARN } from '../testUtils/inputMatrix';
import { createAwsFargateServiceGenerateAction } from './generate';

describe('aws:fargateService:generate and plain HTTP', () => {
  const action = createAwsFargateServiceGenerateAction();
  let workspacePath: string;
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'fargate-http-'));
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });
  const run = async (input: Record<string, string>) => {
    const ctx = createMockActionContext({
      workspacePath,
      input,
    }) as unknown as Parameters<typeof action.handler>[0];
    const warn = jest.spyOn(ctx.logger, 'warn');
    await action.handler(ctx);
    return warn.mock.calls.map(([message]) => String(message));
  };

  it('warns when an internet-facing load balancer has no certificate, and says what to give', async () => {
    expect(await run({ serviceName: 'orders' })).toEqual([
      expect.stringMatching(
        /^orders-dev serves plain HTTP to the internet: give certificateArn/,
      ),
    ]);
  });

  it('stays quiet with a certificate or an internal load balancer', async () => {
    expect(
      await run({ serviceName: 'orders', certificateArn: CERTIFICATE_ARN }),
    ).toEqual([]);
    expect(
      await run({ serviceName: 'orders', loadBalancerScheme: 'internal' }),
    ).toEqual([]);
  });
});
