import { stringify } from 'yaml';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { Portal, startPortal, waitFor } from './support/portal';
import { guestToken, RETIRE_TEMPLATE, waitForEntity } from './support/retire';
import {
  ACCOUNT,
  CatalogFixture,
  plantComponents,
  REGION,
  scriptedEndpointEnv,
  TEST_ACCOUNT_AWS_CONFIG,
} from './support/testAccount';

// The backend dies (SIGKILL) while CloudFormation deletes a stack; started again on the same database with
// task recovery on, it runs the retire task again, which watches the deletion it already requested instead
// of asking again, and finishes it.
jest.setTimeout(180_000);

const ENTITY = 'component:default/crash-api';
const STACK = 'crash-api-dev';
// Eight resources at 1.5 s each: the deletion takes about 13 s.
const TEMPLATE = stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: Object.fromEntries(
    [
      'Cluster',
      'Service',
      'TaskDefinition',
      'LoadBalancer',
      'Listener',
      'TargetGroup',
      'LogGroup',
      'Repository',
    ].map(id => [
      id,
      {
        Type:
          id === 'Repository'
            ? 'AWS::ECR::Repository'
            : 'AWS::CloudFormation::WaitConditionHandle',
      },
    ]),
  ),
});

let cloudFormation: FakeCloudFormation;
let catalog: CatalogFixture;
let portal: Portal;

/** The backend with task recovery on; again on the same data and port after a crash with `restartOf`. */
async function startRecoveringPortal(restartOf?: Portal): Promise<Portal> {
  const started = await startPortal({
    env: scriptedEndpointEnv(cloudFormation),
    config: {
      catalog: catalog.config,
      scaffolder: {
        taskRecovery: { enabled: true, staleTimeout: { seconds: 3 } },
      },
      aws: TEST_ACCOUNT_AWS_CONFIG,
    },
    restartOf,
  });
  await waitForEntity(started, `template/default/${RETIRE_TEMPLATE}`, 90_000);
  return started;
}

beforeAll(async () => {
  cloudFormation = await FakeCloudFormation.start({
    accountId: ACCOUNT,
    region: REGION,
  });
  cloudFormation.scenario(STACK, {
    existing: {
      status: 'CREATE_COMPLETE',
      tags: { [TAG_ENTITY_REF]: ENTITY },
      templateBody: TEMPLATE,
    },
    stepMs: 1_500,
  });
  catalog = await plantComponents([
    {
      name: 'crash-api',
      annotations: {
        'aws.amazon.com/cloudformation-stack-name': STACK,
        'aws.amazon.com/cloudformation-region': REGION,
        'aws.amazon.com/account-id': ACCOUNT,
      },
    },
  ]);
  portal = await startRecoveringPortal();
  await waitForEntity(portal, 'component/default/crash-api');
}, 150_000);

afterAll(async () => {
  await portal?.stop();
  await cloudFormation?.stop();
  await catalog?.remove();
});

describe('a backend crash during a deletion', () => {
  it('is recovered: the task resumes watching the same deletion and finishes the retirement', async () => {
    const userToken = await guestToken(portal);
    const created = await portal.api('/api/scaffolder/v2/tasks', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${userToken}`,
      },
      body: JSON.stringify({
        templateRef: `template:default/${RETIRE_TEMPLATE}`,
        values: { entity: ENTITY, confirmName: 'crash-api' },
      }),
    });
    expect(created.status).toBe(201);
    const { id: taskId } = await created.json();

    // Killed once CloudFormation took the delete request, while it is deleting.
    await waitFor(
      async () => cloudFormation.callsFor(STACK, 'DeleteStack').length > 0,
      60_000,
      100,
    );
    expect(cloudFormation.stack(STACK)!.status).toBe('DELETE_IN_PROGRESS');
    await portal.kill('SIGKILL');

    portal = await startRecoveringPortal(portal);
    let task: { status: string } = { status: 'processing' };
    await waitFor(
      async () => {
        task = await (
          await portal.api(`/api/scaffolder/v2/tasks/${taskId}`)
        ).json();
        return task.status === 'completed' || task.status === 'failed';
      },
      90_000,
      500,
    );
    const events = (await (
      await portal.api(`/api/scaffolder/v2/tasks/${taskId}/events`)
    ).json()) as { type: string; body: { message?: string } }[];
    const log = events
      .map(event => event.body.message ?? `[${event.type}]`)
      .join('\n');

    expect(task.status).toBe('completed');
    expect(events.some(event => event.type === 'recovered')).toBe(true);
    expect(log).toContain(
      `Resuming after a restart: the deletion of stack ${STACK} was requested at`,
    );
    expect(cloudFormation.callsFor(STACK, 'DeleteStack')).toHaveLength(1);
    expect(cloudFormation.stack(STACK)!.status).toBe('DELETE_COMPLETE');
    expect(
      (
        await portal.api(
          '/api/catalog/entities/by-name/component/default/crash-api',
        )
      ).status,
    ).toBe(404);
  });
});
