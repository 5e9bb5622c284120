import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publishes the workspace as a local git repository and registers its catalog-info.yaml.',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'local:git:publish',
          name: 'Publish to a local git repository',
          input: {
            repoName: '${{ parameters.name }}',
            description: '${{ parameters.description }}',
          },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publishes a sub-directory of the workspace on a custom branch with a custom first commit.',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'local:git:publish',
          name: 'Publish to a local git repository',
          input: {
            repoName: 'orders-api',
            sourcePath: 'service',
            defaultBranch: 'trunk',
            gitCommitMessage: 'Create orders-api from the golden path',
            gitAuthorName: 'Platform Team',
            gitAuthorEmail: 'platform@example.com',
          },
        },
      ],
    }),
  },
];
