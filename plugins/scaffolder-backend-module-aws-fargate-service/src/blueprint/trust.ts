import { ref, sub } from './intrinsics';

/**
 * Trust policy for an AWS service, with the confused-deputy conditions AWS documents: only calls on
 * behalf of this account (`aws:SourceAccount`), and where the service sets it, from this account's
 * resources of that service (`aws:SourceArn`).
 */
export function serviceTrustPolicy(
  service: string,
  sourceArnPattern?: string,
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
          ...(sourceArnPattern
            ? { ArnLike: { 'aws:SourceArn': sub(sourceArnPattern) } }
            : {}),
        },
      },
    ],
  };
}

/** `aws:SourceArn` patterns per service, for {@link serviceTrustPolicy}. */
export const SOURCE_ARNS = {
  ecsTasks: 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*',
  flowLogs:
    'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*',
  stepFunctions:
    'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:*',
  events:
    'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*',
} as const;

const TRUST_SOURCE_ARNS: Record<string, string> = {
  'ecs-tasks.amazonaws.com': SOURCE_ARNS.ecsTasks,
  'states.amazonaws.com': SOURCE_ARNS.stepFunctions,
  'events.amazonaws.com': SOURCE_ARNS.events,
};

/** The trust policy of a role for one of the stack's services, with its `aws:SourceArn` pattern. */
export function assumeRolePolicy(service: string) {
  return serviceTrustPolicy(service, TRUST_SOURCE_ARNS[service]);
}
