import { applyTransforms } from './transforms';
import { validateTemplate } from './validateTemplate';
import type { ValidationFinding } from './types';

const rules = (findings: ValidationFinding[]) =>
  findings.map(
    finding => `${finding.severity} ${finding.rule} ${finding.path}`,
  );

describe('transforms', () => {
  it('leaves SAM resources and Globals to CloudFormation, and knows the names SAM generates', () => {
    const findings = validateTemplate({
      Transform: 'AWS::Serverless-2016-10-31',
      Globals: { Function: { Timeout: 10 } },
      Resources: {
        Api: {
          Type: 'AWS::Serverless::Function',
          Connectors: {},
          Properties: { Runtime: 'python3.12', Whatever: true },
        },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicNam: 'x' } },
      },
      Outputs: {
        Arn: { Value: { 'Fn::GetAtt': ['Api', 'Arn'] } },
        Role: { Value: { 'Fn::GetAtt': ['ApiRole', 'Arn'] } },
        Alias: { Value: { Ref: 'Api.Alias' } },
        Url: {
          Value: {
            'Fn::Sub':
              'https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/',
          },
        },
        Missing: { Value: { Ref: 'Elsewhere' } },
      },
    });
    expect(rules(findings)).toEqual([
      'info transform-left-to-cloudformation Transform',
      'error unknown-property Resources/Topic/Properties/TopicNam',
      'error dangling-ref Outputs/Missing/Value/Ref',
    ]);
    expect(findings[0].message).toBe(
      'The AWS::Serverless-2016-10-31 transform expands 1 AWS::Serverless::* resource(s) and the Globals section in CloudFormation; ' +
        'their properties are left to it. The other resources and all references are checked.',
    );
  });

  it('expands Fn::ForEach over a static collection in keys, Ref, Fn::Sub and nested loops', () => {
    const { template, findings } = applyTransforms({
      Transform: 'AWS::LanguageExtensions',
      Resources: {
        'Fn::ForEach::Topics': [
          'Env',
          ['dev', 'prod-eu'],
          {
            'Fn::ForEach::Kinds': [
              'Kind',
              ['Audit', 'Billing'],
              {
                'Topic&{Env}${Kind}': {
                  Type: 'AWS::SNS::Topic',
                  Properties: {
                    TopicName: { 'Fn::Sub': '${Env}-${Kind}-${AWS::Region}' },
                    DisplayName: { Ref: 'Env' },
                  },
                },
              },
            ],
          },
        ],
      },
      Outputs: {
        'Fn::ForEach::Out': [
          'Env',
          ['dev'],
          {
            'Out${Env}': { Value: { Ref: { 'Fn::Sub': 'Topic${Env}Audit' } } },
          },
        ],
      },
    });
    expect(Object.keys(template.Resources as object)).toEqual([
      'TopicdevAudit',
      'TopicdevBilling',
      'TopicprodeuAudit',
      'TopicprodeuBilling',
    ]);
    expect(
      (template.Resources as Record<string, unknown>).TopicprodeuBilling,
    ).toEqual({
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: { 'Fn::Sub': 'prod-eu-Billing-${AWS::Region}' },
        DisplayName: 'prod-eu',
      },
    });
    expect(template.Outputs).toEqual({
      Outdev: { Value: { Ref: 'TopicdevAudit' } },
    });
    expect(findings.map(finding => finding.message)).toEqual([
      'AWS::LanguageExtensions: 4 Fn::ForEach loop(s) over a static collection were expanded and checked.',
    ]);
  });

  it('leaves loops over deploy-time collections to CloudFormation without calling their resources dangling', () => {
    const findings = validateTemplate({
      Transform: ['AWS::LanguageExtensions'],
      Parameters: { Names: { Type: 'CommaDelimitedList' } },
      Resources: {
        'Fn::ForEach::Queues': [
          'Name',
          { Ref: 'Names' },
          { '${Name}Queue': { Type: 'AWS::SQS::Queue' } },
        ],
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: {
            DisplayName: { 'Fn::GetAtt': ['OrdersQueue', 'QueueName'] },
          },
        },
      },
      Outputs: { Bad: { Value: { Ref: 'Orders' } } },
    });
    expect(rules(findings)).toEqual([
      'info transform-left-to-cloudformation Transform',
      'error dangling-ref Outputs/Bad/Value/Ref',
    ]);
    expect(findings[0].message).toContain(
      '1 loop(s) over a collection known only at deploy time are left to CloudFormation: Resources/Fn::ForEach::Queues.',
    );
  });

  it('refuses malformed loops and transforms, and names unknown macros and Fn::Transform in an info', () => {
    expect(
      rules(
        validateTemplate({
          Transform: 'AWS::LanguageExtensions',
          Resources: {
            'Fn::ForEach::X': ['my-id', ['a'], {}],
            Topic: { Type: 'AWS::SNS::Topic' },
          },
        }),
      ),
    ).toEqual(['error invalid-for-each Resources/Fn::ForEach::X']);
    expect(
      rules(
        validateTemplate({
          Transform: { Name: 'AWS::Include' },
          Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
        }),
      ),
    ).toEqual(['error invalid-transform Transform']);
    const findings = validateTemplate({
      Transform: ['TeamMacro', 'AWS::SecretsManager-2024-09-16'],
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: {
            TopicName: 'x',
            'Fn::Transform': {
              Name: 'AWS::Include',
              Parameters: { Location: 's3://bucket/topic.yaml' },
            },
          },
        },
      },
    });
    expect(rules(findings)).toEqual([
      'info macro-left-to-cloudformation Transform',
      'info macro-left-to-cloudformation Resources/Topic/Properties/Fn::Transform',
    ]);
    expect(findings[0].message).toBe(
      'Macro "TeamMacro" runs in CloudFormation; this check sees the template before the macro changes it.',
    );
  });

  it('checks what a section holds besides an AWS::Include, and accepts references to what it may include', () => {
    const include = {
      'Fn::Transform': {
        Name: 'AWS::Include',
        Parameters: { Location: 's3://bucket/part.yaml' },
      },
    };
    const findings = validateTemplate({
      Resources: {
        ...include,
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicNam: 'x' } },
      },
      Outputs: {
        ...include,
        Included: { Value: { 'Fn::GetAtt': ['IncludedQueue', 'Arn'] } },
      },
    });
    expect(rules(findings)).toEqual([
      'info macro-left-to-cloudformation Resources/Fn::Transform',
      'info macro-left-to-cloudformation Outputs/Fn::Transform',
      'error unknown-property Resources/Topic/Properties/TopicNam',
    ]);
    expect(rules(validateTemplate({ Resources: include }))).toEqual([
      'info macro-left-to-cloudformation Resources/Fn::Transform',
    ]);
  });

  it('gives custom resources the Version attribute, and only them', () => {
    const findings = validateTemplate({
      Resources: {
        Custom: {
          Type: 'Custom::Thing',
          Version: '1.0',
          Properties: {
            ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x',
          },
        },
        Generic: {
          Type: 'AWS::CloudFormation::CustomResource',
          Version: '1.0',
          Properties: { ServiceToken: 'arn:aws:sns:eu-west-1:123456789012:x' },
        },
        Topic: { Type: 'AWS::SNS::Topic', Version: '1.0' },
      },
      Outputs: { Any: { Value: { 'Fn::GetAtt': ['Custom', 'Version'] } } },
    });
    expect(rules(findings)).toEqual([
      'error unknown-resource-attribute Resources/Topic/Version',
    ]);
  });
});
