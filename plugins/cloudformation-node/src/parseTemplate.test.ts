import { TemplateParseError, parseTemplate } from './parseTemplate';

describe('parseTemplate', () => {
  it('expands short-form tags in scalar, sequence and mapping form to the long form', () => {
    const template = parseTemplate(`
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  A:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub '\${AWS::StackName}-topic'
      DisplayName: !Join [',', [!Ref B, !GetAtt C.Endpoint.Address, !Select [0, !GetAZs '']]]
      KmsMasterKeyId: !If [HasKey, !Ref Key, !Ref 'AWS::NoValue']
      Other: !Base64 { 'Fn::Sub': x }
      Pair: !GetAtt [C, Arn]
      Enabled: on
`);
    expect(template).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        A: {
          Type: 'AWS::SNS::Topic',
          Properties: {
            TopicName: { 'Fn::Sub': '${AWS::StackName}-topic' },
            DisplayName: {
              'Fn::Join': [
                ',',
                [
                  { Ref: 'B' },
                  { 'Fn::GetAtt': ['C', 'Endpoint.Address'] },
                  { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
                ],
              ],
            },
            KmsMasterKeyId: {
              'Fn::If': ['HasKey', { Ref: 'Key' }, { Ref: 'AWS::NoValue' }],
            },
            Other: { 'Fn::Base64': { 'Fn::Sub': 'x' } },
            Pair: { 'Fn::GetAtt': ['C', 'Arn'] },
            // YAML 1.1, as CloudFormation reads it.
            Enabled: true,
          },
        },
      },
    });
  });

  it('reads JSON templates', () => {
    expect(
      parseTemplate('{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}'),
    ).toEqual({ Resources: { A: { Type: 'AWS::SNS::Topic' } } });
  });

  it('reports syntax errors with their line, and duplicate keys', () => {
    expect(() => parseTemplate('Resources:\n  A: [\n')).toThrow(
      TemplateParseError,
    );
    expect(() => parseTemplate('Resources:\n  A: 1\n  A: 2\n')).toThrow(
      /Map keys must be unique at line 3/,
    );
  });

  it('gives every caller its own copy of a template parsed before', () => {
    const text =
      'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: !Sub "${AWS::StackName}-events" }\n';
    const first = parseTemplate(text) as { Resources: Record<string, unknown> };
    first.Resources.Extra = { Type: 'AWS::SQS::Queue' };
    expect(parseTemplate(text)).toEqual({
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          Properties: { TopicName: { 'Fn::Sub': '${AWS::StackName}-events' } },
        },
      },
    });
  });
});
