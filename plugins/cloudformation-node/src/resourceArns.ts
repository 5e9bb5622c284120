import { randomUUID } from 'node:crypto';

/** Where an ARN points: the partition (`aws`, `aws-cn`, …), the region and the account. */
export type ArnScope = { partition: string; region: string; accountId: string };

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>`. IAM is global, so its ARNs name no
 * region; S3 bucket ARNs name neither region nor account.
 */
export function arnOf(
  scope: ArnScope,
  service: string,
  resource: string,
): string {
  const { partition, region, accountId } = scope;
  if (service === 's3') {
    return `arn:${partition}:s3:::${resource}`;
  }
  if (service === 'iam') {
    return `arn:${partition}:iam::${accountId}:${resource}`;
  }
  return `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
}

/**
 * The ARN a resource's `Arn` attribute has, derived from its type and physical name the way most
 * services form it (`AWS::DynamoDB::Table` → `…:dynamodb:…:table/<name>`; a bucket → `…:s3:::<name>`).
 */
export function typeArnOf(
  scope: ArnScope,
  resourceType: string,
  physicalName: string,
): string {
  const [, service = 'unknown', kind = 'resource'] = resourceType
    .toLowerCase()
    .split('::');
  return service === 's3'
    ? arnOf(scope, 's3', physicalName)
    : arnOf(scope, service, `${kind}/${physicalName}`);
}

/** A secret's ARN: Secrets Manager appends six random characters to the secret's name. */
export function secretArnOf(
  scope: ArnScope,
  secretName: string,
  sixRandomCharacters: string,
): string {
  return arnOf(
    scope,
    'secretsmanager',
    `secret:${secretName}-${sixRandomCharacters}`,
  );
}

/** The domain suffix of a partition's endpoints (`AWS::URLSuffix`). */
export function urlSuffixOf(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** Twelve random uppercase hex digits, like the suffix CloudFormation gives the names it makes up. */
export function randomNameSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
}

/** The name CloudFormation makes up for a resource whose template gives it none. */
export function generatedResourceName(
  stackName: string,
  logicalId: string,
  suffix: string,
): string {
  return `${stackName}-${logicalId}-${suffix}`;
}
