import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import {
  METADATA_DESCRIPTION_KEY,
  TAG_ENTITY_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  EXISTING_KEY_ARN,
  HOSTILE_TEXT,
  INPUT_MATRIX,
} from '../testUtils/inputMatrix';
import {
  generateFargateService,
  type FargateServiceBlueprint,
} from './generate';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';

// Parsed templates are untyped JSON; the assertions are the type checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function generate(input: Record<string, unknown>): FargateServiceBlueprint {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return result.blueprint;
}

/** The template as CloudFormation reads it: parsed back from the YAML that is written. */
function parsed(blueprint: FargateServiceBlueprint): Json {
  return parseTemplate(blueprint.files.template.content);
}

function templateOf(input: Record<string, unknown>): Json {
  return parsed(generate(input));
}

const MATRIX = Object.entries(INPUT_MATRIX);
const RDS = { serviceName: 'orders' };
const SM = { serviceName: 'orders', credentialsMode: 'secrets-manager' };
const RDS_SECRET = { 'Fn::GetAtt': ['Database', 'MasterUserSecret.SecretArn'] };
const SM_SECRET = { Ref: 'DatabaseSecret' };
const APP_SECRET = { Ref: 'ApplicationSecret' };
const CREATED_KEY = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };

function statementsOf(role: Json): Json[] {
  return role.Properties.Policies.flatMap(
    (policy: Json) => policy.PolicyDocument.Statement,
  );
}

describe('execution role', () => {
  it.each([
    ['rds-managed, AWS-managed key', RDS, RDS_SECRET, undefined],
    [
      'rds-managed, new key',
      { ...RDS, kmsKey: 'create' },
      RDS_SECRET,
      CREATED_KEY,
    ],
    [
      'rds-managed, existing key',
      { ...RDS, kmsKey: 'existing', kmsKeyArn: EXISTING_KEY_ARN },
      RDS_SECRET,
      EXISTING_KEY_ARN,
    ],
    // The application secret for the app container, the master secret for the bootstrap container only.
    [
      'secrets-manager, AWS-managed key',
      SM,
      [APP_SECRET, SM_SECRET],
      undefined,
    ],
    [
      'secrets-manager, new key',
      { ...SM, kmsKey: 'create' },
      [APP_SECRET, SM_SECRET],
      CREATED_KEY,
    ],
    [
      'secrets-manager, existing key',
      { ...SM, kmsKey: 'existing', kmsKeyArn: EXISTING_KEY_ARN },
      [APP_SECRET, SM_SECRET],
      EXISTING_KEY_ARN,
    ],
  ])(
    '%s: reads exactly those secrets and decrypts with exactly that key',
    (_name, input, secret, key) => {
      const statements = statementsOf(
        templateOf(input).Resources.ExecutionRole,
      );
      const touching = (service: string) =>
        statements.filter(s =>
          [s.Action].flat().some((a: string) => a.startsWith(`${service}:`)),
        );
      expect(touching('secretsmanager')).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: secret,
        },
      ]);
      // An AWS-managed key's own policy lets Secrets Manager decrypt for its callers: no KMS grant at all.
      expect(touching('kms')).toEqual(
        key ? [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key }] : [],
      );
    },
  );

  it.each(MATRIX)(
    '%s: no role grants secretsmanager, kms or everything on a wildcard',
    (_name, input) => {
      const { Resources } = templateOf(input);
      for (const resource of Object.values<Json>(Resources).filter(
        r => r.Type === 'AWS::IAM::Role' && r.Properties.Policies,
      )) {
        for (const statement of statementsOf(resource)) {
          const actions: string[] = [statement.Action].flat();
          if (
            actions.some(
              a =>
                a === '*' ||
                a.startsWith('secretsmanager:') ||
                a.startsWith('kms:'),
            )
          ) {
            expect(JSON.stringify(statement.Resource)).not.toContain('*');
          }
          expect(actions).not.toContain('*');
        }
      }
    },
  );
});

describe('database', () => {
  it.each(MATRIX)(
    '%s: private, encrypted, protected, snapshot on delete',
    (_name, input) => {
      const blueprint = generate(input);
      const database = parsed(blueprint).Resources.Database;
      expect(database.Properties).toMatchObject({
        PubliclyAccessible: false,
        StorageEncrypted: true,
        DBSubnetGroupName: { Ref: 'DatabaseSubnetGroup' },
        DeletionProtection: blueprint.spec.database.deletionProtection,
      });
      expect(database.DeletionPolicy).toBe('Snapshot');
      expect(database.UpdateReplacePolicy).toBe('Snapshot');
      const key =
        blueprint.spec.kms.mode === 'create'
          ? CREATED_KEY
          : blueprint.spec.kms.mode === 'existing'
            ? EXISTING_KEY_ARN
            : undefined;
      expect(database.Properties.KmsKeyId).toEqual(key);
      if (blueprint.spec.credentials.mode === 'rds-managed') {
        expect(database.Properties.ManageMasterUserPassword).toBe(true);
        expect(database.Properties.MasterUserSecret).toEqual(
          key ? { KmsKeyId: key } : undefined,
        );
      }
    },
  );

  it.each(MATRIX)(
    '%s: its security group admits only the service (and the rotation function) on the database port',
    (_name, input) => {
      const blueprint = generate(input);
      const template = parsed(blueprint);
      const port = blueprint.spec.database.engine === 'postgres' ? 5432 : 3306;
      const sources =
        template.Resources.DatabaseSecurityGroup.Properties.SecurityGroupIngress.map(
          (rule: Json) => {
            expect(rule).toMatchObject({
              IpProtocol: 'tcp',
              FromPort: port,
              ToPort: port,
            });
            expect(rule.CidrIp).toBeUndefined();
            return rule.SourceSecurityGroupId;
          },
        );
      const expected = [{ 'Fn::GetAtt': ['ServiceSecurityGroup', 'GroupId'] }];
      if (blueprint.spec.credentials.mode === 'secrets-manager')
        expected.push({
          'Fn::GetAtt': ['RotationFunctionSecurityGroup', 'GroupId'],
        });
      expect(sources).toEqual(expected);
      // No other resource opens the database group.
      expect(
        Object.values<Json>(template.Resources).filter(
          r => r.Type === 'AWS::EC2::SecurityGroupIngress',
        ),
      ).toEqual([]);
    },
  );
});

describe('credentials', () => {
  const injected = (template: Json) =>
    template.Resources.TaskDefinition.Properties.ContainerDefinitions[0];
  const keyOf = (valueFrom: Json) =>
    /:([a-z]+)::$/.exec(valueFrom['Fn::Sub'])![1];

  it('rds-managed: secrets come only from username and password; host, port and name from the database', () => {
    const container = injected(templateOf(RDS));
    expect(
      container.Secrets.map((s: Json) => [s.Name, keyOf(s.ValueFrom)]),
    ).toEqual([
      ['DB_USER', 'username'],
      ['DB_PASSWORD', 'password'],
    ]);
    expect(
      container.Secrets.every((s: Json) =>
        s.ValueFrom['Fn::Sub'].startsWith(
          '${Database.MasterUserSecret.SecretArn}:',
        ),
      ),
    ).toBe(true);
    expect(container.Environment).toEqual([
      {
        Name: 'DB_HOST',
        Value: { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
      },
      {
        Name: 'DB_PORT',
        Value: { 'Fn::GetAtt': ['Database', 'Endpoint.Port'] },
      },
      { Name: 'DB_NAME', Value: 'orders' },
    ]);
  });

  it('secrets-manager: every injected key is one the secret holds (template keys, the password, the attachment keys)', () => {
    const template = templateOf(SM);
    // The application container reads the application user's secret, not the master one.
    const generator =
      template.Resources.ApplicationSecret.Properties.GenerateSecretString;
    const attachmentKeys = ['host', 'port', 'engine', 'dbInstanceIdentifier'];
    const held = [
      ...Object.keys(JSON.parse(generator.SecretStringTemplate['Fn::Sub'])),
      generator.GenerateStringKey,
      ...attachmentKeys,
    ];
    const container = injected(template);
    expect(container.Secrets.map((s: Json) => s.Name)).toEqual([
      'DB_USER',
      'DB_PASSWORD',
      'DB_HOST',
      'DB_PORT',
      'DB_NAME',
    ]);
    for (const secret of container.Secrets) {
      expect(
        secret.ValueFrom['Fn::Sub'].startsWith('${ApplicationSecret}:'),
      ).toBe(true);
      expect(held).toContain(keyOf(secret.ValueFrom));
    }
    expect(container.Environment).toBeUndefined();
    expect(template.Resources.Service.DependsOn).toContain(
      'DatabaseSecretAttachment',
    );
    expect(template.Resources.Service.DependsOn).toContain(
      'ApplicationSecretAttachment',
    );
  });

  it('secrets-manager: the master secret rotates with the hosted single-user Lambda, every rotationDays, after the attachment', () => {
    for (const [engine, rotationType] of [
      ['postgres', 'PostgreSQLSingleUser'],
      ['mysql', 'MySQLSingleUser'],
    ]) {
      const template = templateOf({
        ...SM,
        databaseEngine: engine,
        rotationDays: 45,
        kmsKey: 'create',
      });
      expect(template.Transform).toBe('AWS::SecretsManager-2024-09-16');
      const rotation = template.Resources.DatabaseSecretRotation;
      expect(rotation.DependsOn).toEqual(['DatabaseSecretAttachment']);
      expect(rotation.Properties).toMatchObject({
        SecretId: SM_SECRET,
        HostedRotationLambda: {
          RotationType: rotationType,
          KmsKeyArn: CREATED_KEY,
        },
        RotationRules: { AutomaticallyAfterDays: 45 },
      });
      expect(template.Resources.DatabaseSecret.Properties.KmsKeyId).toEqual(
        CREATED_KEY,
      );
    }
  });

  it.each(MATRIX)(
    '%s: no password in the template, parameters or outputs',
    (_name, input) => {
      const blueprint = generate(input);
      const template = parsed(blueprint);
      const text = blueprint.files.template.content;
      expect(text).not.toMatch(/^\s*SecretString:/m);
      const password =
        template.Resources.Database.Properties.MasterUserPassword;
      if (password !== undefined)
        expect(password).toEqual({
          'Fn::Sub': '{{resolve:secretsmanager:${DatabaseSecret}::password}}',
        });
      expect(Object.keys(template.Parameters)).toEqual(['ContainerImage']);
      expect(JSON.parse(blueprint.files.parameters.content)).toEqual([
        {
          ParameterKey: 'ContainerImage',
          ParameterValue: blueprint.spec.container.image,
        },
      ]);
      expect(JSON.stringify(template.Outputs)).not.toMatch(
        /password|resolve:/i,
      );
    },
  );
});

describe('redeploy after rotation', () => {
  // The native event (no CloudTrail trail needed), for the secret the application container reads.
  it.each([
    ['rds-managed', RDS, RDS_SECRET],
    ['secrets-manager', SM, APP_SECRET],
  ])(
    "%s: only this secret's rotation restarts only this service",
    (_name, input, secret) => {
      const { Resources } = templateOf(input);
      const rule = Resources.RotationEventRule.Properties;
      expect(rule.EventPattern).toEqual({
        source: ['aws.secretsmanager'],
        'detail-type': ['Secret Label Updated'],
        resources: [secret],
        detail: { labelUpdated: ['AWSCURRENT'] },
      });
      expect(rule.Targets).toEqual([
        {
          Id: 'redeploy-service',
          Arn: { Ref: 'RedeployStateMachine' },
          RoleArn: { 'Fn::GetAtt': ['RotationEventRole', 'Arn'] },
        },
      ]);
      expect(statementsOf(Resources.RotationEventRole)).toEqual([
        {
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: { Ref: 'RedeployStateMachine' },
        },
      ]);
      const [restart, ...observability] = statementsOf(
        Resources.RedeployStateMachineRole,
      );
      expect(restart).toEqual({
        Effect: 'Allow',
        Action: 'ecs:UpdateService',
        Resource: { Ref: 'Service' },
      });
      // Log delivery and X-Ray only: AWS documents these actions on "*".
      const allowed =
        /^(logs:(\w+LogDeliver\w*|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets))$/;
      expect(
        observability
          .flatMap((statement: Json) => statement.Action)
          .filter((action: string) => !allowed.test(action)),
      ).toEqual([]);
      const machine = Resources.RedeployStateMachine.Properties;
      expect(machine.Definition.States.ForceNewDeployment.Parameters).toEqual({
        Cluster: '${ClusterArn}',
        Service: '${ServiceArn}',
        ForceNewDeployment: true,
      });
      expect(machine.DefinitionSubstitutions.ServiceArn).toEqual({
        Ref: 'Service',
      });
    },
  );
});

describe('customer-managed key', () => {
  it('rotates yearly; the account uses it only through Secrets Manager and RDS (CloudWatch Logs: see hardening.test.ts)', () => {
    const key = templateOf({ ...RDS, kmsKey: 'create' }).Resources
      .EncryptionKey;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    const [admin, use] = key.Properties.KeyPolicy.Statement;
    expect(admin.Action).not.toContain('kms:Decrypt');
    expect(admin.Action).not.toContain('kms:*');
    expect(use.Action).toContain('kms:Decrypt');
    expect(use.Condition.StringEquals).toEqual({
      'kms:CallerAccount': { Ref: 'AWS::AccountId' },
      'kms:ViaService': [
        { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' },
        { 'Fn::Sub': 'rds.${AWS::Region}.amazonaws.com' },
      ],
    });
  });
});

describe('every resource', () => {
  const spec = loadAwsServiceSpecSync();
  // cfn-lint 1.51 does not know these types' Tags yet (added to CloudFormation in 2025).
  const untaggableForCfnLint = new Set([
    'AWS::ElasticLoadBalancingV2::Listener',
    'AWS::ApplicationAutoScaling::ScalableTarget',
  ]);

  it.each(MATRIX)(
    '%s: has a one-line description and, when taggable, the service, owner, environment and entity tags',
    (_name, input) => {
      const blueprint = generate(input);
      for (const [logicalId, resource] of Object.entries<Json>(
        parsed(blueprint).Resources,
      )) {
        const description = resource.Metadata[METADATA_DESCRIPTION_KEY];
        expect({ logicalId, description }).toEqual({
          logicalId,
          description: expect.stringMatching(/^[^\n]{5,120}$/),
        });
        const taggable =
          !!spec.lookup(
            'resource',
            'cloudFormationType',
            'equals',
            resource.Type,
          )[0]?.tagInformation && !untaggableForCfnLint.has(resource.Type);
        const tags = Object.fromEntries(
          (resource.Properties.Tags ?? []).map((tag: Json) => [
            tag.Key,
            tag.Value,
          ]),
        );
        expect({ logicalId, tagged: Object.keys(tags).length > 0 }).toEqual({
          logicalId,
          tagged: taggable,
        });
        if (taggable) {
          expect(tags).toMatchObject({
            service: blueprint.spec.serviceName,
            owner: blueprint.spec.owner,
            environment: blueprint.spec.environment,
            [TAG_ENTITY_REF]: blueprint.spec.entityRef,
            ...blueprint.spec.tags,
          });
        }
      }
    },
  );
});

describe('the written template', () => {
  it.each(MATRIX)(
    '%s: starts with the format version moto and CloudFormation expect',
    (_name, input) => {
      expect(generate(input).files.template.content.split('\n')[0]).toBe(
        "AWSTemplateFormatVersion: '2010-09-09'",
      );
    },
  );

  it('keeps user text as data: hostile text changes no structure and arrives verbatim', () => {
    const hostile = INPUT_MATRIX['user-text-is-data'];
    const baseline = templateOf({ serviceName: 'orders' });
    const blueprint = generate(hostile);
    const template = parsed(blueprint);
    expect(Object.keys(template)).toEqual(Object.keys(baseline));
    expect(Object.keys(template.Resources)).toEqual(
      Object.keys(baseline.Resources),
    );
    expect(Object.keys(template.Outputs)).toEqual(
      Object.keys(baseline.Outputs),
    );
    expect(template.Description).toBe(HOSTILE_TEXT);
    expect(
      template.Resources.TaskDefinition.Properties.ContainerDefinitions[0]
        .Environment,
    ).toEqual([
      { Name: 'DATE', Value: '2010-09-09' },
      { Name: 'EMPTY', Value: '' },
      { Name: 'GREETING', Value: HOSTILE_TEXT },
      { Name: 'NUMBERISH', Value: '0123' },
      { Name: 'TRUTHY', Value: 'yes' },
      {
        Name: 'DB_HOST',
        Value: { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
      },
      {
        Name: 'DB_PORT',
        Value: { 'Fn::GetAtt': ['Database', 'Endpoint.Port'] },
      },
      { Name: 'DB_NAME', Value: 'orders' },
    ]);
    expect(template.Resources.Vpc.Properties.Tags).toContainEqual({
      Key: 'yes',
      Value: 'on',
    });
    expect(template).toEqual(
      JSON.parse(JSON.stringify(blueprint.model.template)),
    );
    // The docs keep it on one quoted line, and the diagram never sees it.
    const doc = blueprint.files.diagram.content;
    expect(doc.split('\n').filter(line => line.startsWith('> '))).toHaveLength(
      1,
    );
    expect(doc).not.toMatch(/^---$/m);
    expect(doc).not.toContain('${{');
  });
});
