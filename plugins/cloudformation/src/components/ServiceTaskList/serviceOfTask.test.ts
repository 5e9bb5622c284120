import type { ScaffolderTask } from '@backstage/plugin-scaffolder-react';
import { subjectOfTask } from './serviceOfTask';

function task(
  parameters: Record<string, unknown>,
  templateInfo?: ScaffolderTask['spec']['templateInfo'],
): ScaffolderTask {
  return {
    id: 'a1b2',
    status: 'failed',
    createdAt: '2026-12-01T10:00:00Z',
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      parameters: parameters as never,
      steps: [],
      output: {},
      templateInfo,
    },
  } as ScaffolderTask;
}

describe('subjectOfTask', () => {
  it.each([
    [
      'the golden path: name and environment, the template by title',
      task(
        { name: 'orders-api', environment: 'dev' },
        {
          entityRef: 'template:default/aws-fargate-rds-service',
          entity: {
            metadata: { name: 'x', title: 'AWS Fargate service with RDS' },
          },
        },
      ),
      {
        service: 'orders-api',
        environment: 'dev',
        template: 'AWS Fargate service with RDS',
      },
    ],
    [
      'the retire template: the entity it was started for',
      task(
        { entity: 'component:default/orders-api', confirmName: 'orders-api' },
        { entityRef: 'template:default/retire-aws-fargate-service' },
      ),
      {
        service: 'orders-api',
        template: 'template:default/retire-aws-fargate-service',
      },
    ],
    [
      'a task naming no service',
      task({ repoUrl: 'github.com?owner=a&repo=b' }),
      { template: 'unknown template' },
    ],
  ])('reads %s', (_case, given, subject) => {
    expect(subjectOfTask(given)).toEqual(subject);
  });
});
