import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { createAwsCloudFormationValidateAction } from './validate';
import { examples } from './validate.examples';

const CLEAN = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [Orders, Billing]
    - \${Name}Topic:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Sub '\${AWS::StackName}-\${Name}'
`;
const WITH_WARNING = `Resources:
  Ssh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
`;

type Step = {
  action: string;
  input: { templatePath: string; failOn?: 'error' | 'warning' };
};

describe('aws:cloudformation:validate examples', () => {
  const action = createAwsCloudFormationValidateAction();
  let workspacePath: string;

  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'cfn-validate-examples-'),
    );
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  async function run(step: Step, template: string) {
    const file = path.join(workspacePath, step.input.templatePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, template);
    const ctx = createMockActionContext({ workspacePath, input: step.input });
    const error = await action.handler(ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    return { ctx, error };
  }

  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const [step] = (yaml.parse(example.example) as { steps: Step[] }).steps;
      expect(step.action).toBe(action.id);

      const clean = await run(step, CLEAN);
      expect(clean.error).toBeUndefined();
      expect(clean.ctx.output).toHaveBeenCalledWith('valid', true);
      expect(clean.ctx.output).toHaveBeenCalledWith('infoCount', 1);

      const warned = await run(step, WITH_WARNING);
      expect(warned.ctx.output).toHaveBeenCalledWith('warningCount', 1);
      if (step.input.failOn === 'warning')
        expect(warned.error?.message).toMatch(
          /has 0 error\(s\) and 1 warning\(s\)/,
        );
      else expect(warned.error).toBeUndefined();
    },
  );
});
