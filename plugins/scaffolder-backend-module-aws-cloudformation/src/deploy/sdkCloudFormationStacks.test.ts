import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFormationDeployError } from './errors';
import { SdkCloudFormationStacks } from './sdkCloudFormationStacks';
import { DEFAULT_TIMINGS } from './types';

const cloudFormation = mockClient(CloudFormationClient);
const timings = {
  ...DEFAULT_TIMINGS,
  initialPollMs: 1,
  maxThrottledDelayMs: 4,
};

function awsError(name: string, message: string, status = 400) {
  return new CloudFormationServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

function stacks() {
  const log = { info: jest.fn(), warn: jest.fn() };
  const client = new CloudFormationClient({ region: 'us-east-1' });
  return { stacks: new SdkCloudFormationStacks(client, { timings, log }), log };
}

beforeEach(() => cloudFormation.reset());

describe('SdkCloudFormationStacks', () => {
  it('answers undefined for a stack CloudFormation says does not exist', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        awsError('ValidationError', 'Stack with id payments does not exist'),
      );
    await expect(stacks().stacks.describeStack('payments')).resolves.toBe(
      undefined,
    );
  });

  it('passes on every other error', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('AccessDenied', 'not authorized'));
    await expect(stacks().stacks.describeStack('payments')).rejects.toThrow(
      'not authorized',
    );
  });

  it('waits out throttling, warning once', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ Stacks: [{ StackName: 'payments' } as never] });
    const { stacks: client, log } = stacks();

    await expect(client.describeStack('payments')).resolves.toMatchObject({
      StackName: 'payments',
    });
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(
      'CloudFormation is throttling requests; slowing down (up to 0s between calls).',
    );
  });

  it('tries a failing connection up to maxTransientAttempts times', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('InternalFailure', 'try later', 500));
    const { stacks: client, log } = stacks();

    await expect(client.describeStack('payments')).rejects.toThrow('try later');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(
      timings.maxTransientAttempts,
    );
    expect(log.warn).toHaveBeenCalledWith(
      'A request to CloudFormation failed (try later); trying again.',
    );
  });

  it('tries once when told the caller has a fallback', async () => {
    cloudFormation
      .on(ListStackResourcesCommand)
      .rejects(awsError('InternalFailure', 'try later', 500));

    await expect(
      stacks().stacks.listStackResources('payments', undefined, { once: true }),
    ).rejects.toThrow('try later');
    expect(cloudFormation.commandCalls(ListStackResourcesCommand)).toHaveLength(
      1,
    );
  });

  it('fails as cancelled once the signal aborts, and aborts the request', async () => {
    const controller = new AbortController();
    cloudFormation.on(DescribeStacksCommand).callsFake(() => {
      controller.abort();
      throw awsError('InternalFailure', 'try later', 500);
    });

    const error = await stacks()
      .stacks.describeStack('payments', { signal: controller.signal })
      .catch(e => e);

    expect(error).toBeInstanceOf(CloudFormationDeployError);
    expect(error).toMatchObject({
      kind: 'cancelled',
      message: 'The task was cancelled.',
    });
    const calls = cloudFormation.commandCalls(DescribeStacksCommand);
    expect(calls).toHaveLength(1);
    expect((calls[0].args as unknown[])[1]).toEqual({
      abortSignal: controller.signal,
    });
  });

  it('lets the request finish when told to, still stopping the retries', async () => {
    const controller = new AbortController();
    cloudFormation.on(DescribeStacksCommand).callsFake(() => {
      controller.abort();
      throw awsError('InternalFailure', 'try later', 500);
    });

    const error = await stacks()
      .stacks.describeStack('payments', {
        signal: controller.signal,
        letRequestFinish: true,
      })
      .catch(e => e);

    expect(error).toMatchObject({ kind: 'cancelled' });
    const calls = cloudFormation.commandCalls(DescribeStacksCommand);
    expect(calls).toHaveLength(1);
    expect((calls[0].args as unknown[])[1]).toEqual({ abortSignal: undefined });
  });

  it('reads every page of failed events as stack events', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    cloudFormation
      .on(DescribeEventsCommand, { NextToken: undefined })
      .resolves({
        OperationEvents: [
          {
            EventId: 'e1',
            StackId: 'stack-id',
            LogicalResourceId: 'Database',
            ResourceType: 'AWS::RDS::DBInstance',
            ResourceStatus: 'CREATE_FAILED',
            ResourceStatusReason: 'quota',
            Timestamp: at,
          },
        ],
        NextToken: 'page-2',
      })
      .on(DescribeEventsCommand, { NextToken: 'page-2' })
      .resolves({
        OperationEvents: [
          {
            EventId: 'e2',
            LogicalResourceId: 'Hook',
            ValidationStatusReason: 'blocked by a hook',
          },
        ],
      });

    const events = await stacks().stacks.describeFailedEvents(
      'stack-id',
      'op-1',
      'payments',
    );

    expect(events).toEqual([
      expect.objectContaining({
        EventId: 'e1',
        StackName: 'payments',
        LogicalResourceId: 'Database',
        ResourceStatus: 'CREATE_FAILED',
        ResourceStatusReason: 'quota',
        Timestamp: at,
      }),
      expect.objectContaining({
        EventId: 'e2',
        StackName: 'payments',
        ResourceStatusReason: 'blocked by a hook',
      }),
    ]);
    expect(
      cloudFormation.commandCalls(DescribeEventsCommand)[0].args[0].input,
    ).toMatchObject({
      StackName: 'stack-id',
      OperationId: 'op-1',
      Filters: { FailedEvents: true },
    });
  });
});
