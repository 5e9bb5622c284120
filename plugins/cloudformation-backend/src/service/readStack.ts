import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStackResources,
  Stack,
  StackEvent,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CloudFormationStack,
  CloudFormationStackPart,
  CloudFormationStackResource,
  hasOperationFailed,
  METADATA_DESCRIPTION_KEY,
  stackPhaseOf,
  stackConsoleUrl,
} from '@golden-path/plugin-cloudformation-common';
import {
  explainStackFailure,
  isOperationStart,
  isRecord,
  parseArn,
  parseTemplate,
} from '@golden-path/plugin-cloudformation-node';
import { isStackMissing } from './awsErrors';
import { throwIfEndpointFailure } from './endpointErrors';
import { describePartFailure } from './partFailure';

/** How many of the latest events the card gets. */
const EVENT_LIMIT = 20;
/**
 * DescribeStackEvents pages (100 events each) read at most while looking for the start of a
 * failed operation, so a long stack history cannot turn one card view into dozens of calls.
 */
const MAX_FAILURE_EVENT_PAGES = 5;

/** Thrown when the stack does not exist (CloudFormation answers a ValidationError). */
export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
}

/**
 * Reads everything the entity card shows about one stack. Read-only: DescribeStacks,
 * ListStackResources, DescribeStackEvents and GetTemplate. Only DescribeStacks must succeed: a
 * failed resource or event read leaves that part `unreadable`, with a sentence, and the rest shown.
 */
export async function readStack(
  client: CloudFormationClient,
  stackName: string,
  logger: LoggerService,
): Promise<CloudFormationStack> {
  const stack = await describeStack(client, stackName);
  const stackId = stack.StackId!;
  const status = stack.StackStatus!;
  const phase = stackPhaseOf(status);
  // Rolling back means the operation has already failed, even while still in progress.
  const failed = hasOperationFailed(status);

  const unreadable: NonNullable<CloudFormationStack['unreadable']> = {};
  const readPart = <T>(
    part: CloudFormationStackPart,
    call: string,
    read: Promise<T[]>,
  ) =>
    read.catch(error => {
      logger.warn(`${call} failed for stack ${stackId}: ${error}`);
      unreadable[part] = describePartFailure(call, stack.StackName!, error);
      return [] as T[];
    });
  const [resources, events, descriptions] = await Promise.all([
    readPart('resources', 'ListStackResources', listResources(client, stackId)),
    readPart(
      'events',
      'DescribeStackEvents',
      readEvents(client, stackId, failed),
    ),
    readDescriptions(client, stackId).catch(error => {
      // Descriptions only decorate the resource list: a template that cannot be read (e.g. a
      // policy without cloudformation:GetTemplate) must not hide the stack.
      logger.warn(
        `Could not read the template of stack ${stackId} for resource descriptions: ${error}`,
      );
      return new Map<string, string>();
    }),
  ]);

  const arn = parseArn(stackId);
  return {
    stackName: stack.StackName!,
    stackId,
    region: arn?.region ?? '',
    accountId: arn?.accountId || undefined,
    description: stack.Description,
    status,
    statusReason: stack.StackStatusReason,
    phase,
    createdAt: stack.CreationTime!.toISOString(),
    lastUpdatedAt: (stack.LastUpdatedTime ?? stack.CreationTime!).toISOString(),
    outputs: (stack.Outputs ?? []).map(output => ({
      key: output.OutputKey!,
      value: output.OutputValue ?? '',
      description: output.Description,
      exportName: output.ExportName,
    })),
    resources: resources.map(resource => toResource(resource, descriptions)),
    events: events.slice(0, EVENT_LIMIT).map(event => ({
      id: event.EventId!,
      timestamp: event.Timestamp!.toISOString(),
      logicalId: event.LogicalResourceId ?? '',
      resourceType: event.ResourceType,
      status: event.ResourceStatus ?? '',
      reason: event.ResourceStatusReason,
    })),
    // explainStackFailure itself looks only at the latest operation's events.
    failure: failed ? explainStackFailure(events) : undefined,
    consoleUrl:
      arn?.partition === 'aws'
        ? stackConsoleUrl(arn.region, stackId)
        : undefined,
    ...(Object.keys(unreadable).length > 0 ? { unreadable } : {}),
  };
}

/** DescribeStacks of one stack: a missing stack is {@link StackNotFoundError}, a non-AWS answer an `EndpointFailureError`. */
export async function describeStack(
  client: CloudFormationClient,
  stackName: string,
): Promise<Stack> {
  try {
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    if (Stacks?.[0]) return Stacks[0];
  } catch (error) {
    throwIfEndpointFailure('DescribeStacks', stackName, error);
    if (!isStackMissing(error)) throw error;
  }
  throw new StackNotFoundError(`Stack ${stackName} does not exist`);
}

async function listResources(client: CloudFormationClient, stackId: string) {
  const resources: StackResourceSummary[] = [];
  // ListStackResources rather than DescribeStackResources, which stops at 100 resources.
  for await (const page of paginateListStackResources(
    { client },
    { StackName: stackId },
  )) {
    resources.push(...(page.StackResourceSummaries ?? []));
  }
  return resources;
}

/**
 * The latest events, newest first. For a failed stack, keeps paging (bounded) until the event
 * that opened the latest operation, so the root cause is found even behind a long rollback.
 */
async function readEvents(
  client: CloudFormationClient,
  stackId: string,
  failed: boolean,
) {
  const events: StackEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(
      new DescribeStackEventsCommand({
        StackName: stackId,
        NextToken: nextToken,
      }),
    );
    events.push(...(page.StackEvents ?? []));
    nextToken = page.NextToken;
    pages += 1;
  } while (
    failed &&
    nextToken &&
    pages < MAX_FAILURE_EVENT_PAGES &&
    !events.some(isOperationStart)
  );
  return events;
}

/** Logical id → the human description the template's resource `Metadata` carries. */
async function readDescriptions(client: CloudFormationClient, stackId: string) {
  const { TemplateBody } = await client.send(
    new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' }),
  );
  const descriptions = new Map<string, string>();
  const template = TemplateBody ? parseTemplate(TemplateBody) : undefined;
  const resources =
    isRecord(template) && isRecord(template.Resources)
      ? template.Resources
      : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const description =
      isRecord(resource) && isRecord(resource.Metadata)
        ? resource.Metadata[METADATA_DESCRIPTION_KEY]
        : undefined;
    if (typeof description === 'string')
      descriptions.set(logicalId, description);
  }
  return descriptions;
}

function toResource(
  resource: StackResourceSummary,
  descriptions: Map<string, string>,
): CloudFormationStackResource {
  return {
    logicalId: resource.LogicalResourceId!,
    physicalId: resource.PhysicalResourceId,
    type: resource.ResourceType!,
    status: resource.ResourceStatus!,
    reason: resource.ResourceStatusReason,
    description: descriptions.get(resource.LogicalResourceId!),
    updatedAt: resource.LastUpdatedTimestamp?.toISOString(),
  };
}
