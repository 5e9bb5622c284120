import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import { startMoto, Moto } from './support/moto';
import {
  GOLDEN_PATH_TEMPLATE,
  Portal,
  startPortal,
  waitFor,
} from './support/portal';
import {
  dryRunFile,
  dryRunTemplate,
  formDefaults,
  runTask,
  TaskRun,
} from './support/scaffolder';

const run = promisify(execFile);
const templateDirectory = `templates/${GOLDEN_PATH_TEMPLATE}`;
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

jest.setTimeout(600_000);

describe('the golden path through the real backend', () => {
  let moto: Moto;
  let portal: Portal;
  let values: Record<string, unknown>;

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
    values = {
      ...(await formDefaults(templateDirectory)),
      name: 'orders-api',
      description:
        'Takes orders: "quoted", {{ braces }} and ${{ expressions }}',
      owner: 'group:default/payments-team',
      system: 'system:default/examples',
    };
  });

  afterAll(async () => {
    await portal?.stop();
    await moto?.stop();
  });

  it('dry-runs from the template editor: files, validated CloudFormation, deploy plan and outputs, no AWS call', async () => {
    const { status, body } = await dryRunTemplate(
      portal,
      templateDirectory,
      values,
    );
    expect(body.error).toBeUndefined();
    expect(status).toBe(200);

    const template = parse(dryRunFile(body, 'infra/template.yaml') ?? '', {
      customTags: [],
      logLevel: 'silent',
    });
    expect(Object.keys(template.Resources).length).toBeGreaterThan(20);
    for (const file of [
      'catalog-info.yaml',
      'README.md',
      'Dockerfile',
      'mkdocs.yml',
      'docs/architecture.md',
      'infra/parameters.json',
    ]) {
      expect(dryRunFile(body, file)).toBeDefined();
    }
    const log = body.log.map(entry => entry.body.message).join('\n');
    expect(log).not.toMatch(/Skipping because (aws|local):/);
    expect(log).toMatch(/orders-api/);

    const links = (body.output.links ?? []) as {
      title: string;
      url?: string;
    }[];
    expect(
      links.find(link => link.title === 'CloudFormation console')?.url,
    ).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=us-east-1#\/stacks\/stackinfo\?stackId=arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack%2F/,
    );
    // Nothing was deployed: moto holds no stack.
    const stacks = await fetch(
      `${moto.endpoint}/?Action=ListStacks&Version=2010-05-15`,
      {
        headers: {
          authorization:
            'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/cloudformation/aws4_request',
        },
      },
    );
    expect(await stacks.text()).not.toContain('orders-api');
  });

  it('stops on bad input before any side effect: nothing published, nothing deployed', async () => {
    // The form's schema accepts each number alone; the blueprint checks them together.
    const task = await runTask(portal, GOLDEN_PATH_TEMPLATE, {
      ...values,
      name: 'sizing-api',
      minCapacity: 6,
      maxCapacity: 3,
    });

    expect(task.status).toBe('failed');
    expect(task.error).toMatch(
      /minCapacity: must not exceed maxCapacity \(3\)/,
    );
    expect(task.error).toMatch(
      /desiredCount: must be between minCapacity \(6\) and maxCapacity \(3\)/,
    );
    const log = task.log.join('\n');
    expect(log).toMatch(
      /publish-local: Skipping step publish-local because a previous step failed/,
    );
    expect(log).not.toMatch(/change set/i);
    // One message for the person who filled the form; the stack trace stays in the backend log.
    expect(log).toMatch(
      /generate: InputError: Invalid input for aws:fargateService:generate:/,
    );
    expect(log).not.toMatch(/node_modules|\n\s+at /);
    expect(portal.logs()).toMatch(
      /aws:fargateService:generate refused its input: InputError: Invalid input/,
    );
    await expect(
      stat(path.join(portal.dataDir, 'repositories', 'sizing-api')),
    ).rejects.toThrow(/ENOENT/);
  });

  describe('a full run', () => {
    let task: TaskRun;

    beforeAll(async () => {
      task = await runTask(portal, GOLDEN_PATH_TEMPLATE, values);
    });

    it('publishes, deploys to the local AWS endpoint and hands the stack outputs on', () => {
      expect(task.error).toBeUndefined();
      expect(task.status).toBe('completed');
      const log = task.log.join('\n');
      expect(log).toMatch(/deploy: .*CREATE_COMPLETE/);

      const links = task.output.links ?? [];
      expect(
        links.find(link => link.title === 'Open in catalog')?.entityRef,
      ).toBe('component:default/orders-api');
      expect(
        links.find(link => link.title === 'CloudFormation console')?.url,
      ).toContain(
        encodeURIComponent(
          `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/orders-api-dev/`,
        ),
      );
      expect(task.output.text?.[0].content).toContain('CREATE_COMPLETE');
    });

    it('registers the Component and both Resources with their relations and stack annotations', async () => {
      // The catalog processes a registered location in the background.
      const entity = async (ref: string) => {
        let response: Response | undefined;
        await waitFor(async () => {
          response = await portal.api(`/api/catalog/entities/by-name/${ref}`);
          return response.status === 200;
        }, 60_000);
        return response!.json();
      };
      const component = await entity('component/default/orders-api');
      // The catalog names the stack's own names: the database identifier, the secret after its own name.
      const database = await entity('resource/default/orders-api-dev');
      const secret = await entity('resource/default/orders-api-dev-database');

      for (const registered of [component, database, secret]) {
        expect(registered.metadata.annotations).toMatchObject({
          [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'orders-api-dev',
          [ANNOTATION_CLOUDFORMATION_REGION]: REGION,
          [ANNOTATION_AWS_ACCOUNT_ID]: ACCOUNT,
        });
      }
      expect(component.spec).toMatchObject({
        type: 'service',
        owner: 'group:default/payments-team',
        system: 'system:default/examples',
      });
      expect(component.metadata.description).toBe(values.description);
      const dependsOn = component.relations
        .filter((relation: { type: string }) => relation.type === 'dependsOn')
        .map((relation: { targetRef: string }) => relation.targetRef)
        .sort();
      expect(dependsOn).toEqual([
        'resource:default/orders-api-dev',
        'resource:default/orders-api-dev-database',
      ]);
      expect(database.spec.type).toBe('database');
      expect(secret.spec.type).toBe('secret');
    });

    it('refuses a second run with the same name and overwrites nothing', async () => {
      const repository = path.join(
        portal.dataDir,
        'repositories',
        'orders-api',
      );
      const headBefore = (
        await run('git', ['--git-dir', repository, 'rev-parse', 'HEAD'])
      ).stdout;

      const second = await runTask(portal, GOLDEN_PATH_TEMPLATE, values);
      expect(second.status).toBe('failed');
      expect(second.error).toMatch(/orders-api/);
      expect(second.error).toMatch(/already taken/);
      expect(second.error).toMatch(/Nothing was written/);
      expect(second.log.join('\n')).toMatch(
        /deploy: Skipping step deploy because a previous step failed/,
      );
      expect(second.log.join('\n')).not.toMatch(/change set/i);
      expect(
        (await run('git', ['--git-dir', repository, 'rev-parse', 'HEAD']))
          .stdout,
      ).toBe(headBefore);
    });

    it('publishes a repository whose own tests pass from a fresh clone', async () => {
      const clone = await mkdtemp(path.join(tmpdir(), 'generated-repo-'));
      try {
        await run('git', [
          'clone',
          '--quiet',
          path.join(portal.dataDir, 'repositories', 'orders-api'),
          clone,
        ]);
        await run(
          'npm',
          ['ci', '--no-audit', '--no-fund', '--prefer-offline'],
          { cwd: clone },
        );
        const { stdout } = await run('npm', ['test'], {
          cwd: clone,
          env: {
            ...process.env,
            DB_HOST: '127.0.0.1',
            DB_USER: 'postgres',
            DB_NAME: 'postgres',
            DB_SSL: 'disable',
            // Node 22 reports in TAP when not on a terminal, Node 24 in its spec format: ask for TAP on both.
            NODE_OPTIONS: '--test-reporter=tap',
          },
        });
        expect(stdout).toMatch(/# fail 0/);
      } finally {
        await rm(clone, { recursive: true, force: true });
      }
    });
  });
});
