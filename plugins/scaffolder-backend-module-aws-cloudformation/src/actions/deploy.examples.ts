import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploy the stack a previous step generated, with its parameters and capabilities.',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          name: 'Deploy to AWS',
          action: 'aws:cloudformation:deploy',
          input: {
            stackName: '${{ steps.generate.output.stackName }}',
            templatePath: '${{ steps.generate.output.templatePath }}',
            parameters: '${{ steps.generate.output.parameters }}',
            capabilities: '${{ steps.generate.output.capabilities }}',
            entityRef: 'component:default/${{ parameters.name }}',
            region: 'eu-west-1',
            accountId: '123456789012',
            tags: { 'cost-center': 'payments' },
            terminationProtection: true,
            timeoutMinutes: 90,
          },
        },
      ],
    }),
  },
  {
    description:
      'Only create the change set for review: nothing is changed until someone executes it.',
    example: yaml.stringify({
      steps: [
        {
          id: 'review',
          name: 'Prepare change set',
          action: 'aws:cloudformation:deploy',
          input: {
            stackName: 'payments-prod',
            templatePath: 'infra/template.yaml',
            entityRef: 'component:default/payments',
            parameters: {
              ContainerImage:
                '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments:1.4.2',
            },
            execute: false,
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy through a CloudFormation service role, keep failed resources for inspection, and fail when nothing changes.',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          name: 'Deploy to AWS',
          action: 'aws:cloudformation:deploy',
          input: {
            stackName: 'payments-dev',
            templatePath: 'infra/template.yaml',
            entityRef: 'component:default/payments',
            roleArn: 'arn:aws:iam::123456789012:role/cloudformation-deployer',
            onFailure: 'DO_NOTHING',
            failOnEmptyChangeSet: true,
          },
        },
      ],
    }),
  },
];
