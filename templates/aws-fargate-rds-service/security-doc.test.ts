import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ENVIRONMENT_DEFAULTS,
  fargateServiceInputFields,
  generateFargateService,
  parseFargateServiceInput,
} from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';

type Row = { control: string; input: string; prod: string; other: string };

async function securityTable(): Promise<Row[]> {
  const text = await readFile(
    path.join(__dirname, 'skeleton/docs/security.md'),
    'utf8',
  );
  return text
    .split('\n')
    .filter(
      line =>
        line.startsWith('| ') &&
        !line.startsWith('| Control') &&
        !line.startsWith('| ---'),
    )
    .map(line => {
      const [control, , input, prod, other] = line
        .split(' | ')
        .map(cell => cell.replace(/^\| |\s*\|$/g, ''));
      return { control, input, prod, other };
    });
}

/** How the page writes a default: on/off for switches, the value in backticks otherwise. */
function written(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return typeof value === 'string' ? `\`${value}\`` : String(value);
}

describe('docs/security.md of the generated repository', () => {
  it('names only inputs the blueprint has', async () => {
    for (const row of await securityTable()) {
      for (const [, input] of row.input.matchAll(/`([A-Za-z]+)`/g))
        expect({
          row: row.control,
          input,
          known: input in fargateServiceInputFields,
        }).toEqual({ row: row.control, input, known: true });
    }
  });

  it('gives each per-environment default as the blueprint resolves it', async () => {
    const rows = await securityTable();
    for (const [input, defaults] of Object.entries(ENVIRONMENT_DEFAULTS)) {
      const row = rows.find(candidate => candidate.input === `\`${input}\``);
      expect({ input, prod: row?.prod, other: row?.other }).toEqual({
        input,
        prod: written(defaults.prod),
        other: written(defaults.other),
      });
    }
  });

  it('matches what the parser really picks for prod and dev', async () => {
    const resolve = (environment: string) => {
      const result = parseFargateServiceInput({
        serviceName: 'orders',
        environment,
        loadBalancerScheme: 'internal',
      });
      if (!result.success) throw new Error(result.problems.join('\n'));
      return result.spec;
    };
    for (const [environment, column] of [
      ['prod', 'prod'],
      ['dev', 'other'],
    ] as const) {
      const spec = resolve(environment);
      const rows = Object.fromEntries(
        (await securityTable()).map(row => [row.input, row[column]]),
      );
      expect({
        kmsKey: rows['`kmsKey`'],
        databaseMultiAz: rows['`databaseMultiAz`'],
        logRetentionDays: rows['`logRetentionDays`'],
        readOnlyRootFilesystem: rows['`readOnlyRootFilesystem`'],
        vpcFlowLogs: rows['`vpcFlowLogs`'],
        containerUser: rows['`containerUser`'],
      }).toEqual({
        kmsKey: written(spec.kms.mode),
        databaseMultiAz: written(spec.database.multiAz),
        logRetentionDays: written(spec.logRetentionDays),
        readOnlyRootFilesystem: written(spec.hardening.readOnlyRootFilesystem),
        vpcFlowLogs: written(spec.hardening.vpcFlowLogs),
        containerUser: written(spec.hardening.containerUser),
      });
    }
  });
});

describe('the "Deleting the service" section of docs/operate.md', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;
  const templateOf = (input: Record<string, unknown>): Json => {
    const result = generateFargateService(input);
    if (!result.success) throw new Error(result.problems.join('\n'));
    return JSON.parse(JSON.stringify(result.blueprint.model.template));
  };
  const policies = (template: Json, type: string) =>
    Object.values<Json>(template.Resources)
      .filter(r => r.Type === type)
      .map(r => r.DeletionPolicy);

  it('says per resource what a stack deletion keeps, as the templates do', async () => {
    const text = await readFile(
      path.join(__dirname, 'skeleton/docs/operate.md'),
      'utf8',
    );
    const rows = Object.fromEntries(
      text
        .split('\n')
        .filter(
          line => /^\| [A-Z]/.test(line) && !line.startsWith('| Resource'),
        )
        .map(line => {
          const [resource, behaviour] = line
            .split(' | ')
            .map(cell => cell.replace(/^\| /, ''));
          return [resource, behaviour];
        }),
    );
    const sm = templateOf({
      serviceName: 'orders',
      credentialsMode: 'secrets-manager',
      kmsKey: 'create',
      loadBalancerAccessLogs: true,
    });
    const rds = templateOf({ serviceName: 'orders' });
    const prod = templateOf({
      serviceName: 'orders',
      environment: 'prod',
      loadBalancerScheme: 'internal',
    });

    expect(rows.Database).toMatch(/final snapshot/);
    expect([
      sm.Resources.Database.DeletionPolicy,
      rds.Resources.Database.DeletionPolicy,
    ]).toEqual(['Snapshot', 'Snapshot']);
    expect(text).toMatch(
      /\| Database secret \| \*\*Kept\*\* \(`DeletionPolicy: Retain`\)/,
    );
    expect(sm.Resources.DatabaseSecret.DeletionPolicy).toBe('Retain');
    expect(text).toMatch(
      /\| Application secret \| \*\*Kept\*\* \(`DeletionPolicy: Retain`\)/,
    );
    expect(sm.Resources.ApplicationSecret.DeletionPolicy).toBe('Retain');
    expect(text).toMatch(
      /\| Database secret \| Deleted by RDS with the instance/,
    );
    expect(rds.Resources.Database.Properties.ManageMasterUserPassword).toBe(
      true,
    );
    expect(rows['Customer-managed KMS key (if the stack created one)']).toMatch(
      /^\*\*Kept\*\* \(`DeletionPolicy: Retain`\)/,
    );
    expect(sm.Resources.EncryptionKey.DeletionPolicy).toBe('Retain');
    expect(rows['Image repository']).toMatch(/^\*\*Kept\*\*/);
    expect(rds.Resources.Repository.DeletionPolicy).toBe('Retain');
    expect(rows['Access-log bucket (if on)']).toMatch(/^\*\*Kept\*\*/);
    expect(sm.Resources.AccessLogsBucket.DeletionPolicy).toBe('Retain');
    // The redeploy state machine's log group follows retainLogsOnDelete like the others.
    expect(
      rows['Log groups (containers, database, flow logs, redeploy)'],
    ).toMatch(/`retainLogsOnDelete` \(on in prod\)/);
    expect(prod.Resources.RedeployLogGroup.DeletionPolicy).toBe('Retain');
    expect(new Set(policies(prod, 'AWS::Logs::LogGroup'))).toEqual(
      new Set(['Retain']),
    );
    expect(new Set(policies(rds, 'AWS::Logs::LogGroup'))).toEqual(
      new Set([undefined]),
    );
  });
});
