import type { Change, Parameter } from '@aws-sdk/client-cloudformation';
import {
  TAG_ENTITY_REF,
  TAG_TEMPLATE_REF,
} from '@golden-path/plugin-cloudformation-common';
import {
  formatChangeTable,
  toChangeRows,
  type ResourceChangeRow,
} from './changeTable';
import { CloudFormationDeployError, isValidationError } from './errors';
import { accountMismatch, type Plan } from './plan';
import type { Run } from './run';

/** A change set once CloudFormation finished creating it (stored in a checkpoint). */
export type ChangeSetRecord = {
  changeSetId: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  /** CloudFormation's clock: stack events from this time on belong to the deploy. */
  createdAt: string;
  empty: boolean;
  changes: ResourceChangeRow[];
};

const CHANGE_SET_PENDING = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);
// CloudFormation's two wordings for "the change set would change nothing".
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/**
 * Creates the plan's change set, waits until CloudFormation computed it and logs its changes.
 * A change set that fails (or whose account is wrong) is deleted again, with the empty stack
 * CloudFormation made for it; one without changes comes back `empty`.
 */
export async function createChangeSet(
  run: Run,
  plan: Plan,
): Promise<ChangeSetRecord> {
  const { request } = run;
  const type = plan.action === 'update' ? 'UPDATE' : 'CREATE';
  // A stack CloudFormation creates for this change set is ours to remove if the deploy stops here.
  const ownsReviewStack =
    type === 'CREATE' && !(plan.action === 'create' && plan.reviewStackId);
  let created: { Id?: string; StackId?: string };
  try {
    created = await run.stacks.createChangeSet(
      {
        StackName: request.stackName,
        ChangeSetName: run.changeSetName,
        ClientToken: `${run.changeSetName}-create`,
        ChangeSetType: type,
        TemplateBody: request.templateBody,
        Parameters: parametersFor(run, plan),
        Capabilities: request.capabilities,
        RoleARN: request.roleArn,
        Tags: tagsFor(run, plan),
        // Only creations take OnStackFailure; updates pass DisableRollback on execution.
        OnStackFailure: type === 'CREATE' ? request.onFailure : undefined,
        Description: `Backstage deploy of ${request.owner.entityRef}`,
      },
      { signal: run.signal },
    );
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (plan.action === 'update' && isValidationError(error, NO_CHANGES)) {
      // Some endpoints reject an empty update outright instead of failing the change set.
      return emptyChangeSet(run, '', plan.stackId, 'UPDATE');
    }
    if ((error as Error).name === 'InsufficientCapabilitiesException') {
      throw new CloudFormationDeployError(
        'changeSetFailed',
        `${message} Add them to the \`capabilities\` input.`,
      );
    }
    if (isValidationError(error)) {
      throw new CloudFormationDeployError(
        'changeSetFailed',
        `CloudFormation rejected the change set for stack ${request.stackName}: ${message}`,
      );
    }
    throw error;
  }
  const changeSetId = created.Id ?? run.changeSetName;
  const stackId =
    created.StackId ??
    (plan.action === 'create' ? request.stackName : plan.stackId);
  const discard = () =>
    discardChangeSet(run, changeSetId, stackId, ownsReviewStack);
  const wrongAccount = accountMismatch(request.expectedAccountId, stackId);
  if (wrongAccount) {
    await discard();
    throw wrongAccount;
  }
  run.log.info(
    `Creating change set ${run.changeSetName} (${type}) for stack ${request.stackName}…`,
  );

  let described;
  try {
    described = await waitForChangeSet(run, changeSetId, stackId);
  } catch (error) {
    await discard();
    throw error;
  }
  if (described.Status === 'FAILED') {
    await discard();
    const reason = described.StatusReason ?? 'CloudFormation gave no reason';
    if (NO_CHANGES.test(reason)) {
      return emptyChangeSet(run, changeSetId, stackId, type);
    }
    throw new CloudFormationDeployError(
      'changeSetFailed',
      `CloudFormation could not create the change set for stack ${request.stackName}: ${reason} ` +
        `The change set was deleted${ownsReviewStack ? ' and so was the empty stack made for it' : ''}; nothing was deployed.`,
    );
  }

  const changes = toChangeRows(described.Changes);
  run.log.info(
    `Change set ${run.changeSetName} for stack ${request.stackName}: ${changes.length} resource change(s).`,
  );
  for (const line of formatChangeTable(changes, run.descriptions)) {
    run.log.info(line);
  }
  return {
    changeSetId,
    stackId,
    type,
    createdAt: (described.CreationTime ?? new Date()).toISOString(),
    empty: false,
    changes,
  };
}

/**
 * Executes the change set. Not cancellable: once sent, the operation is CloudFormation's; a
 * cancel is handled while watching.
 */
export async function executeChangeSet(
  run: Run,
  changeSet: ChangeSetRecord,
): Promise<{ startedAt: string }> {
  const { request } = run;
  run.log.info(
    `Executing change set ${run.changeSetName} on stack ${request.stackName}.`,
  );
  try {
    await run.stacks.executeChangeSet({
      ChangeSetName: changeSet.changeSetId,
      StackName: changeSet.stackId,
      ClientRequestToken: `${run.changeSetName}-execute`,
      DisableRollback:
        changeSet.type === 'UPDATE' && request.onFailure === 'DO_NOTHING'
          ? true
          : undefined,
    });
  } catch (error) {
    // A retry after a lost response finds the change set already executing.
    if ((error as Error).name !== 'InvalidChangeSetStatusException') {
      throw error;
    }
    const current = await run.stacks.describeChangeSet(
      changeSet.changeSetId,
      changeSet.stackId,
      undefined,
      { signal: run.signal, letRequestFinish: true },
    );
    if (!current.ExecutionStatus?.startsWith('EXECUTE_')) {
      throw error;
    }
  }
  return { startedAt: new Date().toISOString() };
}

function emptyChangeSet(
  run: Run,
  changeSetId: string,
  stackId: string,
  type: 'CREATE' | 'UPDATE',
): ChangeSetRecord {
  run.log.info(
    `No changes: stack ${run.request.stackName} already matches the template and parameters.`,
  );
  return {
    changeSetId,
    stackId,
    type,
    createdAt: new Date().toISOString(),
    empty: true,
    changes: [],
  };
}

// Polls until CloudFormation finished computing the change set, then reads all its pages.
async function waitForChangeSet(
  run: Run,
  changeSetId: string,
  stackId: string,
) {
  const { timings } = run;
  const deadline = Date.now() + run.request.timeoutMinutes * 60_000;
  const describe = (nextToken?: string) =>
    run.stacks.describeChangeSet(changeSetId, stackId, nextToken, {
      signal: run.signal,
    });
  // CloudFormation takes a few seconds for any change set, so the first look waits too.
  let delay = timings.initialPollMs;
  let described;
  do {
    await run.stacks.pause(delay, run.signal);
    delay = Math.min(delay * timings.pollBackoff, timings.maxPollMs);
    if (run.signal?.aborted) {
      throw new CloudFormationDeployError(
        'cancelled',
        'The task was cancelled before the change set was executed; nothing was deployed.',
      );
    }
    if (Date.now() >= deadline) {
      throw new CloudFormationDeployError(
        'timedOut',
        `CloudFormation did not finish creating change set ${run.changeSetName} within ${run.request.timeoutMinutes} minutes; it was deleted.`,
      );
    }
    described = await describe();
  } while (CHANGE_SET_PENDING.has(described.Status ?? ''));
  const changes: Change[] = [...(described.Changes ?? [])];
  for (let page = described; page.NextToken;) {
    page = await describe(page.NextToken);
    changes.push(...(page.Changes ?? []));
  }
  return { ...described, Changes: changes };
}

// Not cancellable: it also cleans up after a cancel.
async function discardChangeSet(
  run: Run,
  changeSetId: string,
  stackId: string,
  deleteReviewStack: boolean,
): Promise<void> {
  await run.stacks.deleteChangeSet(changeSetId, stackId);
  if (deleteReviewStack) {
    await run.stacks.deleteStack({
      stackId,
      clientRequestToken: `${run.changeSetName}-discard`,
    });
  }
  run.log.info(
    `Deleted change set ${run.changeSetName}${deleteReviewStack ? ` and the empty stack ${run.request.stackName} made for it` : ''}.`,
  );
}

function parametersFor(run: Run, plan: Plan): Parameter[] {
  const { parameters } = run.request;
  const given = Object.entries(parameters).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: value,
  }));
  if (plan.action !== 'update') {
    return given;
  }
  // Like `aws cloudformation deploy`: parameters left out keep their deployed value.
  const kept = plan.previousParameterKeys
    .filter(key => key in run.template.parameters && !(key in parameters))
    .map(key => ({ ParameterKey: key, UsePreviousValue: true }));
  return [...given, ...kept];
}

function tagsFor(run: Run, plan: Plan) {
  const { tags, owner } = run.request;
  // The template that created the stack stays its template of record.
  const templateRef =
    (plan.action === 'update' ? plan.templateRef : undefined) ??
    owner.templateRef;
  return [
    ...Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    { Key: TAG_ENTITY_REF, Value: owner.entityRef },
    ...(templateRef ? [{ Key: TAG_TEMPLATE_REF, Value: templateRef }] : []),
  ];
}
