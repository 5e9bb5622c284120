import { readDeployableTemplate, readFakeTemplate } from './fakeTemplate';
import type { StackSimulator } from './stackSimulator';
import { FakeError, type FakeStack } from './stackModel';

// The read actions: what an entity page and a deployer's progress loop ask about a stack.

/** A stack as DescribeStacks answers it, with the fields extensions add (drift, say). */
export function describeStack(
  stack: FakeStack,
  extensionFields: Record<string, unknown>,
): Record<string, unknown> {
  const template = readFakeTemplate(stack.templateBody);
  return {
    StackId: stack.id,
    StackName: stack.name,
    CreationTime: stack.createdAt,
    LastUpdatedTime: stack.updatedAt,
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    Parameters: Object.entries(stack.parameters).map(([key, value]) => ({
      ParameterKey: key,
      ParameterValue: template.parameters[key]?.noEcho ? '****' : value,
    })),
    Tags: stack.tags,
    Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({
      OutputKey,
      OutputValue,
      Description: template.outputs[OutputKey]?.description,
    })),
    Capabilities: stack.capabilities,
    EnableTerminationProtection: stack.terminationProtection,
    LastOperations: stack.operation
      ? [
          {
            OperationType: stack.operation.type,
            OperationId: stack.operation.id,
          },
        ]
      : undefined,
    ...extensionFields,
  };
}

export function describeStackEvents(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const stack = simulator.find(String(params.StackName));
  const newestFirst = [...stack.events].reverse();
  const start = Number(params.NextToken ?? 0);
  const size = simulator.options.eventPageSize ?? 100;
  const end = start + size;
  return {
    StackEvents: newestFirst.slice(start, end),
    NextToken: end < newestFirst.length ? String(end) : undefined,
  };
}

export function listStackResources(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const stack = simulator.find(String(params.StackName));
  const summaries = [...stack.resources].map(([logicalId, resource]) => ({
    LogicalResourceId: logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: resource.updatedAt,
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.reason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  }));
  const start = Number(params.NextToken ?? 0);
  const end = start + (simulator.options.resourcePageSize ?? 100);
  return {
    StackResourceSummaries: summaries.slice(start, end),
    NextToken: end < summaries.length ? String(end) : undefined,
  };
}

// The stack's (or a change set's) template as submitted. The fake expands no transforms, so the
// Processed stage answers the same text as the Original one.
export function getTemplate(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const templateBody =
    params.ChangeSetName !== undefined
      ? simulator.findChangeSet(params).changeSet.templateBody
      : simulator.find(String(params.StackName)).templateBody;
  return {
    TemplateBody: templateBody || undefined,
    StagesAvailable: ['Original', 'Processed'],
  };
}

export function describeEvents(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  if (!simulator.options.describeEvents) {
    throw new FakeError(
      'InvalidAction',
      'Could not find operation DescribeEvents for version 2010-05-15',
    );
  }
  const stack = simulator.find(String(params.StackName));
  const filters = (params.Filters ?? {}) as Record<string, unknown>;
  const events = [...stack.events]
    .reverse()
    .filter(
      event => !params.OperationId || event.OperationId === params.OperationId,
    )
    .filter(
      event =>
        filters.FailedEvents !== 'true' ||
        event.ResourceStatus.endsWith('_FAILED'),
    );
  return {
    OperationEvents: events.map(event => ({
      ...event,
      EventType: event.ResourceStatus.endsWith('_FAILED')
        ? 'PROVISIONING_ERROR'
        : 'STACK_EVENT',
    })),
  };
}

export function getTemplateSummary(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const body =
    typeof params.TemplateBody === 'string'
      ? params.TemplateBody
      : simulator.find(String(params.StackName)).templateBody;
  const template = readDeployableTemplate(body);
  return {
    Parameters: Object.entries(template.parameters).map(([key, parameter]) => ({
      ParameterKey: key,
      ParameterType: 'String',
      NoEcho: parameter.noEcho,
    })),
    ResourceTypes: [...template.resources.values()].map(
      resource => resource.type,
    ),
  };
}
