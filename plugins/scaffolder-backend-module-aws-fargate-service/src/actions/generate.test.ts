import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { createAwsFargateServiceGenerateAction } from './generate';

describe('aws:fargateService:generate', () => {
  const action = createAwsFargateServiceGenerateAction();
  // The scaffolder hands the handler raw template input, defaults unresolved: exactly what these contexts hold.
  const contextFor = (
    options: NonNullable<Parameters<typeof createMockActionContext>[0]>,
  ) =>
    createMockActionContext(options) as unknown as Parameters<
      typeof action.handler
    >[0];
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'fargate-generate-'),
    );
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  const filesIn = async (directory: string): Promise<string[]> =>
    (await fs.readdir(directory, { recursive: true, withFileTypes: true }))
      .filter(entry => entry.isFile())
      .map(entry =>
        path.relative(directory, path.join(entry.parentPath, entry.name)),
      )
      .sort();

  it('writes the template, parameters and architecture doc under targetPath and reports them', async () => {
    const ctx = contextFor({
      workspacePath,
      input: {
        serviceName: 'orders',
        targetPath: 'service',
        credentialsMode: 'secrets-manager',
        kmsKey: 'create',
      },
    });
    await action.handler(ctx);

    expect(await filesIn(workspacePath)).toEqual([
      'service/docs/architecture.md',
      'service/infra/parameters.json',
      'service/infra/template.yaml',
    ]);
    const template = parseTemplate(
      await fs.readFile(
        path.join(workspacePath, 'service/infra/template.yaml'),
        'utf8',
      ),
    ) as {
      Parameters: Record<string, { Type: string }>;
      Resources: Record<string, unknown>;
    };
    expect(template.Parameters.ContainerImage.Type).toBe('String');
    expect(
      JSON.parse(
        await fs.readFile(
          path.join(workspacePath, 'service/infra/parameters.json'),
          'utf8',
        ),
      ),
    ).toEqual([
      {
        ParameterKey: 'ContainerImage',
        ParameterValue: 'public.ecr.aws/nginx/nginx-unprivileged:alpine',
      },
    ]);
    expect(
      await fs.readFile(
        path.join(workspacePath, 'service/docs/architecture.md'),
        'utf8',
      ),
    ).toContain('```mermaid\nflowchart LR');

    expect(ctx.output).toHaveBeenCalledWith(
      'templatePath',
      'service/infra/template.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'parametersPath',
      'service/infra/parameters.json',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'diagramPath',
      'service/docs/architecture.md',
    );
    expect(ctx.output).toHaveBeenCalledWith('stackName', 'orders-dev');
    expect(ctx.output).toHaveBeenCalledWith('capabilities', [
      'CAPABILITY_IAM',
      'CAPABILITY_AUTO_EXPAND',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('parameters', {
      ContainerImage: 'public.ecr.aws/nginx/nginx-unprivileged:alpine',
    });
    expect(ctx.output).toHaveBeenCalledWith('names', {
      stackName: 'orders-dev',
      clusterName: 'orders-dev',
      serviceName: 'orders-dev',
      taskFamily: 'orders-dev',
      logGroupName: '/ecs/orders-dev',
      repositoryName: 'orders-dev',
      databaseIdentifier: 'orders-dev',
      secretName: 'orders-dev/database',
      rotationFunctionName: 'orders-dev-db-rotation',
      applicationSecretName: 'orders-dev/application',
      applicationRotationFunctionName: 'orders-dev-app-rotation',
      bootstrapImagePrefix: 'bootstrap-e387de03fffc',
      redeployLogGroupName: '/aws/vendedlogs/states/orders-dev-redeploy',
      alarmTopicName: 'orders-dev-credential-alarms',
      kmsAliasName: 'alias/orders-dev',
    });
    const resources = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'resources',
    )[1];
    expect(resources).toContainEqual({
      logicalId: 'DatabaseSecret',
      type: 'AWS::SecretsManager::Secret',
      description: 'Database credentials (Secrets Manager)',
    });
    expect(
      resources.map((resource: { logicalId: string }) => resource.logicalId),
    ).toEqual(Object.keys(template.Resources));
  });

  it('refuses bad input with one message per problem and writes nothing', async () => {
    const ctx = contextFor({
      workspacePath,
      input: {
        serviceName: 'Bad Name',
        cpu: 512,
        memory: 512,
        rotationDays: 5000,
        vpcCidr: 'nope',
      },
    });
    const error = await action.handler(ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message.split('\n')).toEqual([
      'Invalid input for aws:fargateService:generate:',
      '- serviceName: must start with a lowercase letter, end with a letter or digit, and hold only lowercase letters, digits and single hyphens',
      '- vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16',
      '- rotationDays: must be between 1 and 1000',
      '- memory: 512 MiB is not valid with cpu 512; use one of 1024, 2048, 3072, 4096',
    ]);
    expect(await filesIn(workspacePath)).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('refuses a target path that leaves the workspace', async () => {
    const ctx = contextFor({
      workspacePath,
      input: { serviceName: 'orders', targetPath: '../elsewhere' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /targetPath: must be a relative path that stays inside the workspace/,
    );
    await expect(
      fs.access(path.join(workspacePath, '..', 'elsewhere')),
    ).rejects.toThrow();
    expect(await filesIn(workspacePath)).toEqual([]);
  });

  it('writes the files in a dry run too, so the template editor can show them', async () => {
    const ctx = contextFor({
      workspacePath,
      isDryRun: true,
      input: { serviceName: 'orders' },
    });
    await action.handler(ctx);
    expect(await filesIn(workspacePath)).toEqual([
      'docs/architecture.md',
      'infra/parameters.json',
      'infra/template.yaml',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('capabilities', ['CAPABILITY_IAM']);
  });

  it('writes inside a checkpoint, so a retried task does not redo it', async () => {
    const ctx = contextFor({ workspacePath, input: { serviceName: 'orders' } });
    const checkpoint = jest.spyOn(ctx, 'checkpoint');
    await action.handler(ctx);
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'write-orders-dev' }),
    );
  });

  it('documents every input field', () => {
    const properties = (
      action.schema?.input as {
        properties: Record<string, { description?: string }>;
      }
    ).properties;
    for (const [field, schema] of Object.entries(properties)) {
      expect({ field, description: schema.description }).toEqual({
        field,
        description: expect.stringMatching(/\w{3,}/),
      });
    }
    expect((action.schema?.input as { required: string[] }).required).toEqual([
      'serviceName',
    ]);
  });
});
