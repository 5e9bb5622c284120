import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import type { ServiceNameAvailability } from '@golden-path/plugin-cloudformation-common';
import { scriptedEndpointEnv } from './support/testAccount';
import {
  goldenPathValues,
  QUICK_RECOVERY,
  repositoriesOf,
} from './support/crash';
import {
  GOLDEN_PATH_TEMPLATE,
  Portal,
  startPortal,
  waitFor,
} from './support/portal';
import {
  catalogCount,
  publishedRepositories,
  startTask,
  waitForCompletion,
} from './support/tasks';

// One backend for both cases; each runs the golden path twice.
jest.setTimeout(300_000);

/**
 * The no-orphans rule (README "After a failed run"): a deploy fails at the CloudFormation endpoint,
 * the cause is fixed, the same values are run again, and the service ends registered and deployed,
 * with one repository and no manual step.
 */
describe('after a failed deploy, the same values run again continue the service', () => {
  let fake: FakeCloudFormation;
  let portal: Portal;

  beforeAll(async () => {
    fake = await FakeCloudFormation.start({
      accountId: '123456789012',
      region: 'us-east-1',
    });
    portal = await startPortal({
      env: scriptedEndpointEnv(fake),
      config: QUICK_RECOVERY,
    });
  });

  afterAll(async () => {
    await portal?.stop();
    await fake?.stop();
  });

  async function nameCheck(name: string): Promise<ServiceNameAvailability> {
    const response = await portal.api(
      `/api/cloudformation/service-names/${name}?stackName=${name}-dev&accountId=123456789012&region=us-east-1`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as ServiceNameAvailability;
  }

  it.each([
    [
      'the change set fails (CloudFormation rejects the template)',
      'orphan-change-set',
      {
        changeSetFailure:
          'Template format error: Unresolved resource dependencies [Vpc] in the Resources block of the template',
      },
      // The deploy deletes the empty stack its failed change set left.
      'DELETE_COMPLETE',
    ],
    [
      'the first create fails and rolls back',
      'orphan-create',
      {
        failure: {
          logicalId: 'Database',
          reason:
            'The parameter MasterUserPassword is not a valid password (Service: Rds, Status Code: 400)',
        },
      },
      'ROLLBACK_COMPLETE',
    ],
  ])('%s', async (_case, name, failing, statusAfterFailure) => {
    const stackName = `${name}-dev`;
    const values = await goldenPathValues(name);
    fake.scenario(stackName, failing);

    const failedTask = await startTask(portal, GOLDEN_PATH_TEMPLATE, values);
    const failed = await waitForCompletion(portal, failedTask, 120_000);
    expect(failed.status).toBe('failed');
    expect(fake.stack(stackName)?.status).toBe(statusAfterFailure);

    // Nothing is orphaned: the repository is published and the Component registered, so the entity
    // page shows the service and its stack's state.
    expect(await publishedRepositories(repositoriesOf(portal))).toContain(name);
    await waitFor(
      async () => (await catalogCount(portal, 'component', name)) === 1,
      60_000,
    );

    // The form says the name continues the earlier run instead of calling it taken.
    const check = await nameCheck(name);
    expect(check.takenBy).toEqual([]);
    expect(check.available).toBe(true);
    expect(check.unfinishedRun).toMatchObject({
      taskId: failedTask,
      status: 'failed',
    });
    expect(check.continues.map(part => part.use).sort()).toEqual(
      statusAfterFailure === 'ROLLBACK_COMPLETE'
        ? ['catalog', 'repository', 'stack']
        : ['catalog', 'repository'],
    );

    // The cause is fixed; the same values run again.
    fake.scenario(stackName, {});
    const retry = await startTask(portal, GOLDEN_PATH_TEMPLATE, values);
    const end = await waitForCompletion(portal, retry, 120_000);
    expect(end.error).toBeUndefined();
    expect(end.status).toBe('completed');
    expect(end.events.map(e => e.body.message)).toContainEqual(
      expect.stringContaining(
        `is from an earlier run of component:default/${name} that did not finish`,
      ),
    );

    expect(fake.stack(stackName)?.status).toBe('CREATE_COMPLETE');
    expect(
      (await publishedRepositories(repositoriesOf(portal))).filter(
        repository => repository === name,
      ),
    ).toHaveLength(1);
    expect(await catalogCount(portal, 'component', name)).toBe(1);
    expect(await catalogCount(portal, 'resource', stackName)).toBe(1);
    const locations = (await (
      await portal.api('/api/catalog/locations')
    ).json()) as { data: { target: string } }[];
    expect(
      locations.filter(l => l.data.target.includes(`/repos/${name}/`)),
    ).toHaveLength(1);

    // Finished now: the name is taken again, by a finished service.
    const after = await nameCheck(name);
    expect(after.available).toBe(false);
    expect(after.unfinishedRun).toBeUndefined();
    expect(after.takenBy.map(taken => taken.use).sort()).toEqual([
      'catalog',
      'repository',
      'stack',
    ]);
  });
});
