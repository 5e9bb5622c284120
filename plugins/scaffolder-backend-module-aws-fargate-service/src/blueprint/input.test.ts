import { parseFargateServiceInput, type FargateServiceSpec } from './input';
import { resourceNames } from './naming';

function problemsOf(input: unknown): string[] {
  const result = parseFargateServiceInput(input);
  if (result.success) throw new Error('expected the input to be refused');
  return result.problems;
}

function specOf(input: unknown): FargateServiceSpec {
  const result = parseFargateServiceInput(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return result.spec;
}

describe('parseFargateServiceInput', () => {
  it('needs only a service name; everything else has a default', () => {
    expect(specOf({ serviceName: 'orders' })).toEqual({
      serviceName: 'orders',
      environment: 'dev',
      owner: 'unassigned',
      entityRef: 'component:default/orders',
      description: 'orders service',
      tags: {},
      targetPath: '.',
      container: {
        image: 'public.ecr.aws/nginx/nginx-unprivileged:alpine',
        port: 8080,
        healthCheckPath: '/',
        cpu: 256,
        memory: 512,
        cpuArchitecture: 'X86_64',
        environmentVariables: {},
      },
      scaling: {
        desiredCount: 2,
        minCapacity: 2,
        maxCapacity: 4,
        cpuTargetPercent: 60,
      },
      logRetentionDays: 30,
      loadBalancer: { scheme: 'internet-facing' },
      network: { mode: 'new', cidr: '10.0.0.0/16', natGateways: 'single' },
      database: {
        engine: 'postgres',
        engineVersion: '17.6',
        instanceClass: 'db.t4g.micro',
        allocatedStorage: 20,
        multiAz: false,
        backupRetentionDays: 7,
        deletionProtection: true,
        name: 'orders',
        username: 'dbadmin',
      },
      credentials: { mode: 'rds-managed', rotationDays: 30 },
      kms: { mode: 'aws-managed' },
      hardening: {
        containerUser: '1000',
        readOnlyRootFilesystem: false,
        databaseEnhancedMonitoring: false,
        loadBalancerAccessLogs: false,
        loadBalancerDeletionProtection: false,
        vpcFlowLogs: false,
        retainLogsOnDelete: false,
      },
    });
    expect(
      specOf({ serviceName: 'order-api', databaseEngine: 'mysql' }).database,
    ).toMatchObject({ name: 'order_api', engineVersion: '8.4.6' });
  });

  it('takes empty optional fields from a form as not given', () => {
    const spec = specOf({
      serviceName: 'orders',
      certificateArn: '',
      vpcId: '',
      kmsKeyArn: null,
      databaseEngineVersion: '',
      environment: '',
    });
    expect(spec.loadBalancer.certificateArn).toBeUndefined();
    expect(spec.network.mode).toBe('new');
    expect(spec.environment).toBe('dev');
    expect(spec.database.engineVersion).toBe('17.6');
    expect(problemsOf({ serviceName: '' })).toEqual([
      'serviceName: is required',
    ]);
  });

  it('says which field is missing', () => {
    expect(problemsOf({})).toEqual(['serviceName: is required']);
    expect(problemsOf(undefined)).toEqual(['serviceName: is required']);
  });

  it('reports every problem at once, one line each, naming the field and what it accepts', () => {
    const problems = problemsOf({
      serviceName: 'Orders_Service',
      environment: 'Production!',
      cpu: 256,
      memory: 4096,
      rotationDays: 0,
      certificateArn: 'arn:aws:acm:eu-west-1:123:certificate/x',
      kmsKey: 'existing',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/mine',
      vpcCidr: '10.0.0.0/33',
      targetPath: '../outside',
      containerPort: 70000,
      logRetentionDays: 31,
      databaseEngine: 'oracle',
      unexpected: true,
    });
    const byField = (field: string) =>
      problems.filter(problem => problem.startsWith(`${field}: `));
    expect(byField('serviceName')).toEqual([
      expect.stringContaining('lowercase letters, digits and single hyphens'),
    ]);
    expect(byField('environment')).toEqual([
      expect.stringContaining('lowercase letters and digits'),
    ]);
    expect(byField('rotationDays')).toEqual([
      'rotationDays: must be between 1 and 1000',
    ]);
    expect(byField('certificateArn')).toEqual([
      expect.stringContaining('ACM certificate ARN'),
    ]);
    expect(byField('kmsKeyArn')).toEqual([
      expect.stringContaining('(not an alias)'),
    ]);
    expect(byField('vpcCidr')).toEqual([
      expect.stringContaining('IPv4 CIDR block'),
    ]);
    expect(byField('targetPath')).toEqual([
      expect.stringContaining('stays inside the workspace'),
    ]);
    expect(byField('containerPort')).toEqual([
      'containerPort: must be between 1 and 65535',
    ]);
    expect(byField('logRetentionDays')).toEqual([
      expect.stringContaining('must be one of 1, 3, 5, 7, 14, 30'),
    ]);
    expect(byField('databaseEngine')).toEqual([
      'databaseEngine: must be one of "postgres", "mysql"',
    ]);
    expect(byField('unexpected')).toEqual([
      expect.stringContaining(
        'unknown field(s); allowed fields are serviceName',
      ),
    ]);
    expect(problems).toHaveLength(11);
  });

  it('checks rules that span fields', () => {
    expect(
      problemsOf({ serviceName: 'orders', cpu: 256, memory: 4096 }),
    ).toEqual([
      'memory: 4096 MiB is not valid with cpu 256; use one of 512, 1024, 2048',
    ]);
    expect(problemsOf({ serviceName: 'orders', cpu: 300 })).toEqual([
      'cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    ]);
    expect(
      problemsOf({ serviceName: 'orders', desiredCount: 9, maxCapacity: 4 }),
    ).toEqual([
      'desiredCount: must be between minCapacity (2) and maxCapacity (4)',
    ]);
    expect(problemsOf({ serviceName: 'orders', kmsKey: 'existing' })).toEqual([
      'kmsKeyArn: is required when kmsKey is "existing"',
    ]);
    expect(
      problemsOf({
        serviceName: 'orders',
        privateSubnetIds: ['subnet-0123456789abcdef0'],
      }),
    ).toEqual([
      'privateSubnetIds: is only used with an existing VPC; set vpcId too, or leave it empty to create a VPC',
    ]);
    expect(
      problemsOf({
        serviceName: 'orders',
        vpcId: 'vpc-0123456789abcdef0',
        privateSubnetIds: ['subnet-0123456789abcdef0'],
        publicSubnetIds: ['subnet-123'],
      }),
    ).toEqual([
      'publicSubnetIds[0]: subnet ids look like subnet-0123456789abcdef0',
      'privateSubnetIds: needs at least 2 subnet ids in different AZs when vpcId is set (tasks and the database run there)',
      'publicSubnetIds: needs at least 2 subnet ids in different AZs when vpcId is set (the internet-facing load balancer runs there)',
    ]);
    expect(
      problemsOf({
        serviceName: 'orders',
        vpcId: 'vpc-0123456789abcdef0',
        privateSubnetIds: ['subnet-123', 'subnet-0123456789abcdef0'],
        loadBalancerScheme: 'internal',
      }),
    ).toEqual([
      'privateSubnetIds[0]: subnet ids look like subnet-0123456789abcdef0',
      'loadBalancerIngressCidr: is required for an internal load balancer in an existing VPC (the CIDR that may reach it)',
    ]);
  });

  it.each([
    ['a', 'at least 2'],
    ['a'.repeat(29), 'at most 28'],
    ['orders--api', 'single hyphens'],
    ['-orders', 'start with a lowercase letter'],
    ['orders-', 'end with a letter or digit'],
    ['1orders', 'start with a lowercase letter'],
  ])(
    'refuses the service name %j (names AWS would refuse)',
    (serviceName, expected) => {
      expect(problemsOf({ serviceName })).toEqual([
        expect.stringMatching(new RegExp(`^serviceName: .*${expected}`)),
      ]);
    },
  );

  it('keeps every generated name within the AWS limits at the longest input', () => {
    const spec = specOf({
      serviceName: `a${'b'.repeat(27)}`,
      environment: `e${'1'.repeat(15)}`,
      credentialsMode: 'secrets-manager',
      kmsKey: 'create',
    });
    const names = resourceNames(spec);
    expect(names.databaseIdentifier.length).toBeLessThanOrEqual(63);
    expect(names.rotationFunctionName!.length).toBeLessThanOrEqual(64);
    expect(names.repositoryName).toMatch(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/);
    expect(names.databaseIdentifier).not.toContain('--');
    expect(names.stackName.length).toBeLessThanOrEqual(128);
  });

  it('refuses text CloudFormation would execute and names the blueprint sets itself', () => {
    expect(
      problemsOf({
        serviceName: 'orders',
        description: 'uses {{resolve:secretsmanager:other}}',
        environmentVariables: {
          TOKEN: '{{ resolve:ssm:/x }}',
          DB_PASSWORD: 'x',
          AWS_REGION: 'x',
          '1BAD': 'x',
        },
        tags: { owner: 'me', 'aws:cloudformation:x': 'y', team: 'a\nb' },
      }),
    ).toEqual([
      "description: must not contain '{{resolve:' (CloudFormation would treat it as a dynamic reference)",
      'tags.owner: tag keys service, owner, environment, backstage:entity-ref are set from serviceName, owner, environment and entityRef',
      'tags.aws:cloudformation:x: tag keys must not start with "aws:" (reserved by AWS)',
      'tags.team: may hold only letters, digits, spaces and _ . : / = + - @ (the characters AWS tags accept)',
      "environmentVariables.TOKEN: values must not contain '{{resolve:' (CloudFormation would treat it as a dynamic reference)",
      'environmentVariables.DB_PASSWORD: variable names DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD are set by the blueprint',
      'environmentVariables.AWS_REGION: variable names must not start with AWS_ or ECS_ (reserved by AWS)',
      'environmentVariables.1BAD: variable names must be letters, digits and _, not starting with a digit',
    ]);
  });

  it.each(['/etc', '../x', 'a/../../x', 'C:\\temp'])(
    'refuses the target path %j',
    targetPath => {
      expect(problemsOf({ serviceName: 'orders', targetPath })).toEqual([
        expect.stringMatching(/^targetPath: /),
      ]);
    },
  );
});
