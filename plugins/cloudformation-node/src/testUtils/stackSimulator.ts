import { randomUUID } from 'node:crypto';
import { arnOf, type ArnScope } from '../resourceArns';
import { FakeEcs } from './fakeEcs';
import { plantExisting, type FakeStackScenario } from './scenarios';
import {
  scheduleDelete,
  scheduleRollback,
  type OperationContext,
} from './stackOperations';
import {
  FakeError,
  resourceEvent,
  stackNameOf,
  type FakeChangeSet,
  type FakeEvent,
  type FakeStack,
} from './stackModel';

/** The read actions' knobs (see FakeCloudFormationOptions). */
export type StackSimulatorOptions = {
  eventPageSize?: number;
  resourcePageSize?: number;
  describeEvents?: boolean;
};

/** A stack as the test sees it. */
export type FakeStackView = {
  id: string;
  status: string;
  tags: Record<string, string>;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  terminationProtection: boolean;
  events: FakeEvent[];
  changeSetCount: number;
  /** When the latest operation reached its final state (set when it was scheduled). */
  finalStateAt?: number;
  /** The stack's resources as ListStackResources reports them. */
  resources: Array<{ logicalId: string; type: string; physicalId: string }>;
};

/**
 * The stacks of one account and region: every stack ever made (deleted ones stay, as in
 * CloudFormation), their scenarios, and the clock that applies their scheduled steps.
 */
export class StackSimulator {
  readonly stacks: FakeStack[] = [];
  readonly ecs: FakeEcs;
  readonly context: OperationContext;
  private readonly scenarios = new Map<string, FakeStackScenario>();

  constructor(
    readonly scope: ArnScope,
    readonly options: StackSimulatorOptions,
  ) {
    this.ecs = new FakeEcs(scope);
    this.context = { scope, ecs: this.ecs };
  }

  /** Scripts a stack; an `existing` stack is created right away. */
  script(stackName: string, scenario: FakeStackScenario): void {
    this.scenarios.set(stackName, scenario);
    if (scenario.existing) {
      plantExisting(this, stackName, scenario);
    }
  }

  /** The live stack of that name. */
  live(name: string): FakeStack | undefined {
    return this.stacks.find(stack => stack.name === name && !stack.deleted);
  }

  /** A live stack by name, or any stack by id; ValidationError when there is none. */
  find(nameOrId: string): FakeStack {
    const stack = nameOrId.startsWith('arn:')
      ? this.stacks.find(candidate => candidate.id === nameOrId)
      : this.live(nameOrId);
    if (!stack) {
      throw new FakeError(
        'ValidationError',
        `Stack with id ${nameOrId} does not exist`,
      );
    }
    return stack;
  }

  /** A new stack of that name, under the scenario scripted for the name. */
  newStack(name: string, status: string, at: Date): FakeStack {
    const stack: FakeStack = {
      id: arnOf(this.scope, 'cloudformation', `stack/${name}/${randomUUID()}`),
      name,
      status,
      createdAt: at,
      templateBody: '',
      parameters: {},
      tags: [],
      capabilities: [],
      resources: new Map(),
      outputs: {},
      terminationProtection: false,
      events: [],
      changeSets: new Map(),
      schedule: [],
      deleted: false,
      scenario: this.scenarios.get(name) ?? {},
    };
    this.stacks.push(stack);
    return stack;
  }

  /** A change set by id, or by name within the named live stack. */
  findChangeSet(params: Record<string, unknown>): {
    stack: FakeStack;
    changeSet: FakeChangeSet;
  } {
    const wanted = String(params.ChangeSetName);
    for (const stack of this.stacks) {
      for (const changeSet of stack.changeSets.values()) {
        if (
          changeSet.id === wanted ||
          (changeSet.name === wanted &&
            !stack.deleted &&
            stackNameOf(String(params.StackName)) === stack.name)
        ) {
          return { stack, changeSet };
        }
      }
    }
    throw new FakeError(
      'ChangeSetNotFound',
      `ChangeSet [${wanted}] does not exist`,
      404,
    );
  }

  /** DeleteStack: refuses a protected or busy stack, and RetainResources outside DELETE_FAILED. */
  deleteStack(params: Record<string, unknown>): Record<string, unknown> {
    const nameOrId = String(params.StackName);
    const stack = nameOrId.startsWith('arn:')
      ? this.stacks.find(candidate => candidate.id === nameOrId)
      : this.live(nameOrId);
    // Deleting a stack that is gone (or going) succeeds, as in CloudFormation; a DELETE_FAILED one is tried again.
    if (
      !stack ||
      stack.deleted ||
      stack.status === 'DELETE_IN_PROGRESS' ||
      stack.status === 'DELETE_COMPLETE'
    ) {
      return {};
    }
    const retain = (params.RetainResources as string[] | undefined) ?? [];
    if (retain.length > 0 && stack.status !== 'DELETE_FAILED') {
      throw new FakeError(
        'ValidationError',
        `Invalid operation on stack [${stack.id}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`,
      );
    }
    if (stack.terminationProtection) {
      throw new FakeError(
        'ValidationError',
        `Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`,
      );
    }
    if (
      stack.status.endsWith('_IN_PROGRESS') &&
      stack.status !== 'REVIEW_IN_PROGRESS'
    ) {
      throw new FakeError(
        'ValidationError',
        `Stack [${stack.name}] cannot be deleted while in status ${stack.status}`,
      );
    }
    scheduleDelete(stack, Date.now(), 'User Initiated', retain);
    this.advance(Date.now());
    return {};
  }

  /** CancelUpdateStack: in-flight resources are cancelled, then the update rolls back. */
  cancelUpdate(params: Record<string, unknown>): Record<string, unknown> {
    const stack = this.find(String(params.StackName));
    if (stack.status !== 'UPDATE_IN_PROGRESS') {
      throw new FakeError(
        'ValidationError',
        `CancelUpdateStack cannot be called from current stack status ${stack.status}`,
      );
    }
    const changeSet = [...stack.changeSets.values()].find(
      candidate => candidate.executionStatus === 'EXECUTE_IN_PROGRESS',
    );
    stack.schedule = [];
    const now = Date.now();
    for (const [logicalId, resource] of stack.resources) {
      if (resource.status.endsWith('_IN_PROGRESS')) {
        resourceEvent(
          stack,
          now,
          logicalId,
          'UPDATE_FAILED',
          'Resource update cancelled',
        );
      }
    }
    if (changeSet) {
      changeSet.executionStatus = 'EXECUTE_FAILED';
    }
    scheduleRollback(stack, now, false, 'Stack update cancelled');
    this.advance(now);
    return {};
  }

  /** Applies every scheduled step that is due, oldest first. */
  advance(now: number): void {
    for (;;) {
      let next: { stack: FakeStack; index: number } | undefined;
      for (const stack of this.stacks) {
        stack.schedule.forEach((item, index) => {
          if (
            item.at <= now &&
            (!next || item.at < next.stack.schedule[next.index].at)
          ) {
            next = { stack, index };
          }
        });
      }
      if (!next) {
        return;
      }
      const [item] = next.stack.schedule.splice(next.index, 1);
      item.apply();
    }
  }

  /** The latest stack of that name (live, or deleted when none is live). */
  view(stackName: string): FakeStackView | undefined {
    this.advance(Date.now());
    const stack =
      this.live(stackName) ??
      [...this.stacks]
        .reverse()
        .find(candidate => candidate.name === stackName);
    if (!stack) {
      return undefined;
    }
    return {
      id: stack.id,
      status: stack.status,
      tags: Object.fromEntries(stack.tags.map(tag => [tag.Key, tag.Value])),
      parameters: { ...stack.parameters },
      outputs: { ...stack.outputs },
      terminationProtection: stack.terminationProtection,
      events: [...stack.events],
      changeSetCount: stack.changeSets.size,
      finalStateAt: stack.finalStateAt,
      resources: [...stack.resources].map(([logicalId, resource]) => ({
        logicalId,
        type: resource.type,
        physicalId: resource.physicalId,
      })),
    };
  }
}
