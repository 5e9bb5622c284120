import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  accountMismatch,
  decidePlan,
  failedStackRefusal,
  type PlanDecision,
} from './plan';

const ENTITY = 'component:default/payments';
const OTHER = 'component:default/billing';
const STACK_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/payments/1111-2222';
const owner = { entityRef: ENTITY, templateRef: 'template:default/fargate' };
const target = { stackName: 'payments', expectedAccountId: '123456789012' };

function stack(
  status: string,
  tags: Record<string, string> = { [TAG_ENTITY_REF]: ENTITY },
  extra: Partial<Stack> = {},
): Stack {
  return {
    StackId: STACK_ID,
    StackName: 'payments',
    StackStatus: status as Stack['StackStatus'],
    CreationTime: new Date('2026-01-02T03:04:05Z'),
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    ...extra,
  };
}

// A refusal as a plain row: kind, message and the stack status it reports.
function summary(decision: PlanDecision) {
  if ('refusal' in decision) {
    const { kind, message, details } = decision.refusal;
    return { refused: { kind, message, stackStatus: details.stackStatus } };
  }
  return decision;
}

const NOT_TAGGED = (status: string) =>
  `Stack payments (${status}) exists but was not created by Backstage: it has no ${TAG_ENTITY_REF} tag, so it is not modified. ` +
  `Choose another stack name, or tag the stack ${TAG_ENTITY_REF}=${ENTITY} to hand it to ${ENTITY}.`;
const SOMEONE_ELSES = (status: string) =>
  `Stack payments (${status}) belongs to ${OTHER} (tag ${TAG_ENTITY_REF}), not to ${ENTITY}, so it is not modified. Choose another stack name.`;

describe('decidePlan', () => {
  it.each<[string, Stack | undefined, ReturnType<typeof summary>]>([
    [
      'no stack: create',
      undefined,
      {
        plan: { action: 'create' },
        note: 'Stack payments does not exist yet: creating it.',
      },
    ],
    [
      'a stack without id counts as none',
      { StackName: 'payments' } as Stack,
      {
        plan: { action: 'create' },
        note: 'Stack payments does not exist yet: creating it.',
      },
    ],
    [
      'our stack, settled: update, keeping its parameters and template of record',
      stack(
        'UPDATE_COMPLETE',
        { [TAG_ENTITY_REF]: ENTITY, [TAG_TEMPLATE_REF]: 'template:default/v1' },
        {
          Parameters: [
            { ParameterKey: 'Env', ParameterValue: 'prod' },
            { ParameterValue: 'keyless' },
            { ParameterKey: 'DbPassword', ParameterValue: '****' },
          ],
        },
      ),
      {
        plan: {
          action: 'update',
          stackId: STACK_ID,
          previousParameterKeys: ['Env', 'DbPassword'],
          templateRef: 'template:default/v1',
        },
        note: 'Stack payments is UPDATE_COMPLETE: updating it.',
      },
    ],
    [
      'ownership tags compare case-insensitively',
      stack('CREATE_COMPLETE', { [TAG_ENTITY_REF]: ENTITY.toUpperCase() }),
      {
        plan: {
          action: 'update',
          stackId: STACK_ID,
          previousParameterKeys: [],
        },
        note: 'Stack payments is CREATE_COMPLETE: updating it.',
      },
    ],
    [
      'an update rolled back is updated again',
      stack('UPDATE_ROLLBACK_COMPLETE'),
      {
        plan: {
          action: 'update',
          stackId: STACK_ID,
          previousParameterKeys: [],
        },
        note: 'Stack payments is UPDATE_ROLLBACK_COMPLETE: updating it.',
      },
    ],
    [
      'a review stack of ours is reused, silently',
      stack('REVIEW_IN_PROGRESS'),
      { plan: { action: 'create', reviewStackId: STACK_ID } },
    ],
    [
      'an untagged review stack is reused too (it has no resources)',
      stack('REVIEW_IN_PROGRESS', {}),
      { plan: { action: 'create', reviewStackId: STACK_ID } },
    ],
    [
      "someone else's review stack is refused",
      stack('REVIEW_IN_PROGRESS', { [TAG_ENTITY_REF]: OTHER }),
      {
        refused: {
          kind: 'refused',
          message: SOMEONE_ELSES('REVIEW_IN_PROGRESS'),
          stackStatus: 'REVIEW_IN_PROGRESS',
        },
      },
    ],
    [
      'our failed first create is recreated',
      stack('ROLLBACK_COMPLETE'),
      {
        plan: { action: 'recreate', stackId: STACK_ID },
        note: 'Stack payments is ROLLBACK_COMPLETE from a failed first create: deleting it, then creating it again.',
      },
    ],
    [
      'an untagged ROLLBACK_COMPLETE stack is not deleted',
      stack('ROLLBACK_COMPLETE', {}),
      {
        refused: {
          kind: 'refused',
          message: NOT_TAGGED('ROLLBACK_COMPLETE'),
          stackStatus: 'ROLLBACK_COMPLETE',
        },
      },
    ],
    [
      'a busy stack is refused with since when',
      stack('UPDATE_IN_PROGRESS', undefined, {
        LastUpdatedTime: new Date('2026-01-03T00:00:00Z'),
      }),
      {
        refused: {
          kind: 'refused',
          message:
            'Stack payments is busy: UPDATE_IN_PROGRESS since 2026-01-03T00:00:00.000Z. Wait for it to finish, then run the task again.',
          stackStatus: 'UPDATE_IN_PROGRESS',
        },
      },
    ],
    [
      'a busy stack names the running operation',
      stack('CREATE_IN_PROGRESS', undefined, {
        LastOperations: [
          { OperationType: 'CREATE_STACK', OperationId: 'op-1' },
        ],
      }),
      {
        refused: {
          kind: 'refused',
          message:
            'Stack payments is busy: CREATE_IN_PROGRESS since 2026-01-02T03:04:05.000Z (operation CREATE_STACK op-1). Wait for it to finish, then run the task again.',
          stackStatus: 'CREATE_IN_PROGRESS',
        },
      },
    ],
    [
      "someone else's busy stack is refused as busy, before ownership",
      stack(
        'DELETE_IN_PROGRESS',
        { [TAG_ENTITY_REF]: OTHER },
        {
          CreationTime: undefined,
        },
      ),
      {
        refused: {
          kind: 'refused',
          message:
            'Stack payments is busy: DELETE_IN_PROGRESS. Wait for it to finish, then run the task again.',
          stackStatus: 'DELETE_IN_PROGRESS',
        },
      },
    ],
    [
      'a failed stack waits for its last failure, whoever owns it',
      stack('UPDATE_ROLLBACK_FAILED', { [TAG_ENTITY_REF]: OTHER }),
      {
        failedStack: { stackId: STACK_ID, status: 'UPDATE_ROLLBACK_FAILED' },
      },
    ],
    [
      'an untagged stack is not modified',
      stack('CREATE_COMPLETE', {}),
      {
        refused: {
          kind: 'refused',
          message: NOT_TAGGED('CREATE_COMPLETE'),
          stackStatus: 'CREATE_COMPLETE',
        },
      },
    ],
    [
      "someone else's stack is not modified",
      stack('UPDATE_COMPLETE', { [TAG_ENTITY_REF]: OTHER }),
      {
        refused: {
          kind: 'refused',
          message: SOMEONE_ELSES('UPDATE_COMPLETE'),
          stackStatus: 'UPDATE_COMPLETE',
        },
      },
    ],
    [
      'a stack in another account is refused before anything else',
      stack('UPDATE_IN_PROGRESS', undefined, {
        StackId: STACK_ID.replace('123456789012', '999999999999'),
      }),
      {
        refused: {
          kind: 'refused',
          message: `The credentials for account 123456789012 reach account 999999999999 (stack ${STACK_ID.replace('123456789012', '999999999999')}); check the aws.accounts configuration. Nothing was deployed.`,
          stackStatus: undefined,
        },
      },
    ],
    [
      'a stack without status is UNKNOWN',
      stack('', { [TAG_ENTITY_REF]: OTHER }, { StackStatus: undefined }),
      {
        refused: {
          kind: 'refused',
          message: SOMEONE_ELSES('UNKNOWN'),
          stackStatus: 'UNKNOWN',
        },
      },
    ],
  ])('%s', (_name, described, expected) => {
    expect(summary(decidePlan(described, owner, target))).toEqual(expected);
  });

  it('checks no account when none is expected', () => {
    const elsewhere = stack('CREATE_COMPLETE', undefined, {
      StackId: STACK_ID.replace('123456789012', '999999999999'),
    });
    expect(decidePlan(elsewhere, owner, { stackName: 'payments' })).toEqual({
      plan: {
        action: 'update',
        stackId: elsewhere.StackId,
        previousParameterKeys: [],
      },
      note: 'Stack payments is CREATE_COMPLETE: updating it.',
    });
  });
});

describe('failedStackRefusal', () => {
  const cause = {
    logicalResourceId: 'Database',
    resourceType: 'AWS::RDS::DBInstance',
    status: 'UPDATE_FAILED',
    reason: 'Storage cannot shrink',
    summary:
      'Database (AWS::RDS::DBInstance) failed to update: Storage cannot shrink',
  };

  it.each([
    [
      'UPDATE_ROLLBACK_FAILED',
      undefined,
      'Stack payments is UPDATE_ROLLBACK_FAILED: an update failed and could not roll back; run `aws cloudformation continue-update-rollback` (skipping resources that cannot roll back), then deploy again.',
    ],
    [
      'DELETE_FAILED',
      cause,
      'Stack payments is DELETE_FAILED: a delete could not remove every resource; delete the stack again (retaining the resources that block it), then deploy again.' +
        ' The last operation failed because: Database (AWS::RDS::DBInstance) failed to update: Storage cannot shrink',
    ],
    [
      'SOMETHING_NEW_FAILED',
      undefined,
      'Stack payments is SOMETHING_NEW_FAILED: repair it in the CloudFormation console, then deploy again.',
    ],
  ])('%s', (status, failure, message) => {
    const refusal = failedStackRefusal('payments', status, failure);
    expect(refusal.kind).toBe('refused');
    expect(refusal.message).toBe(message);
    expect(refusal.details).toEqual({
      stackStatus: status,
      ...(failure ? { failure } : {}),
    });
  });
});

describe('accountMismatch', () => {
  it.each([
    ['123456789012', STACK_ID, false],
    ['999999999999', STACK_ID, true],
    [undefined, STACK_ID, false],
    // A stack name rather than an ARN (no account to compare).
    ['999999999999', 'payments', false],
  ])('expected %p, stack %p: refused %p', (expected, stackId, refused) => {
    expect(accountMismatch(expected, stackId) !== undefined).toBe(refused);
  });
});
