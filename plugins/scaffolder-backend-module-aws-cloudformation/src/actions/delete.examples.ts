import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Retire a service: delete the stack named in the entity's annotations, after the owner typed its name.",
    example: yaml.stringify({
      steps: [
        {
          id: 'delete',
          name: 'Delete the stack',
          action: 'aws:cloudformation:delete',
          input: {
            stackName:
              "${{ steps.entity.output.entity.metadata.annotations['aws.amazon.com/cloudformation-stack-name'] }}",
            region:
              "${{ steps.entity.output.entity.metadata.annotations['aws.amazon.com/cloudformation-region'] }}",
            entityRef: '${{ parameters.entity }}',
            confirmation: '${{ parameters.confirmName }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Finish a delete that failed on a bucket whose objects must stay: the stack goes, the bucket is kept.',
    example: yaml.stringify({
      steps: [
        {
          id: 'delete',
          name: 'Delete the stack, keeping the bucket',
          action: 'aws:cloudformation:delete',
          input: {
            stackName: 'payments-prod',
            entityRef: 'component:default/payments',
            region: 'eu-west-1',
            accountId: '123456789012',
            retainResources: ['AssetsBucket'],
            timeoutMinutes: 90,
          },
        },
      ],
    }),
  },
];
