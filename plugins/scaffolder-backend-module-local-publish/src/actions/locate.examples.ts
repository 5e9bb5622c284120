import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Names the repository's page in catalog-info.yaml before publishing, so the entity's View source and edit links work.",
    example: yaml.stringify({
      steps: [
        {
          id: 'locate',
          action: 'local:git:locate',
          name: 'Locate the local repository',
          input: { repoName: '${{ parameters.name }}' },
        },
        {
          id: 'fetch',
          action: 'fetch:template',
          name: 'Render the repository',
          input: {
            url: './skeleton',
            values: {
              sourceLocation: "${{ 'url:' + steps.locate.output.browseUrl }}",
              editUrl: '${{ steps.locate.output.editUrl }}',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Locates a repository published on another branch.',
    example: yaml.stringify({
      steps: [
        {
          id: 'locate',
          action: 'local:git:locate',
          name: 'Locate the local repository',
          input: { repoName: 'orders-api', defaultBranch: 'trunk' },
        },
      ],
    }),
  },
];
