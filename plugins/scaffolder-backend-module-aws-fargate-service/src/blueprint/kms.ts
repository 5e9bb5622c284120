import type { FargateServiceSpec } from './input';
import { ref, sub } from './intrinsics';
import type { ResourceNames } from './naming';
import type { Add } from './stack';

/** Actions that administer a key without using it; no `kms:Create*`/`kms:Put*` wildcards, which would include `kms:CreateGrant`. */
const ADMINISTRATION_ACTIONS = [
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:PutKeyPolicy',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:RevokeGrant',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * Policy of the stack's customer key: the account administers it; it is used only through Secrets
 * Manager and RDS (by principals IAM allows) and by CloudWatch Logs for this account's log groups;
 * grants go only to AWS resources (CT.KMS.PR.3), so nobody can hand out Decrypt with a grant.
 */
export function customerKeyPolicy(): Record<string, unknown> {
  const account = sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root');
  const viaServices = [
    sub('secretsmanager.${AWS::Region}.amazonaws.com'),
    sub('rds.${AWS::Region}.amazonaws.com'),
  ];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        // Administration only: nobody in the account uses the key directly.
        Sid: 'AccountAdministersTheKey',
        Effect: 'Allow',
        Principal: { AWS: account },
        Action: ADMINISTRATION_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'UseThroughSecretsManagerAndRds',
        Effect: 'Allow',
        Principal: { AWS: account },
        Action: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:DescribeKey',
        ],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': ref('AWS::AccountId'),
            'kms:ViaService': viaServices,
          },
        },
      },
      {
        // RDS keeps encrypted storage readable through grants on the key; only for AWS resources.
        Sid: 'GrantsOnlyForRdsAndSecretsManagerResources',
        Effect: 'Allow',
        Principal: { AWS: account },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': ref('AWS::AccountId'),
            'kms:ViaService': viaServices,
          },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      },
      {
        Sid: 'NoGrantsExceptForAwsResources',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          BoolIfExists: {
            'kms:GrantIsForAWSResource': 'false',
            'aws:PrincipalIsAWSService': 'false',
          },
        },
      },
      {
        // AWS's documented statement for encrypting log groups; only this account's, in this region.
        Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        Effect: 'Allow',
        Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') },
        Action: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        Resource: '*',
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': sub(
              'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*',
            ),
          },
        },
      },
    ],
  };
}

/** Adds the customer-managed key when asked for one; returns the ARN of the customer key in use, if any. */
export function addKey(
  spec: FargateServiceSpec,
  names: ResourceNames,
  add: Add,
): unknown | undefined {
  if (spec.kms.mode === 'existing') return spec.kms.keyArn;
  if (spec.kms.mode === 'aws-managed') return undefined;
  const key = add(
    'EncryptionKey',
    'AWS::KMS::Key',
    'Customer-managed key for the database, its credentials and the logs',
    {
      Description: `Encrypts the database, database credentials and logs of ${names.stackName}`,
      EnableKeyRotation: true,
      KeyPolicy: customerKeyPolicy(),
    },
    { group: 'secrets', retain: 'Retain' },
  );
  add(
    'EncryptionKeyAlias',
    'AWS::KMS::Alias',
    'Friendly name of the customer-managed key',
    {
      AliasName: names.kmsAliasName,
      TargetKeyId: key.ref(),
    },
  );
  return key.getAtt('Arn');
}
