import { validateTemplate } from './validateTemplate';
import type { ValidationFinding } from './types';

const rules = (findings: ValidationFinding[]) =>
  findings.map(
    finding =>
      `${finding.severity} ${finding.rule} ${finding.resource ?? '-'} ${finding.path}`,
  );
const openGroup = {
  Type: 'AWS::EC2::SecurityGroup',
  Properties: {
    GroupDescription: 'x',
    SecurityGroupIngress: [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' },
    ],
  },
};
const publicDatabase = {
  Type: 'AWS::RDS::DBInstance',
  Properties: {
    Engine: 'postgres',
    DBInstanceClass: 'db.t4g.micro',
    MasterUsername: 'app',
    ManageMasterUserPassword: true,
    StorageEncrypted: true,
    PubliclyAccessible: true,
  },
};
const ignore = (entries: unknown) => ({
  'aws:cloudformation:validate': { ignore: entries },
});

describe('turning security rules off in Metadata', () => {
  it('turns a rule off for the whole template or for one resource, keeping rule, path and reason in an info', () => {
    const findings = validateTemplate({
      Metadata: ignore([
        {
          rule: 'security-group-open-ingress',
          reason: 'Partner SFTP, key auth only',
        },
      ]),
      Resources: {
        Sftp: openGroup,
        Other: openGroup,
        Reporting: {
          ...publicDatabase,
          Metadata: ignore([
            { rule: 'database-public', reason: 'Public figures only' },
          ]),
        },
        Orders: publicDatabase,
      },
    });
    expect(rules(findings)).toEqual([
      'info security-group-open-ingress Sftp Resources/Sftp/Properties/SecurityGroupIngress/0',
      'info security-group-open-ingress Other Resources/Other/Properties/SecurityGroupIngress/0',
      'info database-public Reporting Resources/Reporting/Properties/PubliclyAccessible',
      'error database-public Orders Resources/Orders/Properties/PubliclyAccessible',
    ]);
    expect(findings[2].message).toBe(
      'Turned off in Metadata (Public figures only): The database must not be publicly accessible.',
    );
  });

  it('wants a known security rule and a reason', () => {
    const findings = validateTemplate({
      Metadata: ignore([
        { rule: 'unknown-property', reason: 'x' },
        { rule: 'database-public' },
        { rule: 'database-public', reason: '  ' },
      ]),
      Resources: {
        Db: { ...publicDatabase, Metadata: ignore('database-public') },
      },
    });
    expect(rules(findings)).toEqual([
      'error invalid-ignore - Metadata/aws:cloudformation:validate/ignore/0/rule',
      'error invalid-ignore - Metadata/aws:cloudformation:validate/ignore/1/reason',
      'error invalid-ignore - Metadata/aws:cloudformation:validate/ignore/2/reason',
      'error invalid-ignore Db Resources/Db/Metadata/aws:cloudformation:validate/ignore',
      'error database-public Db Resources/Db/Properties/PubliclyAccessible',
    ]);
    expect(findings[0].message).toMatch(
      /^rule must name a security rule: one of secretsmanager-wildcard-resource, kms-wildcard-resource, /,
    );
    expect(findings[1].message).toBe(
      'Turning off "database-public" needs a reason: say why the template is safe without it.',
    );
  });
});
