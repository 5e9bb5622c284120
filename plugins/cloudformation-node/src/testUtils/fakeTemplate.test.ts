import { readDeployableTemplate, readFakeTemplate } from './fakeTemplate';

describe("the fake's own reading of templates", () => {
  it.each<[string, string, unknown]>([
    ['!Ref', 'Value: !Ref Queue', { Ref: 'Queue' }],
    [
      '!GetAtt with a dotted attribute',
      'Value: !GetAtt Database.Endpoint.Address',
      { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] },
    ],
    [
      '!GetAtt as a list',
      'Value: !GetAtt [Table, Arn]',
      { 'Fn::GetAtt': ['Table', 'Arn'] },
    ],
    [
      '!Sub with variables',
      'Value: !Sub ["${A}", { A: !Ref Queue }]',
      { 'Fn::Sub': ['${A}', { A: { Ref: 'Queue' } }] },
    ],
    [
      '!Join of short forms',
      "Value: !Join [':', [!Ref 'AWS::Region', !GetAZs '']]",
      { 'Fn::Join': [':', [{ Ref: 'AWS::Region' }, { 'Fn::GetAZs': '' }]] },
    ],
    ['a literal', 'Value: 8080', 8080],
  ])('reads %s in YAML', (_case, output, expected) => {
    const template = readFakeTemplate(
      `Resources:\n  Queue: { Type: AWS::SQS::Queue }\nOutputs:\n  Out:\n    ${output}\n`,
    );
    expect(template.outputs.Out.value).toEqual(expected);
  });

  it('reads parameters, resources in order, deletion policies and output descriptions from JSON', () => {
    const template = readFakeTemplate(
      JSON.stringify({
        Parameters: {
          Password: { Type: 'String', NoEcho: 'true' },
          Env: { Type: 'String', Default: 'dev' },
        },
        Resources: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            DeletionPolicy: 'Retain',
            Properties: { BucketName: 'b' },
          },
          Queue: { Type: 'AWS::SQS::Queue' },
        },
        Outputs: { Url: { Value: 'x', Description: 'The URL' } },
      }),
    );
    expect(template.parameters).toEqual({
      Password: { noEcho: true, hasDefault: false },
      Env: { noEcho: false, hasDefault: true },
    });
    expect([...template.resources.keys()]).toEqual(['Bucket', 'Queue']);
    expect(template.resources.get('Bucket')).toMatchObject({
      type: 'AWS::S3::Bucket',
      deletionPolicy: 'Retain',
      properties: { BucketName: 'b' },
    });
    expect(template.outputs.Url).toEqual({
      value: 'x',
      description: 'The URL',
    });
  });

  it.each<[string, string, unknown]>([
    [
      'malformed YAML',
      'Resources: [',
      expect.stringMatching(/^Template format error: /),
    ],
    ['a list', '- a', 'Template format error: not a JSON or YAML object'],
    [
      'no resources',
      'Outputs: {}',
      'Template format error: At least one Resources member must be defined.',
    ],
  ])('answers ValidationError for %s', (_case, body, message) => {
    expect(() => readDeployableTemplate(body)).toThrow(
      expect.objectContaining({ code: 'ValidationError', message }),
    );
  });

  it('reads an empty body as an empty template', () => {
    expect(readFakeTemplate('').resources.size).toBe(0);
  });
});
