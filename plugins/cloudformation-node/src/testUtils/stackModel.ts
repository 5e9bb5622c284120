import { randomUUID } from 'node:crypto';
import type { FakeStackScenario } from './scenarios';
import { readFakeTemplate } from './fakeTemplate';

/** An AWS error the fake answers (extensions throw it too). */
export class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A stack event as `DescribeStackEvents` returns it. */
export type FakeEvent = {
  EventId: string;
  StackId: string;
  StackName: string;
  OperationId?: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: Date;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ClientRequestToken?: string;
};

export type FakeResource = {
  type: string;
  physicalId: string;
  status: string;
  reason?: string;
  updatedAt: Date;
};

export type Change = {
  logicalId: string;
  type: string;
  action: 'Add' | 'Modify' | 'Remove';
  replacement?: string;
};

export type FakeChangeSet = {
  id: string;
  name: string;
  clientToken?: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  createdAt: Date;
  readyAt: number;
  failure?: string;
  executionStatus: string;
  executeToken?: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  capabilities: string[];
  onStackFailure: string;
  changes: Change[];
};

export type Snapshot = Pick<
  FakeStack,
  'templateBody' | 'parameters' | 'tags' | 'outputs'
> & { resources: Map<string, FakeResource> };

export type FakeStack = {
  id: string;
  name: string;
  status: string;
  statusReason?: string;
  createdAt: Date;
  updatedAt?: Date;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
  capabilities: string[];
  resources: Map<string, FakeResource>;
  outputs: Record<string, string>;
  terminationProtection: boolean;
  events: FakeEvent[];
  changeSets: Map<string, FakeChangeSet>;
  schedule: Array<{ at: number; apply: () => void }>;
  operation?: { type: string; id: string; token?: string };
  /** The stack before the running update and the resources it changes, for a rollback. */
  rollback?: { before: Snapshot; touched: string[] };
  finalStateAt?: number;
  deleted: boolean;
  scenario: FakeStackScenario;
};

/** The stack reaches a status: its own event. */
export function stackEvent(
  stack: FakeStack,
  at: number,
  status: string,
  reason?: string,
): void {
  stack.status = status;
  stack.statusReason = reason;
  stack.events.push({
    EventId: randomUUID(),
    StackId: stack.id,
    StackName: stack.name,
    OperationId: stack.operation?.id,
    LogicalResourceId: stack.name,
    PhysicalResourceId: stack.id,
    ResourceType: 'AWS::CloudFormation::Stack',
    Timestamp: new Date(at),
    ResourceStatus: status,
    ResourceStatusReason: reason,
    ClientRequestToken: stack.operation?.token,
  });
}

/** A resource of the stack reaches a status: its event, and the resource's status when it exists. */
export function resourceEvent(
  stack: FakeStack,
  at: number,
  logicalId: string,
  status: string,
  reason?: string,
): void {
  const resource = stack.resources.get(logicalId);
  if (resource) {
    Object.assign(resource, { status, reason, updatedAt: new Date(at) });
  }
  stack.events.push({
    EventId: `${logicalId}-${randomUUID()}`,
    StackId: stack.id,
    StackName: stack.name,
    OperationId: stack.operation?.id,
    LogicalResourceId: logicalId,
    PhysicalResourceId: resource?.physicalId ?? '',
    ResourceType:
      resource?.type ??
      readFakeTemplate(stack.templateBody).resources.get(logicalId)?.type ??
      'AWS::CloudFormation::WaitConditionHandle',
    Timestamp: new Date(at),
    ResourceStatus: status,
    ResourceStatusReason: reason,
    ClientRequestToken: stack.operation?.token,
  });
}

export function snapshot(stack: FakeStack): Snapshot {
  return {
    templateBody: stack.templateBody,
    parameters: { ...stack.parameters },
    tags: [...stack.tags],
    outputs: { ...stack.outputs },
    resources: new Map(
      [...stack.resources].map(([id, resource]) => [id, { ...resource }]),
    ),
  };
}

/** The stack name in a stack name or id (`arn:aws:cloudformation:region:account:stack/name/uuid`). */
export function stackNameOf(nameOrId: string): string {
  return nameOrId.startsWith('arn:')
    ? (nameOrId.split(':')[5]?.split('/')[1] ?? nameOrId)
    : nameOrId;
}
