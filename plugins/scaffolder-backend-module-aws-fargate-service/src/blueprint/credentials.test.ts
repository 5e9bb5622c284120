import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { INPUT_MATRIX } from '../testUtils/inputMatrix';
import { generateFargateService } from './generate';
import {
  APPLICATION_USERNAME,
  BOOTSTRAP_CONTAINER_NAME,
} from './applicationUser';

// Parsed templates are untyped JSON; the assertions are the type checks.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function templateOf(input: Record<string, unknown>): Json {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return parseTemplate(result.blueprint.files.template.content);
}

/** Every logical id a value refers to: Ref, Fn::GetAtt and Fn::Sub placeholders. */
function referencesIn(value: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach(item => referencesIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries<Json>(value)) {
      if (key === 'Ref') found.add(inner);
      else if (key === 'Fn::GetAtt')
        found.add(
          Array.isArray(inner) ? inner[0] : String(inner).split('.')[0],
        );
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g))
          found.add(match[1]);
        if (Array.isArray(inner)) referencesIn(inner[1], found);
      } else referencesIn(inner, found);
    }
  }
  return found;
}

/** What CloudFormation creates before `logicalId`: its DependsOn and references, transitively. */
function createdBefore(template: Json, logicalId: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    const resource = template.Resources[id];
    if (!resource) return;
    for (const next of [
      ...(resource.DependsOn ?? []),
      ...referencesIn(resource.Properties),
    ]) {
      if (!seen.has(next) && template.Resources[next]) {
        seen.add(next);
        visit(next);
      }
    }
  };
  visit(logicalId);
  return seen;
}

const containers = (template: Json) =>
  template.Resources.TaskDefinition.Properties.ContainerDefinitions;
const secretsOf = (container: Json) =>
  container.Secrets.map(
    (secret: Json) =>
      /^\$\{([A-Za-z.]+)\}:/.exec(secret.ValueFrom['Fn::Sub'])![1],
  );
const SM_CASES = Object.entries(INPUT_MATRIX).filter(
  ([, input]) => input.credentialsMode === 'secrets-manager',
);
const RDS_CASES = Object.entries(INPUT_MATRIX).filter(
  ([, input]) => input.credentialsMode !== 'secrets-manager',
);

describe('secrets-manager mode: the application user', () => {
  it.each(SM_CASES)(
    '%s: the app container reads only the application secret; only the bootstrap container gets the master secret',
    (_name, input) => {
      const template = templateOf(input);
      const [app, bootstrap, ...others] = containers(template);
      expect(others).toEqual([]);
      expect(new Set(secretsOf(app))).toEqual(new Set(['ApplicationSecret']));
      expect(bootstrap.Name).toBe(BOOTSTRAP_CONTAINER_NAME);
      expect(bootstrap).toMatchObject({
        Essential: false,
        ReadonlyRootFilesystem: true,
        User: expect.stringMatching(/^[1-9]\d*:[1-9]\d*$/),
        Memory: 128,
      });
      expect(secretsOf(bootstrap)).toEqual([
        'DatabaseSecret',
        'DatabaseSecret',
        'ApplicationSecret',
      ]);
      expect(bootstrap.Secrets.map((secret: Json) => secret.Name)).toEqual([
        'MASTER_USERNAME',
        'MASTER_PASSWORD',
        'APP_DB_PASSWORD',
      ]);
      expect(app.DependsOn).toEqual([
        { ContainerName: BOOTSTRAP_CONTAINER_NAME, Condition: 'SUCCESS' },
      ]);
      // The bootstrap's script and environment hold names and $VARIABLES, never a password literal or a dynamic reference.
      const text = [
        ...bootstrap.Command,
        ...bootstrap.EntryPoint,
        ...bootstrap.Environment.map((variable: Json) =>
          JSON.stringify(variable.Value),
        ),
      ].join('\n');
      expect(text).not.toMatch(
        /resolve:|PASSWORD=(?!"\$)|PASSWORD '|IDENTIFIED BY '(?!,)/i,
      );
      expect(text).toContain(
        input.databaseEngine === 'mysql'
          ? 'MYSQL_PWD="$MASTER_PASSWORD"'
          : 'PGPASSWORD="$MASTER_PASSWORD"',
      );
      expect(bootstrap.Environment).toContainEqual({
        Name: 'APP_DB_USER',
        Value: APPLICATION_USERNAME,
      });
      // Its image comes through the stack's pull-through cache, which the ECR endpoints reach without NAT.
      const prefix =
        template.Resources.BootstrapImageCache.Properties.EcrRepositoryPrefix;
      expect(prefix.length).toBeLessThanOrEqual(30);
      expect(bootstrap.Image['Fn::Sub']).toMatch(
        new RegExp(
          `^\\$\\{AWS::AccountId\\}\\.dkr\\.ecr\\.\\$\\{AWS::Region\\}\\.\\$\\{AWS::URLSuffix\\}/${prefix}/docker/library/(postgres|mysql):`,
        ),
      );
      const ecr = template.Resources.ExecutionRole.Properties.Policies.flatMap(
        (policy: Json) => policy.PolicyDocument.Statement,
      ).filter((statement: Json) =>
        [statement.Action].flat().includes('ecr:BatchImportUpstreamImage'),
      );
      expect(
        ecr.map((statement: Json) => statement.Resource['Fn::Sub']),
      ).toEqual([
        `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${prefix}/*`,
      ]);
    },
  );

  it.each(SM_CASES)(
    "%s: the application secret is generated in the stack with the stack's key and names its master",
    (_name, input) => {
      const template = templateOf(input);
      const secret = template.Resources.ApplicationSecret.Properties;
      expect(secret.KmsKeyId).toEqual(
        template.Resources.DatabaseSecret.Properties.KmsKeyId,
      );
      expect(
        JSON.parse(secret.GenerateSecretString.SecretStringTemplate['Fn::Sub']),
      ).toEqual({
        username: APPLICATION_USERNAME,
        dbname: template.Resources.Database.Properties.DBName,
        masterarn: '${DatabaseSecret}',
      });
    },
  );

  it.each(SM_CASES)(
    '%s: alternating-users rotation with the master secret, never at creation, never before the redeploy rule',
    (_name, input) => {
      const template = templateOf(input);
      const rotation = template.Resources.ApplicationSecretRotation;
      expect(rotation.Properties).toMatchObject({
        SecretId: { Ref: 'ApplicationSecret' },
        RotateImmediatelyOnUpdate: false,
        HostedRotationLambda: {
          RotationType:
            input.databaseEngine === 'mysql'
              ? 'MySQLMultiUser'
              : 'PostgreSQLMultiUser',
          MasterSecretArn: { Ref: 'DatabaseSecret' },
        },
      });
      expect(
        template.Resources.DatabaseSecretRotation.Properties
          .RotateImmediatelyOnUpdate,
      ).toBe(false);
      // On the dependency graph: the rule (and so the service it redeploys) exists before any rotation schedule.
      const before = createdBefore(template, 'ApplicationSecretRotation');
      for (const id of [
        'RotationEventRule',
        'RedeployStateMachine',
        'Service',
        'ApplicationSecretAttachment',
      ])
        expect([id, before.has(id)]).toEqual([id, true]);
      // ... and the service does not wait for a rotation: its first tasks use the generated password.
      expect(
        createdBefore(template, 'Service').has('ApplicationSecretRotation'),
      ).toBe(false);
    },
  );
});

describe('rds-managed mode (the moto path)', () => {
  it.each(RDS_CASES)(
    '%s: no application secret, no bootstrap, no transform',
    (_name, input) => {
      const template = templateOf(input);
      expect(template.Transform).toBeUndefined();
      expect(template.Resources.ApplicationSecret).toBeUndefined();
      expect(template.Resources.BootstrapImageCache).toBeUndefined();
      expect(containers(template)).toHaveLength(1);
    },
  );
});

describe('redeploy and alarms', () => {
  it.each(Object.entries(INPUT_MATRIX))(
    "%s: the state machine logs errors without execution data; alarms watch AWS's metrics",
    (_name, input) => {
      const template = templateOf(input);
      expect(
        template.Resources.RedeployStateMachine.Properties.LoggingConfiguration,
      ).toEqual({
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': ['RedeployLogGroup', 'Arn'] },
            },
          },
        ],
      });
      expect(
        template.Resources.RedeployStateMachine.Properties.TracingConfiguration,
      ).toEqual({ Enabled: true });
      for (const alarm of Object.values<Json>(template.Resources).filter(
        resource => resource.Type === 'AWS::CloudWatch::Alarm',
      )) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
      }
      expect(template.Resources.RedeployFailedAlarm.Properties).toMatchObject({
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Dimensions: [
          { Name: 'StateMachineArn', Value: { Ref: 'RedeployStateMachine' } },
        ],
      });
      const rotationAlarm = template.Resources.RotationFailedAlarm;
      if (input.credentialsMode === 'secrets-manager') {
        expect(rotationAlarm.Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [
            {
              Name: 'FunctionName',
              Value:
                template.Resources.ApplicationSecretRotation.Properties
                  .HostedRotationLambda.RotationLambdaName,
            },
          ],
        });
      } else {
        expect(rotationAlarm).toBeUndefined();
      }
    },
  );
});

describe('input', () => {
  it.each(['app_user', 'APP_USER_clone'])(
    'refuses the master user name %j in secrets-manager mode, naming the field',
    username => {
      const result = generateFargateService({
        serviceName: 'orders',
        credentialsMode: 'secrets-manager',
        databaseUsername: username,
      });
      expect(result.success ? [] : result.problems).toEqual([
        'databaseUsername: must not be app_user or app_user_clone in secrets-manager mode (the application user and its rotation twin)',
      ]);
    },
  );

  it('keeps app_user free for the master in rds-managed mode (there is no application user)', () => {
    expect(
      generateFargateService({
        serviceName: 'orders',
        databaseUsername: 'app_user',
      }).success,
    ).toBe(true);
  });
});
