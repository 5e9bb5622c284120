import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check the template a previous step generated; any error fails the task.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          name: 'Validate CloudFormation',
          action: 'aws:cloudformation:validate',
          input: { templatePath: 'infra/template.yaml' },
        },
      ],
    }),
  },
  {
    description:
      'Check a SAM or AWS::LanguageExtensions template: Fn::ForEach loops are expanded and checked, and what the ' +
      'transform leaves to CloudFormation is reported as info, which never fails the task. A security rule the template ' +
      'turns off in its Metadata (aws:cloudformation:validate: ignore: [{ rule, reason }]) is reported as info too.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          name: 'Validate CloudFormation',
          action: 'aws:cloudformation:validate',
          input: { templatePath: 'template.yaml' },
        },
      ],
    }),
  },
  {
    description: 'Be strict: warnings fail the task too.',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          name: 'Validate CloudFormation',
          action: 'aws:cloudformation:validate',
          input: { templatePath: 'infra/template.yaml', failOn: 'warning' },
        },
      ],
    }),
  },
];
