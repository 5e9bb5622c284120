import { randomUUID } from 'node:crypto';
import { arnOf } from '../resourceArns';
import {
  readDeployableTemplate,
  readFakeTemplate,
  type FakeTemplate,
} from './fakeTemplate';
import { runOperation } from './stackOperations';
import type { StackSimulator } from './stackSimulator';
import {
  FakeError,
  stackEvent,
  type Change,
  type FakeChangeSet,
  type FakeStack,
} from './stackModel';

const EMPTY_CHANGE_SET =
  "The submitted information didn't contain changes. Submit different information to create a change set.";
const IAM_TYPES = /^AWS::IAM::/;

/** CreateChangeSet: a new stack (REVIEW_IN_PROGRESS) for a CREATE one, and the changes against the stack. */
export function createChangeSet(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const name = String(params.StackName);
  const changeSetName = String(params.ChangeSetName);
  const type = params.ChangeSetType === 'UPDATE' ? 'UPDATE' : 'CREATE';
  const clientToken = params.ClientToken as string | undefined;
  let stack = simulator.live(name);
  const repeated =
    stack &&
    [...stack.changeSets.values()].find(
      changeSet => changeSet.name === changeSetName,
    );
  if (repeated) {
    if (clientToken && repeated.clientToken === clientToken) {
      return { Id: repeated.id, StackId: repeated.stackId };
    }
    throw new FakeError(
      'AlreadyExistsException',
      `ChangeSet ${changeSetName} already exists`,
    );
  }
  if (type === 'UPDATE' && !stack) {
    throw new FakeError('ValidationError', `Stack [${name}] does not exist`);
  }
  if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') {
    throw new FakeError(
      'ValidationError',
      `Stack [${name}] already exists and cannot be created again with the changeSet [${changeSetName}].`,
    );
  }
  const templateBody = String(params.TemplateBody ?? '');
  const facts = readDeployableTemplate(templateBody);
  const parameters = resolveParameters(
    params,
    facts,
    type === 'UPDATE' ? stack : undefined,
  );
  const capabilities = (params.Capabilities as string[] | undefined) ?? [];
  if (
    [...facts.resources.values()].some(resource =>
      IAM_TYPES.test(resource.type),
    ) &&
    !capabilities.some(c => c.startsWith('CAPABILITY_') && c.includes('IAM'))
  ) {
    throw new FakeError(
      'InsufficientCapabilitiesException',
      'Requires capabilities : [CAPABILITY_IAM]',
    );
  }
  const now = new Date();
  if (!stack) {
    stack = simulator.newStack(name, 'REVIEW_IN_PROGRESS', now);
    stack.operation = { type: 'CREATE_CHANGESET', id: randomUUID() };
    stackEvent(stack, now.getTime(), 'REVIEW_IN_PROGRESS', 'User Initiated');
  }
  const tags =
    (params.Tags as Array<{ Key: string; Value: string }> | undefined) ?? [];
  const changeSet: FakeChangeSet = {
    id: arnOf(
      simulator.scope,
      'cloudformation',
      `changeSet/${changeSetName}/${randomUUID()}`,
    ),
    name: changeSetName,
    clientToken,
    stackId: stack.id,
    type,
    createdAt: now,
    readyAt: now.getTime() + (stack.scenario.changeSetDelayMs ?? 0),
    executionStatus: 'UNAVAILABLE',
    templateBody,
    parameters,
    tags,
    capabilities,
    onStackFailure: String(params.OnStackFailure ?? 'ROLLBACK'),
    changes: [],
  };
  changeSet.changes = diff(stack, changeSet);
  changeSet.failure =
    stack.scenario.changeSetFailure ??
    (changeSet.changes.length === 0 ? EMPTY_CHANGE_SET : undefined);
  stack.changeSets.set(changeSet.id, changeSet);
  return { Id: changeSet.id, StackId: stack.id };
}

function resolveParameters(
  params: Record<string, unknown>,
  facts: FakeTemplate,
  previous?: FakeStack,
): Record<string, string> {
  const given =
    (params.Parameters as Array<Record<string, string>> | undefined) ?? [];
  const values: Record<string, string> = {};
  for (const parameter of given) {
    const key = parameter.ParameterKey;
    if (!(key in facts.parameters)) {
      throw new FakeError(
        'ValidationError',
        `Parameters: [${key}] do not exist in the template`,
      );
    }
    if (parameter.UsePreviousValue === 'true') {
      if (!previous || !(key in previous.parameters)) {
        throw new FakeError(
          'ValidationError',
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
      values[key] = previous.parameters[key];
    } else {
      values[key] = parameter.ParameterValue ?? '';
    }
  }
  const missing = Object.keys(facts.parameters).filter(
    key => !(key in values) && !facts.parameters[key].hasDefault,
  );
  if (missing.length > 0) {
    throw new FakeError(
      'ValidationError',
      `Parameters: [${missing.join(', ')}] must have values`,
    );
  }
  return values;
}

function diff(stack: FakeStack, changeSet: FakeChangeSet): Change[] {
  const next = readFakeTemplate(changeSet.templateBody).resources;
  if (changeSet.type === 'CREATE') {
    return [...next].map(([logicalId, definition]) => ({
      logicalId,
      type: definition.type,
      action: 'Add',
    }));
  }
  const current = readFakeTemplate(stack.templateBody).resources;
  const changedParameters = Object.keys({
    ...stack.parameters,
    ...changeSet.parameters,
  }).filter(key => stack.parameters[key] !== changeSet.parameters[key]);
  const tagsChanged =
    JSON.stringify(sortTags(stack.tags)) !==
    JSON.stringify(sortTags(changeSet.tags));
  const changes: Change[] = [];
  for (const [logicalId, definition] of next) {
    const before = current.get(logicalId);
    if (!before) {
      changes.push({ logicalId, type: definition.type, action: 'Add' });
    } else if (
      before.json !== definition.json ||
      tagsChanged ||
      changedParameters.some(
        key =>
          definition.json.includes(`"${key}"`) ||
          definition.json.includes(`\${${key}}`),
      )
    ) {
      changes.push({
        logicalId,
        type: definition.type,
        action: 'Modify',
        replacement: stack.scenario.replacements?.[logicalId] ?? 'False',
      });
    }
  }
  for (const [logicalId, definition] of current) {
    if (!next.has(logicalId)) {
      changes.push({ logicalId, type: definition.type, action: 'Remove' });
    }
  }
  return changes;
}

export function describeChangeSet(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const { stack, changeSet } = simulator.findChangeSet(params);
  const ready = refresh(changeSet);
  return {
    ChangeSetName: changeSet.name,
    ChangeSetId: changeSet.id,
    StackId: stack.id,
    StackName: stack.name,
    CreationTime: changeSet.createdAt,
    Status: !ready
      ? 'CREATE_IN_PROGRESS'
      : changeSet.failure
        ? 'FAILED'
        : 'CREATE_COMPLETE',
    StatusReason: ready ? changeSet.failure : undefined,
    ExecutionStatus: changeSet.executionStatus,
    Parameters: Object.entries(changeSet.parameters).map(
      ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
    ),
    Tags: changeSet.tags,
    Capabilities: changeSet.capabilities,
    Changes: ready
      ? changeSet.changes.map(change => ({
          Type: 'Resource',
          ResourceChange: {
            Action: change.action,
            LogicalResourceId: change.logicalId,
            ResourceType: change.type,
            Replacement: change.replacement,
          },
        }))
      : [],
  };
}

export function executeChangeSet(
  simulator: StackSimulator,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const { stack, changeSet } = simulator.findChangeSet(params);
  const token = params.ClientRequestToken as string | undefined;
  refresh(changeSet);
  if (
    changeSet.executionStatus !== 'AVAILABLE' ||
    (stack.status.endsWith('_IN_PROGRESS') &&
      stack.status !== 'REVIEW_IN_PROGRESS')
  ) {
    if (token && changeSet.executeToken === token) {
      return {};
    }
    throw new FakeError(
      'InvalidChangeSetStatus',
      `ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
    );
  }
  changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
  changeSet.executeToken = token;
  runOperation(
    simulator.context,
    stack,
    changeSet,
    token,
    params.DisableRollback === 'true',
  );
  return {};
}

// A change set becomes executable once CloudFormation finished computing it; returns whether it did.
function refresh(changeSet: FakeChangeSet): boolean {
  const ready = Date.now() >= changeSet.readyAt;
  if (
    ready &&
    changeSet.executionStatus === 'UNAVAILABLE' &&
    !changeSet.failure
  ) {
    changeSet.executionStatus = 'AVAILABLE';
  }
  return ready;
}

function sortTags(tags: Array<{ Key: string; Value: string }>) {
  return [...tags].sort((a, b) => a.Key.localeCompare(b.Key));
}
