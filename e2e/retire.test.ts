import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { startMoto, Moto } from './support/moto';
import { GOLDEN_PATH_TEMPLATE, Portal, startPortal } from './support/portal';
import {
  entityStatus,
  guestToken,
  RETIRE_TEMPLATE,
  runTaskAs,
  waitForEntity,
} from './support/retire';
import { dryRunTemplate, formDefaults, runTask } from './support/scaffolder';

// Create through the golden path on moto, retire through the retire template as the guest user (a member
// of platform-team), and see the stack, the catalog entities and the repository go.
jest.setTimeout(600_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const owned = { name: 'shop-api', stackName: 'shop-api-dev' };
const others = { name: 'ledger-api' };

describe('retiring a golden-path service through the real backend', () => {
  let moto: Moto;
  let portal: Portal;
  let token: string;
  let cloudFormation: CloudFormationClient;

  const stackStatus = async (stackName: string) =>
    (await cloudFormation
      .send(new DescribeStacksCommand({ StackName: stackName }))
      .then(
        answer => answer.Stacks?.[0]?.StackStatus,
        (error: Error) => error.message,
      )) ?? 'none';

  beforeAll(async () => {
    moto = await startMoto();
    portal = await startPortal({
      env: moto.env,
      config: {
        aws: {
          cloudformation: {
            allowedAccountIds: [ACCOUNT],
            allowedRegions: [REGION],
          },
        },
      },
    });
    cloudFormation = new CloudFormationClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    token = await guestToken(portal);
    const defaults = await formDefaults(`templates/${GOLDEN_PATH_TEMPLATE}`);
    // The guest's team owns this one and deploys it to moto.
    const created = await runTask(portal, GOLDEN_PATH_TEMPLATE, {
      ...defaults,
      name: owned.name,
      owner: 'group:default/platform-team',
    });
    expect(created.error).toBeUndefined();
    // Another team's service: registered, not deployed.
    const foreign = await runTask(portal, GOLDEN_PATH_TEMPLATE, {
      ...defaults,
      name: others.name,
      owner: 'group:default/payments-team',
      deployNow: false,
    });
    expect(foreign.error).toBeUndefined();
    await waitForEntity(portal, `component/default/${owned.name}`);
    await waitForEntity(portal, `resource/default/${owned.stackName}`);
    await waitForEntity(portal, `component/default/${others.name}`);
  });

  afterAll(async () => {
    cloudFormation?.destroy();
    await portal?.stop();
    await moto?.stop();
  });

  it('refuses a user who does not own the service, in the backend, before touching anything', async () => {
    const task = await runTaskAs(portal, token, RETIRE_TEMPLATE, {
      entity: `component:default/${others.name}`,
      confirmName: others.name,
    });

    expect(task.status).toBe('failed');
    expect(task.error).toContain(
      `Only the owners of component:default/${others.name} may retire it (permission cloudformation.stack.retire)`,
    );
    expect(task.log.join('\n')).toMatch(
      /unregister: Skipping step unregister because a previous step failed/,
    );
    expect(await entityStatus(portal, `component/default/${others.name}`)).toBe(
      200,
    );
  });

  it('refuses a confirmation that is not the service name', async () => {
    const task = await runTaskAs(portal, token, RETIRE_TEMPLATE, {
      entity: `component:default/${owned.name}`,
      confirmName: 'shop',
    });

    expect(task.status).toBe('failed');
    expect(task.error).toContain(
      `confirmation: type the service's name, "${owned.name}"`,
    );
    expect(await stackStatus(owned.stackName)).toBe('CREATE_COMPLETE');
  });

  it('dry-runs from the template editor: the plan, with no change to the stack, the catalog or the repository', async () => {
    const { status, body } = await dryRunTemplate(
      portal,
      `templates/${RETIRE_TEMPLATE}`,
      {
        entity: `component:default/${owned.name}`,
        confirmName: owned.name,
      },
    );

    expect(body.error).toBeUndefined();
    expect(status).toBe(200);
    const log = body.log.map(entry => entry.body.message).join('\n');
    expect(log).toContain('Dry run: nothing is deleted.');
    expect(log).toMatch(/ snapshot +Database \(AWS::RDS::DBInstance/);
    expect(log).toContain(`Would remove from the catalog: `);
    expect(log).toContain(`Dry run: would mark the local repository`);
    expect(await stackStatus(owned.stackName)).toBe('CREATE_COMPLETE');
    expect(await entityStatus(portal, `component/default/${owned.name}`)).toBe(
      200,
    );
  });

  it('lets an owner retire it: the stack is gone, the catalog forgets it, the repository is archived', async () => {
    const task = await runTaskAs(portal, token, RETIRE_TEMPLATE, {
      entity: `component:default/${owned.name}`,
      confirmName: owned.name,
    });

    expect(task.error).toBeUndefined();
    expect(task.status).toBe('completed');
    const log = task.log.join('\n');
    // Each line as the task log has it: `<step>: <level>: <message>`.
    expect(log).toMatch(
      new RegExp(
        `delete: .*Deleting stack ${owned.stackName} affects \\d+ resource\\(s\\):`,
      ),
    );
    expect(log).toMatch(/delete: .* snapshot +Database \(AWS::RDS::DBInstance/);
    expect(log).toMatch(
      /delete: .*Stack shop-api-dev is DELETE_COMPLETE\. Kept: .*Database/,
    );
    expect(task.output.text?.[0].content).toContain(
      `Stack **${owned.stackName}**`,
    );

    expect(await stackStatus(owned.stackName)).toMatch(/does not exist/);
    for (const ref of [
      `component/default/${owned.name}`,
      `resource/default/${owned.stackName}`,
      `resource/default/${owned.stackName}-database`,
    ]) {
      expect(await entityStatus(portal, ref)).toBe(404);
    }
    const marker = JSON.parse(
      await readFile(
        path.join(
          portal.dataDir,
          'repositories',
          owned.name,
          'backstage-archived.json',
        ),
        'utf8',
      ),
    );
    expect(marker.entityRef).toBe(`component:default/${owned.name}`);
    // Another team's service stays.
    expect(await entityStatus(portal, `component/default/${others.name}`)).toBe(
      200,
    );
  });
});
