import { ref, sub } from './intrinsics';

/**
 * The hosted rotation functions' roles live in the transform's nested stacks, named after this stack:
 * the pattern every secret policy of secrets-manager mode names as a reader.
 */
export const rotationFunctionRoles = () =>
  sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}-*');

/**
 * Properties of an `AWS::SecretsManager::ResourcePolicy` that lets only `readers` (IAM role ARNs or
 * ARN patterns) read a secret of this stack, whatever IAM allows elsewhere in the account: it denies
 * `GetSecretValue` to every other IAM principal. AWS services acting as themselves (RDS rotating its
 * managed secret) and CloudFormation resolving the stack's `{{resolve:secretsmanager:...}}`
 * references are not IAM principals of the account and stay unaffected. Any secret of the stack
 * takes it: pass the secret and the roles that read it.
 */
export function secretReadersOnlyPolicy(
  secret: unknown,
  readers: unknown[],
): Record<string, unknown> {
  return {
    SecretId: secret,
    BlockPublicPolicy: true,
    ResourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyNamedReadersGetTheValue',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
          Condition: {
            ArnNotLike: { 'aws:PrincipalArn': readers },
            'ForAllValues:StringNotEquals': {
              'aws:CalledVia': ['cloudformation.amazonaws.com'],
            },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        },
        {
          Sid: 'NoReadersOutsideTheAccount',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'secretsmanager:*',
          Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:PrincipalAccount': ref('AWS::AccountId') },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        },
      ],
    },
  };
}
