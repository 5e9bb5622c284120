import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  FakeCloudFormation,
  FakeCloudTrail,
} from '@golden-path/plugin-cloudformation-node/testUtils';

/** What the stack the golden path deployed on the fake endpoint is made of, as the card will find it. */
export interface DeployedStack {
  secretArn: string;
  executionRoleName: string;
  clusterName: string;
  serviceName: string;
}

export function deployedStack(
  cloudFormation: FakeCloudFormation,
  stackName: string,
): DeployedStack {
  const stack = cloudFormation.stack(stackName);
  if (!stack) throw new Error(`The fake endpoint has no stack ${stackName}`);
  const physical = (logicalId: string) => {
    const resource = stack.resources.find(
      candidate => candidate.logicalId === logicalId,
    );
    if (!resource)
      throw new Error(`Stack ${stackName} has no resource ${logicalId}`);
    return resource.physicalId;
  };
  // arn:aws:ecs:<region>:<account>:service/<cluster>/<service>
  const [, clusterName, serviceName] = physical('Service')
    .split(':')
    .pop()!
    .split('/');
  // A stack scripted as already existing has no outputs on the fake: its secret resource names the ARN then.
  const secretArn =
    stack.outputs.DatabaseSecretArn ?? physical('DatabaseSecret');
  return {
    secretArn,
    executionRoleName: physical('ExecutionRole'),
    clusterName,
    serviceName,
  };
}

/**
 * Makes moto hold what CloudFormation would have created in Secrets Manager and ECS (moto's own
 * CloudFormation skips secrets, and the stack lives on the fake endpoint): the secret under the
 * name its ARN carries (moto resolves an ARN through its last segment), rotated once, and the ECS
 * service with a task definition naming the stack's execution role. Returns the secret's value,
 * which must never show up anywhere.
 */
export async function createInMoto(
  motoUrl: string,
  stack: DeployedStack,
  accountId: string,
): Promise<string> {
  const options = {
    endpoint: motoUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const secretsManager = new SecretsManagerClient(options);
  const ecs = new ECSClient(options);
  const value = JSON.stringify({
    username: 'app',
    password: 'moto-planted-password-9f3c',
  });
  await secretsManager.send(
    new CreateSecretCommand({
      Name: stack.secretArn.split(':').pop()!,
      SecretString: value,
    }),
  );
  // Without a rotation function moto rotates at once and records LastRotatedDate and NextRotationDate.
  await secretsManager.send(
    new RotateSecretCommand({
      SecretId: stack.secretArn,
      RotationRules: { AutomaticallyAfterDays: 7 },
    }),
  );
  await ecs.send(new CreateClusterCommand({ clusterName: stack.clusterName }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: stack.serviceName,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${accountId}:role/${stack.executionRoleName}`,
      containerDefinitions: [
        {
          name: 'app',
          image: 'public.ecr.aws/docker/library/node:24-alpine',
          essential: true,
        },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: stack.clusterName,
      serviceName: stack.serviceName,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      desiredCount: 1,
      launchType: 'FARGATE',
    }),
  );
  secretsManager.destroy();
  ecs.destroy();
  return value;
}

/** The reads a week of CloudTrail holds: the tasks' execution role, and one reader nobody expects. */
export function plantReads(trail: FakeCloudTrail, stack: DeployedStack) {
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
  for (const hours of [30, 20, 2]) {
    trail.record({
      eventName: 'GetSecretValue',
      at: hoursAgo(hours),
      secretId: stack.secretArn,
      identity: { role: stack.executionRoleName, session: `ecs-task-${hours}` },
    });
  }
  trail.record({
    eventName: 'GetSecretValue',
    at: hoursAgo(5),
    secretId: stack.secretArn,
    identity: { user: 'mallory' },
    sourceIp: '203.0.113.9',
  });
  trail.record({
    eventName: 'RotationSucceeded',
    at: hoursAgo(1),
    secretId: stack.secretArn,
    identity: { service: 'secretsmanager.amazonaws.com' },
  });
}
