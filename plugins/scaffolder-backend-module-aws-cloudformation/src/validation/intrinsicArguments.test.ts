import { validateTemplate } from './validateTemplate';
import type { ValidationFinding } from './types';

const rules = (findings: ValidationFinding[]) =>
  findings.map(finding => `${finding.rule} ${finding.path}`);
const parameterWithValue = (
  value: unknown,
  extra: Record<string, unknown> = {},
) => ({
  ...extra,
  Resources: {
    Param: {
      Type: 'AWS::SSM::Parameter',
      Properties: { Type: 'String', Value: value },
    },
  },
});

// The differential test covers the misuses cfn-lint reports too; most of these are ones CloudFormation
// rejects (at change-set creation) that cfn-lint 1.51 lets through.
describe('intrinsic function arguments and property formats', () => {
  const mappings = { Mappings: { Sizes: { dev: { Class: 'small' } } } };

  it('looks literal Fn::FindInMap keys up in the mapping, unless a DefaultValue is given', () => {
    expect(
      rules(
        validateTemplate(
          parameterWithValue(
            { 'Fn::FindInMap': ['Sizes', 'prod', 'Class'] },
            mappings,
          ),
        ),
      ),
    ).toEqual([
      'invalid-function-argument Resources/Param/Properties/Value/Fn::FindInMap',
    ]);
    const second = validateTemplate(
      parameterWithValue(
        { 'Fn::FindInMap': ['Sizes', 'dev', 'Storage'] },
        mappings,
      ),
    );
    expect(second.map(finding => finding.message)).toEqual([
      'Mapping "Sizes" has no key "Storage" under "dev"; it has Class.',
    ]);
    expect(
      validateTemplate(
        parameterWithValue(
          {
            'Fn::FindInMap': ['Sizes', 'prod', 'Class', { DefaultValue: 'x' }],
          },
          mappings,
        ),
      ),
    ).toEqual([]);
    expect(
      validateTemplate(
        parameterWithValue(
          { 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Class'] },
          mappings,
        ),
      ),
    ).toEqual([]);
  });

  it('names the shape of a misplaced value, never the value', () => {
    const findings = validateTemplate({
      Resources: {
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: {
            DBInstanceClass: 'db.t4g.micro',
            StorageEncrypted: true,
            MasterUserPassword: {
              'Fn::Join': ['', ['hunter2', { nested: 'hunter2hunter2' }]],
            },
            MasterUsername: { 'Fn::Sub': ['${User}', { User: ['hunter2'] }] },
          },
        },
      },
    });
    expect(findings.map(finding => finding.message)).toEqual([
      'Fn::Join joins strings, not a mapping.',
      'Fn::Sub variable "User" must be a string or a function giving one, not a list.',
    ]);
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });

  it('refuses a literal Fn::Select index past the end of a literal list, and unknown functions', () => {
    expect(
      validateTemplate(
        parameterWithValue({ 'Fn::Select': [2, ['a', 'b']] }),
      ).map(finding => finding.message),
    ).toEqual(['Fn::Select index 2 is past the end of a list of 2.']);
    expect(
      validateTemplate(parameterWithValue({ 'Fn::Joins': [',', ['a']] })).map(
        finding => finding.message,
      ),
    ).toEqual(['Fn::Joins is not an intrinsic function.']);
  });

  it('refuses a Ref whose format does not fit, checking both branches of Fn::If', () => {
    const key = { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } };
    const findings = validateTemplate({
      Conditions: { Encrypt: { 'Fn::Equals': ['a', 'a'] } },
      Resources: {
        Key: key,
        Logs: {
          Type: 'AWS::Logs::LogGroup',
          Properties: {
            KmsKeyId: {
              'Fn::If': ['Encrypt', { Ref: 'Key' }, { Ref: 'AWS::NoValue' }],
            },
          },
        },
        Arn: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        },
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: { KmsMasterKeyId: { Ref: 'Key' } },
        },
        DefaultVpcGroup: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: { GroupDescription: 'x' },
        },
        Lb: {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: { SecurityGroups: [{ Ref: 'DefaultVpcGroup' }] },
        },
      },
    });
    expect(
      findings.map(
        finding => `${finding.rule} ${finding.path}: ${finding.message}`,
      ),
    ).toEqual([
      'ref-format Resources/Logs/Properties/KmsKeyId/Fn::If/1/Ref: Ref to "Key" gives a KMS key id, but the property takes a KMS key ARN (arn:aws:kms:region:account:key/…).',
      'ref-format Resources/Lb/Properties/SecurityGroups/0/Ref: Ref to "DefaultVpcGroup" gives a security group name (the group has no VpcId), but the property takes a security group id (sg-0123abcd).',
    ]);
  });

  it("refuses a function's Role given by Ref (a role name) and malformed literal subnet ids", () => {
    const findings = validateTemplate({
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: { AssumeRolePolicyDocument: {} },
        },
        Function: {
          Type: 'AWS::Lambda::Function',
          Properties: { Role: { Ref: 'Role' }, Code: { ZipFile: 'x' } },
        },
        Subnets: {
          Type: 'AWS::RDS::DBSubnetGroup',
          Properties: {
            DBSubnetGroupDescription: 'x',
            SubnetIds: ['subnet-1', 'subnet-0123456789abcdef0'],
          },
        },
      },
    });
    expect(rules(findings)).toEqual([
      'ref-format Resources/Function/Properties/Role/Ref',
      'invalid-format Resources/Subnets/Properties/SubnetIds/0',
    ]);
  });

  it('accepts the literal forms each format allows, and dynamic references', () => {
    const findings = validateTemplate({
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '0.0.0.0/0' } },
        Wide: {
          Type: 'AWS::EC2::VPC',
          Properties: { CidrBlock: '10.0.0.0/8' },
        },
        ById: {
          Type: 'AWS::SNS::Topic',
          Properties: {
            KmsMasterKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
          },
        },
        ByAlias: {
          Type: 'AWS::SNS::Topic',
          Properties: { KmsMasterKeyId: 'alias/aws/sns' },
        },
        ByArn: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            KmsMasterKeyId:
              'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          },
        },
        Resolved: {
          Type: 'AWS::EC2::VPC',
          Properties: { CidrBlock: '{{resolve:ssm:/network/cidr}}' },
        },
      },
    });
    expect(findings).toEqual([]);
    expect(
      rules(
        validateTemplate({
          Resources: {
            Vpc: {
              Type: 'AWS::EC2::VPC',
              Properties: { CidrBlock: '10.0.0.0/33' },
            },
          },
        }),
      ),
    ).toEqual(['invalid-format Resources/Vpc/Properties/CidrBlock']);
  });
});
