import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Remove a retired service, its database and secret Resources and their location from the catalog.',
    example: yaml.stringify({
      steps: [
        {
          id: 'unregister',
          name: 'Remove from the catalog',
          action: 'catalog:entities:remove',
          input: { entityRef: '${{ parameters.entity }}' },
        },
      ],
    }),
  },
];
