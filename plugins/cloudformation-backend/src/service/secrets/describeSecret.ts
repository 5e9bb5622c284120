import {
  DescribeSecretCommand,
  DescribeSecretResponse,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  CloudFormationSecret,
  CloudFormationSecretKey,
  consoleUrl,
} from '@golden-path/plugin-cloudformation-common';
import {
  isThrottlingError,
  parseArn,
} from '@golden-path/plugin-cloudformation-node';
import { isAccessDenied } from '../awsErrors';

export type SecretDetails = CloudFormationSecret['details'];

/**
 * Name, KMS key and rotation of one secret from `DescribeSecret` — metadata only: the backend
 * never calls GetSecretValue, and DescribeSecret answers no value.
 */
export async function describeSecret(
  client: SecretsManagerClient,
  arn: string,
): Promise<SecretDetails> {
  let secret: DescribeSecretResponse;
  try {
    secret = await client.send(new DescribeSecretCommand({ SecretId: arn }));
  } catch (error) {
    if (isAccessDenied(error)) {
      return {
        status: 'unavailable',
        reason: 'access-denied',
        message: `Secrets Manager DescribeSecret not allowed for the portal's role: add secretsmanager:DescribeSecret on ${arn}.`,
      };
    }
    if ((error as Error).name === 'ResourceNotFoundException') {
      return {
        status: 'unavailable',
        reason: 'not-found',
        message: `Secret ${arn} does not exist (any more).`,
      };
    }
    if (isThrottlingError(error)) {
      return {
        status: 'unavailable',
        reason: 'throttled',
        message:
          'Secrets Manager is throttling; the secret shows again shortly.',
      };
    }
    throw error;
  }
  const { region = '', partition = '' } = parseArn(arn) ?? {};
  return {
    status: 'available',
    name: secret.Name ?? arn,
    description: secret.Description,
    key: keyOf(secret.KmsKeyId, region, partition),
    rotation: {
      enabled: secret.RotationEnabled === true,
      intervalDays: secret.RotationRules?.AutomaticallyAfterDays,
      scheduleExpression: secret.RotationRules?.ScheduleExpression,
      lastRotatedAt: secret.LastRotatedDate?.toISOString(),
      nextRotationAt: secret.NextRotationDate?.toISOString(),
      functionArn: secret.RotationLambdaARN || undefined,
      managedBy: secret.OwningService || undefined,
      pendingVersion: Object.values(secret.VersionIdsToStages ?? {}).some(
        stages =>
          stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
      ),
    },
  };
}

function keyOf(
  kmsKeyId: string | undefined,
  region: string,
  partition: string,
): CloudFormationSecretKey {
  // No key, or the alias of the AWS-managed one, means Secrets Manager's own aws/secretsmanager key.
  if (!kmsKeyId || /(^|:)alias\/aws\/secretsmanager$/.test(kmsKeyId))
    return { kind: 'aws-managed' };
  const keyId = kmsKeyId.split(':key/').pop()!;
  return {
    kind: 'customer',
    keyId: kmsKeyId,
    consoleUrl:
      partition === 'aws' && !keyId.includes('alias/')
        ? consoleUrl(
            region,
            'kms/home',
            `/kms/keys/${encodeURIComponent(keyId)}`,
          )
        : undefined,
  };
}
