import {
  CloudFormationClient,
  paginateListStackResources,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { accountOfArn } from '@golden-path/plugin-cloudformation-node';
import { describeStack, StackNotFoundError } from '../readStack';
import { throwIfEndpointFailure } from '../endpointErrors';

/** A secret the stack names, and where. */
export interface StackSecretRef {
  arn: string;
  source: { kind: 'resource' | 'output'; name: string };
}

/** What the secrets view needs from the stack itself. */
export interface StackSecretFacts {
  stackId: string;
  accountId?: string;
  secrets: StackSecretRef[];
  /** ECS services of the stack (ARNs), whose tasks receive the secrets. */
  ecsServices: string[];
  /** IAM role names by logical id, the fallback when ECS cannot tell the task definition's roles. */
  roles: Array<{ logicalId: string; roleName: string }>;
}

const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+/;

/**
 * Finds the stack's Secrets Manager secrets: `AWS::SecretsManager::Secret` resources, and outputs
 * holding a secret ARN — which is how the RDS-managed master secret (`MasterUserSecret.SecretArn`)
 * and secrets made outside the stack show up. DescribeStacks and ListStackResources only.
 */
export async function readStackSecretFacts(
  client: CloudFormationClient,
  stackName: string,
): Promise<StackSecretFacts> {
  const stack = await describeStack(client, stackName);
  if (!stack.StackId)
    throw new StackNotFoundError(`Stack ${stackName} does not exist`);

  const resources: StackResourceSummary[] = [];
  try {
    for await (const page of paginateListStackResources(
      { client },
      { StackName: stack.StackId },
    )) {
      resources.push(...(page.StackResourceSummaries ?? []));
    }
  } catch (error) {
    throwIfEndpointFailure('ListStackResources', stackName, error);
    throw error;
  }

  const secrets = new Map<string, StackSecretRef>();
  for (const resource of resources) {
    if (
      resource.ResourceType === 'AWS::SecretsManager::Secret' &&
      resource.PhysicalResourceId?.match(SECRET_ARN)
    ) {
      secrets.set(resource.PhysicalResourceId, {
        arn: resource.PhysicalResourceId,
        source: { kind: 'resource', name: resource.LogicalResourceId! },
      });
    }
  }
  for (const output of stack.Outputs ?? []) {
    const value = output.OutputValue?.trim();
    if (value?.match(SECRET_ARN) && !secrets.has(value)) {
      secrets.set(value, {
        arn: value,
        source: { kind: 'output', name: output.OutputKey! },
      });
    }
  }

  return {
    stackId: stack.StackId,
    accountId: accountOfArn(stack.StackId),
    secrets: [...secrets.values()],
    ecsServices: resources
      .filter(
        resource =>
          resource.ResourceType === 'AWS::ECS::Service' &&
          resource.PhysicalResourceId?.startsWith('arn:'),
      )
      .map(resource => resource.PhysicalResourceId!),
    roles: resources
      .filter(
        resource =>
          resource.ResourceType === 'AWS::IAM::Role' &&
          resource.PhysicalResourceId,
      )
      .map(resource => ({
        logicalId: resource.LogicalResourceId!,
        roleName: resource.PhysicalResourceId!,
      })),
  };
}
