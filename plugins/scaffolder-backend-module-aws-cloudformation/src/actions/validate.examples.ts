import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Check the template a previous step generated; any error fails the task.',
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
