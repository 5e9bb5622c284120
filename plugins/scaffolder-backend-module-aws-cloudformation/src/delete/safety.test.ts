import type { Stack } from '@aws-sdk/client-cloudformation';
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { checkDeleteSafety } from './safety';
import type { DeleteRequest } from './types';

const ENTITY = 'component:default/orders';
const STACK_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/orders/1111-2222';

const request = (overrides: Partial<DeleteRequest> = {}): DeleteRequest => ({
  stackName: 'orders',
  entityRef: ENTITY,
  expectedAccountId: '123456789012',
  retainResources: [],
  timeoutMinutes: 60,
  idempotencyKey: 'task-1',
  ...overrides,
});

const stack = (overrides: Partial<Stack> = {}): Stack =>
  ({
    StackId: STACK_ID,
    StackName: 'orders',
    StackStatus: 'CREATE_COMPLETE',
    Tags: [{ Key: TAG_ENTITY_REF, Value: ENTITY }],
    ...overrides,
  }) as Stack;

// The refusal's message and status, or 'allowed'.
function verdict(req: DeleteRequest, described: Stack) {
  try {
    checkDeleteSafety(req, described);
    return 'allowed';
  } catch (error) {
    const { kind, message, details } = error as {
      kind: string;
      message: string;
      details: { stackStatus?: string };
    };
    return { kind, message, stackStatus: details.stackStatus };
  }
}

describe('checkDeleteSafety', () => {
  it.each<[string, DeleteRequest, Stack, ReturnType<typeof verdict>]>([
    ['our settled stack', request(), stack(), 'allowed'],
    [
      'tags compare case-insensitively',
      request(),
      stack({ Tags: [{ Key: TAG_ENTITY_REF, Value: ENTITY.toUpperCase() }] }),
      'allowed',
    ],
    [
      'a delete already running is watched',
      request(),
      stack({ StackStatus: 'DELETE_IN_PROGRESS' }),
      'allowed',
    ],
    [
      'a review stack has nothing running',
      request(),
      stack({ StackStatus: 'REVIEW_IN_PROGRESS' }),
      'allowed',
    ],
    [
      'retainResources for a DELETE_FAILED stack',
      request({ retainResources: ['Database'] }),
      stack({ StackStatus: 'DELETE_FAILED' }),
      'allowed',
    ],
    [
      'another account',
      request({ expectedAccountId: '999999999999' }),
      stack({ Tags: [] }),
      {
        kind: 'refused',
        message: `The credentials for account 999999999999 reach account 123456789012 (stack ${STACK_ID}); check the aws.accounts configuration. Nothing was deleted.`,
        stackStatus: 'CREATE_COMPLETE',
      },
    ],
    [
      'no ownership tag',
      request(),
      stack({ Tags: [] }),
      {
        kind: 'refused',
        message: `Stack orders (CREATE_COMPLETE) was not created by Backstage: it has no ${TAG_ENTITY_REF} tag, so it is not deleted. Delete it in the CloudFormation console if it really belongs to this service.`,
        stackStatus: 'CREATE_COMPLETE',
      },
    ],
    [
      "someone else's stack",
      request(),
      stack({
        Tags: [{ Key: TAG_ENTITY_REF, Value: 'component:default/billing' }],
      }),
      {
        kind: 'refused',
        message: `Stack orders (CREATE_COMPLETE) belongs to component:default/billing (tag ${TAG_ENTITY_REF}), not to ${ENTITY}, so it is not deleted. Nothing was changed.`,
        stackStatus: 'CREATE_COMPLETE',
      },
    ],
    [
      'termination protection',
      request(),
      stack({ EnableTerminationProtection: true }),
      {
        kind: 'refused',
        message:
          'Stack orders has termination protection on, so it is not deleted. If it really should go, turn protection off ' +
          '(aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name orders, ' +
          'or in the CloudFormation console: Stack actions → Edit termination protection), then run the task again.',
        stackStatus: 'CREATE_COMPLETE',
      },
    ],
    [
      'a busy stack',
      request(),
      stack({ StackStatus: 'UPDATE_IN_PROGRESS' }),
      {
        kind: 'refused',
        message:
          'Stack orders is busy: UPDATE_IN_PROGRESS. Wait for it to finish, then run the task again.',
        stackStatus: 'UPDATE_IN_PROGRESS',
      },
    ],
    [
      'retainResources for a stack not in DELETE_FAILED',
      request({ retainResources: ['Database'] }),
      stack(),
      {
        kind: 'refused',
        message:
          "retainResources is only accepted for a stack in DELETE_FAILED (CloudFormation's rule); stack orders is CREATE_COMPLETE. " +
          "Delete it without retainResources; resources that must stay need DeletionPolicy: Retain in the stack's template.",
        stackStatus: 'CREATE_COMPLETE',
      },
    ],
  ])('%s', (_name, req, described, expected) => {
    expect(verdict(req, described)).toEqual(expected);
  });
});
