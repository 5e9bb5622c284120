import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { isOperationStart, isStackEvent } from './stackEvents';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/1';
const NESTED_ID =
  'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-Db-X/2';

const event = (extra: Partial<StackEvent>): StackEvent => ({
  StackId: STACK_ID,
  StackName: 'shop',
  EventId: 'e1',
  Timestamp: new Date(0),
  ResourceType: 'AWS::CloudFormation::Stack',
  LogicalResourceId: 'shop',
  PhysicalResourceId: STACK_ID,
  ResourceStatus: 'CREATE_IN_PROGRESS',
  ...extra,
});

describe('isStackEvent', () => {
  it.each([
    ['the stack itself', event({}), true],
    [
      'the stack before it has a physical id',
      event({ PhysicalResourceId: undefined }),
      true,
    ],
    [
      'a nested stack (same type, other stack id)',
      event({ LogicalResourceId: 'Db', PhysicalResourceId: NESTED_ID }),
      false,
    ],
    [
      'a nested stack before it has a physical id',
      event({ LogicalResourceId: 'Db', PhysicalResourceId: undefined }),
      false,
    ],
    [
      'a resource',
      event({
        ResourceType: 'AWS::RDS::DBInstance',
        LogicalResourceId: 'Database',
        PhysicalResourceId: 'shop-db',
      }),
      false,
    ],
  ])('%s → %s', (_case, stackEvent, expected) => {
    expect(isStackEvent(stackEvent)).toBe(expected);
  });
});

describe('isOperationStart', () => {
  it.each([
    ['a create', event({ ResourceStatus: 'CREATE_IN_PROGRESS' }), true],
    ['an update', event({ ResourceStatus: 'UPDATE_IN_PROGRESS' }), true],
    ['an import', event({ ResourceStatus: 'IMPORT_IN_PROGRESS' }), true],
    [
      'a change set on a new stack',
      // A stack status the SDK's ResourceStatus type leaves out, though its events carry it.
      event({
        ResourceStatus: 'REVIEW_IN_PROGRESS' as StackEvent['ResourceStatus'],
      }),
      true,
    ],
    [
      'a delete someone asked for',
      event({
        ResourceStatus: 'DELETE_IN_PROGRESS',
        ResourceStatusReason: 'User Initiated',
      }),
      true,
    ],
    [
      'the clean-up delete after a failed create',
      event({
        ResourceStatus: 'DELETE_IN_PROGRESS',
        ResourceStatusReason: 'The following resource(s) failed to create',
      }),
      false,
    ],
    [
      'a rollback, which belongs to the operation that failed',
      event({ ResourceStatus: 'ROLLBACK_IN_PROGRESS' }),
      false,
    ],
    [
      'the end of an operation',
      event({ ResourceStatus: 'UPDATE_COMPLETE' }),
      false,
    ],
    [
      'a nested stack starting',
      event({ LogicalResourceId: 'Db', PhysicalResourceId: NESTED_ID }),
      false,
    ],
    [
      'a resource starting',
      event({
        ResourceType: 'AWS::SNS::Topic',
        LogicalResourceId: 'Topic',
        PhysicalResourceId: 'topic',
      }),
      false,
    ],
  ])('%s → %s', (_case, stackEvent, expected) => {
    expect(isOperationStart(stackEvent)).toBe(expected);
  });
});
