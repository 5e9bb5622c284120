import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import {
  CERTIFICATE_ARN,
  EXISTING_KEY_ARN,
  EXISTING_VPC,
  INPUT_MATRIX,
  PRIVATE_ECR_IMAGE,
} from '../testUtils/inputMatrix';
import {
  generateFargateService,
  type FargateServiceBlueprint,
} from './generate';

// Parsed templates are untyped JSON; the assertions are the type checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function generate(input: Record<string, unknown>): FargateServiceBlueprint {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return result.blueprint;
}
const templateOf = (input: Record<string, unknown>): Json =>
  parseTemplate(generate(input).files.template.content);
function problemsOf(input: Record<string, unknown>): string[] {
  const result = generateFargateService(input);
  if (result.success) throw new Error('expected the input to be refused');
  return result.problems;
}
const MATRIX = Object.entries(INPUT_MATRIX);
const ofType = (template: Json, type: string) =>
  Object.entries<Json>(template.Resources).filter(
    ([, resource]) => resource.Type === type,
  );
const PROD = {
  serviceName: 'orders',
  environment: 'prod',
  certificateArn: CERTIFICATE_ARN,
};

describe('KMS (CT.KMS.PR.3): no grant can hand out Decrypt', () => {
  const statements = () =>
    templateOf({ serviceName: 'orders', kmsKey: 'create' }).Resources
      .EncryptionKey.Properties.KeyPolicy.Statement as Json[];

  it('administers the key without kms:Create*/kms:Put* wildcards or kms:CreateGrant', () => {
    const admin = statements().find(s => s.Sid === 'AccountAdministersTheKey');
    expect(
      admin.Action.filter(
        (action: string) =>
          action.includes('*') ||
          action === 'kms:CreateGrant' ||
          action === 'kms:Decrypt',
      ),
    ).toEqual([]);
  });

  it('denies CreateGrant to everyone unless the grant is for an AWS resource or the caller is an AWS service', () => {
    expect(statements()).toContainEqual({
      Sid: 'NoGrantsExceptForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        BoolIfExists: {
          'kms:GrantIsForAWSResource': 'false',
          'aws:PrincipalIsAWSService': 'false',
        },
      },
    });
    const allowingGrants = statements().filter(
      s =>
        s.Effect === 'Allow' && [s.Action].flat().includes('kms:CreateGrant'),
    );
    expect(allowingGrants.map(s => s.Condition.Bool)).toEqual([
      { 'kms:GrantIsForAWSResource': 'true' },
    ]);
  });

  it("lets the account use it only via Secrets Manager and RDS, and CloudWatch Logs only for this account's log groups", () => {
    for (const statement of statements().filter(
      s =>
        s.Effect === 'Allow' &&
        [s.Action]
          .flat()
          .some((a: string) => /Decrypt|GenerateDataKey/.test(a)),
    )) {
      if (statement.Principal.AWS)
        expect(statement.Condition.StringEquals['kms:ViaService']).toHaveLength(
          2,
        );
      else
        expect(
          statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'],
        ).toEqual({
          'Fn::Sub':
            'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*',
        });
    }
  });
});

describe('secret resource policy', () => {
  it.each(MATRIX)(
    '%s: only the execution role (and the rotation functions) may read each secret, whatever IAM allows',
    (_name, input) => {
      const blueprint = generate(input);
      const template = parseTemplate(blueprint.files.template.content) as Json;
      const policies = ofType(
        template,
        'AWS::SecretsManager::ResourcePolicy',
      ).map(([, policy]) => policy);
      const secretsManager =
        blueprint.spec.credentials.mode === 'secrets-manager';
      // secrets-manager mode: the master secret and the application user's secret, one policy each.
      const secrets = ofType(template, 'AWS::SecretsManager::Secret').map(
        ([logicalId]) => ({ Ref: logicalId }),
      );
      expect(policies.map(policy => policy.Properties.SecretId)).toEqual(
        secretsManager
          ? [{ Ref: 'DatabaseSecret' }, { Ref: 'ApplicationSecret' }]
          : [{ 'Fn::GetAtt': ['Database', 'MasterUserSecret.SecretArn'] }],
      );
      if (secretsManager)
        expect(policies.map(policy => policy.Properties.SecretId)).toEqual(
          secrets,
        );
      for (const policy of policies) {
        expect(policy.Properties.BlockPublicPolicy).toBe(true);
        const [readers] = policy.Properties.ResourcePolicy.Statement;
        expect(readers).toMatchObject({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        });
        const expected: Json[] = [{ 'Fn::GetAtt': ['ExecutionRole', 'Arn'] }];
        if (secretsManager)
          expected.push({
            'Fn::Sub':
              'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-*',
          });
        expect(readers.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(
          expected,
        );
      }
    },
  );
});

describe('secret resource policy, ordering', () => {
  it('secrets-manager: attached after the database and the attachment have read the secret through CloudFormation', () => {
    const { Resources } = templateOf({
      serviceName: 'orders',
      credentialsMode: 'secrets-manager',
    });
    expect(Resources.DatabaseSecretPolicy.DependsOn).toEqual([
      'DatabaseSecretAttachment',
    ]);
    expect(Resources.ApplicationSecretPolicy.DependsOn).toEqual([
      'ApplicationSecretAttachment',
    ]);
  });
});

describe('database TLS', () => {
  it.each([
    ['postgres 17', {}, 'postgres17', { 'rds.force_ssl': '1' }],
    [
      'postgres 14 (TLS off by default before 15)',
      { databaseEngineVersion: '14.17' },
      'postgres14',
      { 'rds.force_ssl': '1' },
    ],
    [
      'mysql 8.4 (require_secure_transport OFF by default)',
      { databaseEngine: 'mysql' },
      'mysql8.4',
      { require_secure_transport: 'ON' },
    ],
    [
      'mysql 8.0',
      { databaseEngine: 'mysql', databaseEngineVersion: '8.0.42' },
      'mysql8.0',
      { require_secure_transport: 'ON' },
    ],
  ])(
    '%s: a parameter group of the right family refuses unencrypted connections',
    (_name, input, family, parameters) => {
      const { Resources } = templateOf({ serviceName: 'orders', ...input });
      expect(Resources.DatabaseParameterGroup.Properties.Family).toBe(family);
      expect(
        Resources.DatabaseParameterGroup.Properties.Parameters,
      ).toMatchObject(parameters);
      expect(Resources.Database.Properties.DBParameterGroupName).toEqual({
        Ref: 'DatabaseParameterGroup',
      });
    },
  );

  it('refuses a mysql version without its minor version (the family needs it)', () => {
    expect(
      problemsOf({
        serviceName: 'orders',
        databaseEngine: 'mysql',
        databaseEngineVersion: '8',
      }),
    ).toEqual([
      expect.stringMatching(
        /^databaseEngineVersion: must name the major and minor version/,
      ),
    ]);
  });
});

describe('HTTPS', () => {
  it('refuses an internet-facing prod service without a certificate, and says what to do', () => {
    expect(problemsOf({ serviceName: 'orders', environment: 'prod' })).toEqual([
      expect.stringMatching(
        /^certificateArn: is required for an internet-facing prod service.*give an ACM certificate ARN/,
      ),
    ]);
    expect(
      generateFargateService({
        serviceName: 'orders',
        environment: 'prod',
        loadBalancerScheme: 'internal',
      }).success,
    ).toBe(true);
  });

  it('with a certificate, HTTP only redirects to HTTPS', () => {
    const { Resources } = templateOf(PROD);
    expect(Resources.HttpListener.Properties.DefaultActions).toEqual([
      {
        Type: 'redirect',
        RedirectConfig: {
          Protocol: 'HTTPS',
          Port: '443',
          StatusCode: 'HTTP_301',
        },
      },
    ]);
    expect(Resources.HttpsListener.Properties.Protocol).toBe('HTTPS');
  });
});

describe('a configuration that cannot deploy', () => {
  it('refuses no NAT with an image from a public registry, naming both fixes', () => {
    for (const image of [
      'public.ecr.aws/nginx/nginx-unprivileged:alpine',
      'docker.io/library/nginx:1',
      'ghcr.io/acme/app:1',
    ]) {
      expect(
        problemsOf({
          serviceName: 'orders',
          natGateways: 'none',
          containerImage: image,
        }),
      ).toEqual([
        expect.stringMatching(
          /^containerImage: .*cannot be pulled with natGateways "none".*push the image to ECR, or choose natGateways "single"/,
        ),
      ]);
    }
    expect(
      generateFargateService({
        serviceName: 'orders',
        natGateways: 'none',
        containerImage: PRIVATE_ECR_IMAGE,
      }).success,
    ).toBe(true);
  });
});

describe('logs and forensics', () => {
  it.each(MATRIX)(
    '%s: every log group is encrypted with the customer key when there is one, and keeps logRetentionDays',
    (_name, input) => {
      const blueprint = generate(input);
      const key = {
        create: { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] },
        existing: EXISTING_KEY_ARN,
        'aws-managed': undefined,
      }[blueprint.spec.kms.mode];
      for (const [, group] of ofType(
        parseTemplate(blueprint.files.template.content),
        'AWS::Logs::LogGroup',
      )) {
        expect(group.Properties.KmsKeyId).toEqual(key);
        expect(group.Properties.RetentionInDays).toBe(
          blueprint.spec.logRetentionDays,
        );
      }
    },
  );

  it('prod defaults: customer key, a year of logs, access logs, flow logs, enhanced monitoring, Multi-AZ, log exports', () => {
    const { Resources } = templateOf(PROD);
    expect(Resources.EncryptionKey).toBeDefined();
    expect(Resources.LogGroup.Properties.RetentionInDays).toBe(365);
    const attributes = Object.fromEntries(
      Resources.LoadBalancer.Properties.LoadBalancerAttributes.map(
        (a: Json) => [a.Key, a.Value],
      ),
    );
    expect(attributes).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': { Ref: 'AccessLogsBucket' },
      'deletion_protection.enabled': 'true',
    });
    expect(
      Resources.AccessLogsBucketPolicy.Properties.PolicyDocument.Statement[0],
    ).toMatchObject({
      // Regions before August 2022 deliver from their ELB account, newer ones from the service principal.
      Principal: {
        'Fn::If': [
          'IsRegionWithElbLogDeliveryAccount',
          {
            AWS: {
              'Fn::FindInMap': [
                'ElbLogDeliveryAccounts',
                { Ref: 'AWS::Region' },
                'Principal',
              ],
            },
          },
          { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        ],
      },
      Action: 's3:PutObject',
      Resource: {
        'Fn::Sub': '${AccessLogsBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*',
      },
    });
    expect(
      Resources.AccessLogsBucket.Properties.PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(Resources.FlowLog.Properties).toMatchObject({
      ResourceId: { Ref: 'Vpc' },
      TrafficType: 'ALL',
      LogGroupName: { Ref: 'FlowLogGroup' },
    });
    expect(Resources.Database.Properties).toMatchObject({
      MultiAZ: true,
      MonitoringInterval: 60,
      MonitoringRoleArn: { 'Fn::GetAtt': ['DatabaseMonitoringRole', 'Arn'] },
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      EnableIAMDatabaseAuthentication: true,
    });
  });

  it('the ELB account of every region in the mapping is also in the condition that selects it', () => {
    const template = templateOf(PROD);
    const regions = Object.keys(template.Mappings.ElbLogDeliveryAccounts);
    const inCondition = JSON.stringify(
      template.Conditions.IsRegionWithElbLogDeliveryAccount,
    )
      .match(/"[a-z]{2}(?:-[a-z]+)+-\d"/g)!
      .map(text => JSON.parse(text));
    expect(inCondition.sort()).toEqual([...regions].sort());
    expect(template.Mappings.ElbLogDeliveryAccounts['us-east-1']).toEqual({
      Principal: 'arn:aws:iam::127311923021:root',
    });
    expect(templateOf({ serviceName: 'orders' }).Mappings).toBeUndefined();
  });

  it('dev defaults leave the costly controls off; each turns on by its input', () => {
    const dev = templateOf({ serviceName: 'orders' }).Resources;
    expect([
      dev.AccessLogsBucket,
      dev.FlowLog,
      dev.DatabaseMonitoringRole,
      dev.EncryptionKey,
    ]).toEqual([undefined, undefined, undefined, undefined]);
    expect(dev.Database.Properties.MultiAZ).toBe(false);
    const on = templateOf(INPUT_MATRIX['dev-every-control-on']).Resources;
    expect(
      [
        on.AccessLogsBucket,
        on.FlowLog,
        on.DatabaseMonitoringRole,
        on.EncryptionKey,
      ].every(Boolean),
    ).toBe(true);
  });

  it('RDS writes its exported logs into log groups of the stack, which the database waits for', () => {
    const { Resources } = templateOf({
      serviceName: 'orders',
      databaseEngine: 'mysql',
    });
    expect(Resources.Database.Properties.EnableCloudwatchLogsExports).toEqual([
      'error',
      'slowquery',
    ]);
    expect(Resources.Database.DependsOn).toEqual([
      'DatabaseLogGroupError',
      'DatabaseLogGroupSlowquery',
    ]);
    expect(Resources.DatabaseLogGroupSlowquery.Properties.LogGroupName).toBe(
      '/aws/rds/instance/orders-dev/slowquery',
    );
  });

  it('refuses flow logs for an existing VPC', () => {
    expect(
      problemsOf({ serviceName: 'orders', ...EXISTING_VPC, vpcFlowLogs: true }),
    ).toEqual([
      expect.stringMatching(/^vpcFlowLogs: applies to a new VPC only/),
    ]);
  });

  it.each(MATRIX)(
    "%s: every role trusts its service only for this account (aws:SourceAccount), ECS tasks only from this account's ECS",
    (_name, input) => {
      for (const [logicalId, role] of ofType(
        templateOf(input),
        'AWS::IAM::Role',
      )) {
        for (const statement of role.Properties.AssumeRolePolicyDocument
          .Statement) {
          expect({
            logicalId,
            condition: statement.Condition.StringEquals,
          }).toEqual({
            logicalId,
            condition: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          });
          if (statement.Principal.Service === 'ecs-tasks.amazonaws.com') {
            expect(statement.Condition.ArnLike['aws:SourceArn']).toEqual({
              'Fn::Sub':
                'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*',
            });
          }
        }
      }
    },
  );

  it('ECR expires untagged images and keeps the newest 50', () => {
    const policy = JSON.parse(
      templateOf({ serviceName: 'orders' }).Resources.Repository.Properties
        .LifecyclePolicy.LifecyclePolicyText,
    );
    expect(policy.rules.map((rule: Json) => rule.selection)).toEqual([
      {
        tagStatus: 'untagged',
        countType: 'sinceImagePushed',
        countUnit: 'days',
        countNumber: 7,
      },
      { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 },
    ]);
  });
});

describe('containers', () => {
  it.each(MATRIX)(
    '%s: runs as a non-root user with a memory limit, read-only as chosen with /tmp on a task volume',
    (_name, input) => {
      const blueprint = generate(input);
      const task = (parseTemplate(blueprint.files.template.content) as Json)
        .Resources.TaskDefinition.Properties;
      const [container] = task.ContainerDefinitions;
      expect(container.User).toBe(blueprint.spec.hardening.containerUser);
      expect(['0', 'root']).not.toContain(container.User.split(':')[0]);
      expect(container.Memory).toBe(blueprint.spec.container.memory);
      expect(container.ReadonlyRootFilesystem).toBe(
        blueprint.spec.hardening.readOnlyRootFilesystem,
      );
      // A writable root keeps the image's own /tmp: a task volume there is root-owned, which a non-root user cannot write.
      const readOnly = blueprint.spec.hardening.readOnlyRootFilesystem;
      expect(container.MountPoints).toEqual(
        readOnly
          ? [{ SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false }]
          : undefined,
      );
      expect(task.Volumes).toEqual(readOnly ? [{ Name: 'tmp' }] : undefined);
    },
  );

  it.each(MATRIX)(
    '%s: the application container comes first; every other container (the db-bootstrap init container) is non-root, read-only, memory-limited',
    (_name, input) => {
      const blueprint = generate(input);
      const [app, ...others] = (
        parseTemplate(blueprint.files.template.content) as Json
      ).Resources.TaskDefinition.Properties.ContainerDefinitions;
      expect(app.Name).toBe('app');
      expect(others.map((container: Json) => container.Name)).toEqual(
        blueprint.spec.credentials.mode === 'secrets-manager'
          ? ['db-bootstrap']
          : [],
      );
      for (const container of others) {
        expect(['0', 'root']).not.toContain(container.User.split(':')[0]);
        expect(container.ReadonlyRootFilesystem).toBe(true);
        expect(container.Memory).toBeGreaterThan(0);
      }
    },
  );

  it('prod runs read-only by default; root is refused', () => {
    expect(
      templateOf(PROD).Resources.TaskDefinition.Properties
        .ContainerDefinitions[0].ReadonlyRootFilesystem,
    ).toBe(true);
    expect(
      problemsOf({ serviceName: 'orders', containerUser: 'root' }),
    ).toEqual([expect.stringMatching(/^containerUser: must not be root/)]);
    expect(problemsOf({ serviceName: 'orders', containerUser: '0:0' })).toEqual(
      [expect.stringMatching(/^containerUser: must not be root/)],
    );
  });
});

describe('teardown keeps what it must not lose', () => {
  it.each(MATRIX)(
    '%s: snapshot of the database, the secret whose password opens it, the key; logs as chosen',
    (_name, input) => {
      const blueprint = generate(input);
      const { Resources } = parseTemplate(
        blueprint.files.template.content,
      ) as Json;
      expect(Resources.Database.DeletionPolicy).toBe('Snapshot');
      // An RDS-managed secret is the instance's; a restored snapshot gets a new one from RDS (ManageMasterUserPassword).
      if (blueprint.spec.credentials.mode === 'secrets-manager')
        expect([
          Resources.DatabaseSecret.DeletionPolicy,
          Resources.DatabaseSecret.UpdateReplacePolicy,
        ]).toEqual(['Retain', 'Retain']);
      // The snapshot also holds the application user, whose password only its secret has.
      if (blueprint.spec.credentials.mode === 'secrets-manager')
        expect([
          Resources.ApplicationSecret.DeletionPolicy,
          Resources.ApplicationSecret.UpdateReplacePolicy,
        ]).toEqual(['Retain', 'Retain']);
      if (Resources.EncryptionKey)
        expect(Resources.EncryptionKey.DeletionPolicy).toBe('Retain');
      for (const [, group] of ofType({ Resources }, 'AWS::Logs::LogGroup'))
        expect(group.DeletionPolicy).toBe(
          blueprint.spec.hardening.retainLogsOnDelete ? 'Retain' : undefined,
        );
      if (Resources.AccessLogsBucket)
        expect(Resources.AccessLogsBucket.DeletionPolicy).toBe('Retain');
    },
  );
});
