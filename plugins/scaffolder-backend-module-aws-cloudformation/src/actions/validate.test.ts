import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAwsCloudFormationValidateAction } from './validate';

const VALID = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub '\${AWS::StackName}-events'
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
`;
const INVALID = `Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicNam: !Ref Missing
`;

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Function:
    Type: AWS::Serverless::Function
    Properties: { Runtime: python3.12, Handler: index.handler, InlineCode: 'def handler(e, c): pass' }
Outputs:
  Role:
    Value: !GetAtt FunctionRole.Arn
`;

describe('aws:cloudformation:validate', () => {
  const action = createAwsCloudFormationValidateAction();
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'cfn-validate-'));
    await fs.mkdir(path.join(workspacePath, 'infra'));
    await fs.writeFile(path.join(workspacePath, 'infra/valid.yaml'), VALID);
    await fs.writeFile(path.join(workspacePath, 'infra/invalid.yaml'), INVALID);
    await fs.writeFile(
      path.join(workspacePath, 'infra/broken.yaml'),
      'Resources: [\n',
    );
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  it('passes a valid template and reports its warnings', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { templatePath: 'infra/valid.yaml' },
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('errorCount', 0);
    expect(ctx.output).toHaveBeenCalledWith('warningCount', 1);
    expect(ctx.output).toHaveBeenCalledWith('findings', [
      expect.objectContaining({
        severity: 'warning',
        rule: 'security-group-open-ingress',
        resource: 'Open',
      }),
    ]);
  });

  it('reports what a transform leaves to CloudFormation as info, which never fails the step', async () => {
    await fs.writeFile(path.join(workspacePath, 'infra/sam.yaml'), SAM);
    const ctx = createMockActionContext({
      workspacePath,
      input: { templatePath: 'infra/sam.yaml', failOn: 'warning' as const },
    });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('infoCount', 1);
    expect(ctx.output).toHaveBeenCalledWith('findings', [
      expect.objectContaining({
        severity: 'info',
        rule: 'transform-left-to-cloudformation',
        path: 'Transform',
      }),
    ]);
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^info transform-left-to-cloudformation Transform: The AWS::Serverless-2016-10-31 transform/,
      ),
    );
  });

  it('fails on warnings when failOn is warning', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { templatePath: 'infra/valid.yaml', failOn: 'warning' as const },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /1 warning\(s\):\nwarning security-group-open-ingress Resources\/Open/,
    );
    expect(ctx.output).toHaveBeenCalledWith('valid', false);
  });

  it('fails on errors, naming resource, path and rule, after setting the outputs', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { templatePath: 'infra/invalid.yaml' },
    });
    const error = await action.handler(ctx).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      [
        'infra/invalid.yaml has 2 error(s) and 0 warning(s):',
        'error unknown-property Resources/Topic/Properties/TopicNam: Unknown property "TopicNam" (did you mean "TopicName"?).',
        'error dangling-ref Resources/Topic/Properties/TopicNam/Ref: Ref to "Missing", which is neither a parameter, a resource nor a pseudo parameter.',
      ].join('\n'),
    );
    expect(ctx.output).toHaveBeenCalledWith('errorCount', 2);
  });

  it('behaves the same in a dry run: it only reads', async () => {
    const ctx = createMockActionContext({
      workspacePath,
      isDryRun: true,
      input: { templatePath: 'infra/invalid.yaml' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(/2 error\(s\)/);
    expect(
      await fs.readFile(path.join(workspacePath, 'infra/invalid.yaml'), 'utf8'),
    ).toBe(INVALID);
  });

  it.each([
    [
      '../outside.yaml',
      /templatePath: "..\/outside.yaml" leaves the workspace/,
    ],
    ['/etc/passwd', /templatePath: "\/etc\/passwd" leaves the workspace/],
    [
      'infra/missing.yaml',
      /templatePath: no readable file at "infra\/missing.yaml"/,
    ],
    [
      'infra/broken.yaml',
      /templatePath: "infra\/broken.yaml" is not valid YAML or JSON:\n.*line 2/,
    ],
  ])('refuses %s with an input error', async (templatePath, message) => {
    const ctx = createMockActionContext({
      workspacePath,
      input: { templatePath },
    });
    await expect(action.handler(ctx)).rejects.toThrow(message);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
