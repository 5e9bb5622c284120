import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Archive the repository a retired service came from, local or on GitHub, read from the entity's annotations.",
    example: yaml.stringify({
      steps: [
        {
          id: 'archive',
          name: 'Archive the repository',
          action: 'local:git:archive',
          input: {
            repositoryUrl:
              "${{ steps.entity.output.entity.metadata.annotations['backstage.io/source-location'] or steps.entity.output.entity.metadata.annotations['backstage.io/managed-by-location'] }}",
            entityRef: '${{ parameters.entity }}',
          },
        },
      ],
    }),
  },
];
