import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { explainStackFailure } from './rootCause';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/1';
let clock = 0;

// Events are written oldest first here and handed over newest first, as DescribeStackEvents does.
function history(
  ...events: Array<[string, string, string, string?, Partial<StackEvent>?]>
): StackEvent[] {
  return events
    .map(([logicalId, type, status, reason, extra]) => ({
      StackId: STACK_ID,
      StackName: 'shop',
      EventId: `e${++clock}`,
      LogicalResourceId: logicalId,
      PhysicalResourceId:
        type === 'AWS::CloudFormation::Stack' && logicalId === 'shop'
          ? STACK_ID
          : `shop-${logicalId}`,
      ResourceType: type,
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      Timestamp: new Date(clock * 1000),
      ...extra,
    }))
    .reverse();
}
const STACK = 'AWS::CloudFormation::Stack';

describe('explainStackFailure', () => {
  it('names the first failed resource, ignoring the cancellations it caused', () => {
    const events = history(
      ['shop', STACK, 'CREATE_IN_PROGRESS', 'User Initiated'],
      ['Db', 'AWS::RDS::DBInstance', 'CREATE_IN_PROGRESS'],
      ['Service', 'AWS::ECS::Service', 'CREATE_IN_PROGRESS'],
      [
        'Secret',
        'AWS::SecretsManager::Secret',
        'CREATE_FAILED',
        'Resource handler returned message: "KMS key is disabled"',
      ],
      [
        'Db',
        'AWS::RDS::DBInstance',
        'CREATE_FAILED',
        'Resource creation cancelled',
      ],
      [
        'Service',
        'AWS::ECS::Service',
        'CREATE_FAILED',
        'Resource creation cancelled',
      ],
      [
        'shop',
        STACK,
        'ROLLBACK_IN_PROGRESS',
        'The following resource(s) failed to create: [Db, Secret, Service]. Rollback requested by user.',
      ],
      ['Db', 'AWS::RDS::DBInstance', 'DELETE_FAILED', 'Could not delete'],
      ['shop', STACK, 'ROLLBACK_FAILED'],
    );

    expect(explainStackFailure(events)).toEqual({
      logicalResourceId: 'Secret',
      resourceType: 'AWS::SecretsManager::Secret',
      status: 'CREATE_FAILED',
      reason: 'Resource handler returned message: "KMS key is disabled"',
      summary:
        'Secret (AWS::SecretsManager::Secret) failed to create: Resource handler returned message: "KMS key is disabled".',
    });
  });

  it('picks the root cause even when cancellations share its timestamp and come first in the list', () => {
    const [start] = history([
      'shop',
      STACK,
      'UPDATE_IN_PROGRESS',
      'User Initiated',
    ]);
    const at = new Date(start.Timestamp!.getTime() + 1000);
    const events: StackEvent[] = [
      {
        ...start,
        EventId: 'x1',
        LogicalResourceId: 'Queue',
        PhysicalResourceId: 'q',
        ResourceType: 'AWS::SQS::Queue',
        ResourceStatus: 'UPDATE_FAILED',
        ResourceStatusReason: 'Resource update cancelled',
        Timestamp: at,
      },
      {
        ...start,
        EventId: 'x2',
        LogicalResourceId: 'Role',
        PhysicalResourceId: 'r',
        ResourceType: 'AWS::IAM::Role',
        ResourceStatus: 'UPDATE_FAILED',
        ResourceStatusReason: 'AccessDenied',
        Timestamp: at,
      },
      start,
    ];

    expect(explainStackFailure(events)?.summary).toBe(
      'Role (AWS::IAM::Role) failed to update: AccessDenied.',
    );
  });

  it('looks only at the latest operation', () => {
    const events = history(
      ['shop', STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'],
      ['Queue', 'AWS::SQS::Queue', 'UPDATE_FAILED', 'Old failure'],
      ['shop', STACK, 'UPDATE_ROLLBACK_COMPLETE'],
      ['shop', STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'],
      ['Queue', 'AWS::SQS::Queue', 'UPDATE_COMPLETE'],
      ['shop', STACK, 'UPDATE_COMPLETE'],
    );

    expect(explainStackFailure(events)).toBeUndefined();
  });

  it('keeps a delete-on-failure in the failed operation', () => {
    const events = history(
      ['shop', STACK, 'CREATE_IN_PROGRESS', 'User Initiated'],
      [
        'Bucket',
        'AWS::S3::Bucket',
        'CREATE_FAILED',
        'Bucket name already exists',
      ],
      [
        'shop',
        STACK,
        'DELETE_IN_PROGRESS',
        'The following resource(s) failed to create: [Bucket]. Delete requested by user.',
      ],
      ['shop', STACK, 'DELETE_COMPLETE'],
    );

    expect(explainStackFailure(events)?.logicalResourceId).toBe('Bucket');
  });

  it("falls back to the stack's own reason when no resource failed", () => {
    const events = history(
      ['shop', STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'],
      [
        'shop',
        STACK,
        'UPDATE_ROLLBACK_IN_PROGRESS',
        'Parameter validation failed: parameter value sg-1 does not exist',
      ],
      ['shop', STACK, 'UPDATE_ROLLBACK_COMPLETE'],
    );

    expect(explainStackFailure(events)).toMatchObject({
      logicalResourceId: 'shop',
      resourceType: STACK,
      summary:
        'Stack shop failed (UPDATE_ROLLBACK_IN_PROGRESS): Parameter validation failed: parameter value sg-1 does not exist.',
    });
  });

  it('names a hook that stopped a resource', () => {
    const events = history(
      ['shop', STACK, 'CREATE_IN_PROGRESS', 'User Initiated'],
      [
        'Bucket',
        'AWS::S3::Bucket',
        'CREATE_IN_PROGRESS',
        undefined,
        {
          HookType: 'Private::Guard::S3',
          HookStatus: 'HOOK_COMPLETE_FAILED',
          HookFailureMode: 'FAIL',
          HookStatusReason: 'Bucket must be encrypted',
        },
      ],
      [
        'Bucket',
        'AWS::S3::Bucket',
        'CREATE_FAILED',
        'The following hook(s) failed: [Private::Guard::S3]',
      ],
    );

    expect(explainStackFailure(events)?.summary).toBe(
      'Bucket (AWS::S3::Bucket) was stopped by hook Private::Guard::S3: Bucket must be encrypted.',
    );
  });

  it('reads DescribeEvents results, which hold failures only', () => {
    const events = history([
      'Topic',
      'AWS::SNS::Topic',
      'CREATE_FAILED',
      'Resource creation cancelled',
    ]).concat(
      history(['Key', 'AWS::KMS::Key', 'CREATE_FAILED', 'Access denied']),
    );

    expect(explainStackFailure(events)?.logicalResourceId).toBe('Key');
  });

  it('returns undefined while nothing failed', () => {
    expect(
      explainStackFailure(
        history(['shop', STACK, 'CREATE_IN_PROGRESS', 'User Initiated']),
      ),
    ).toBeUndefined();
    expect(explainStackFailure([])).toBeUndefined();
  });
});
