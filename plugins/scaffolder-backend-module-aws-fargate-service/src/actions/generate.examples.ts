import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Everything by default: new VPC, internet-facing HTTP load balancer, PostgreSQL with RDS-managed credentials.',
    example: yaml.stringify({
      steps: [
        {
          id: 'blueprint',
          name: 'Generate the CloudFormation',
          action: 'aws:fargateService:generate',
          input: {
            serviceName: '${{ parameters.name }}',
            owner: '${{ parameters.owner }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Production: HTTPS, MySQL with a Secrets Manager secret rotated every 30 days, a new customer-managed key, NAT per AZ, then offline validation.',
    example: yaml.stringify({
      steps: [
        {
          id: 'blueprint',
          name: 'Generate the CloudFormation',
          action: 'aws:fargateService:generate',
          input: {
            serviceName: '${{ parameters.name }}',
            environment: 'prod',
            owner: '${{ parameters.owner }}',
            entityRef: 'component:default/${{ parameters.name }}',
            description: '${{ parameters.description }}',
            region: '${{ parameters.region }}',
            containerPort: 8080,
            healthCheckPath: '/health',
            cpu: 1024,
            memory: 2048,
            minCapacity: 2,
            maxCapacity: 10,
            certificateArn: '${{ parameters.certificateArn }}',
            natGateways: 'per-az',
            databaseEngine: 'mysql',
            databaseMultiAz: true,
            credentialsMode: 'secrets-manager',
            rotationDays: 30,
            kmsKey: 'create',
          },
        },
        {
          id: 'validate',
          name: 'Validate the CloudFormation',
          action: 'aws:cloudformation:validate',
          input: { templatePath: '${{ steps.blueprint.output.templatePath }}' },
        },
        {
          id: 'deploy',
          name: 'Deploy the stack',
          action: 'aws:cloudformation:deploy',
          input: {
            stackName: '${{ steps.blueprint.output.stackName }}',
            templatePath: '${{ steps.blueprint.output.templatePath }}',
            entityRef: '${{ steps.blueprint.output.entityRef }}',
            parameters: '${{ steps.blueprint.output.parameters }}',
            capabilities: '${{ steps.blueprint.output.capabilities }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Internal service in an existing VPC with an existing KMS key.',
    example: yaml.stringify({
      steps: [
        {
          id: 'blueprint',
          name: 'Generate the CloudFormation',
          action: 'aws:fargateService:generate',
          input: {
            serviceName: 'billing',
            loadBalancerScheme: 'internal',
            loadBalancerIngressCidr: '10.0.0.0/8',
            vpcId: 'vpc-0123456789abcdef0',
            privateSubnetIds: [
              'subnet-0123456789abcdef0',
              'subnet-0fedcba9876543210',
            ],
            kmsKey: 'existing',
            kmsKeyArn:
              'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          },
        },
      ],
    }),
  },
];
