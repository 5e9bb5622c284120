import { randomUUID } from 'node:crypto';
import { readFakeTemplate } from './fakeTemplate';
import { addResource } from './physicalIds';
import type { StackSimulator } from './stackSimulator';
import { resourceEvent, stackEvent } from './stackModel';

/** How one stack behaves on the fake endpoint. Times are milliseconds of real time. */
export type FakeStackScenario = {
  /** A stack already there when the test starts. */
  existing?: {
    status: string;
    statusReason?: string;
    tags?: Record<string, string>;
    /** Its deployed template; updates are diffed against it. */
    templateBody?: string;
    parameters?: Record<string, string>;
    /** A resource failure in its history (for `*_FAILED` and `ROLLBACK_COMPLETE` stacks). */
    failure?: { logicalId: string; resourceType: string; reason: string };
    /** Termination protection is on. */
    terminationProtection?: boolean;
  };
  /** Time CloudFormation takes to compute a change set (default 0). */
  changeSetDelayMs?: number;
  /** The change set ends `FAILED` with this reason. */
  changeSetFailure?: string;
  /** Time between resource events while executing (default 10). */
  stepMs?: number;
  /** This resource fails with this reason while executing; resources still in flight are cancelled. */
  failure?: { logicalId: string; reason: string };
  /** The failing ECS service's tasks stopped with this reason (answered by ECS ListTasks/DescribeTasks). */
  stoppedTaskReason?: string;
  /** Replacement reported for modified resources (default `False`). */
  replacements?: Record<string, 'True' | 'False' | 'Conditional'>;
  /**
   * A stack deletion fails: this resource ends `DELETE_FAILED` with this reason (the resources deleted
   * before it stay deleted, the rest stay), or, without `logicalId`, the stack itself fails before
   * deleting anything (as for an export another stack imports). A later delete that retains the
   * resource succeeds.
   */
  deleteFailure?: { logicalId?: string; reason: string };
};

/** Plants the scenario's `existing` stack as if it had been created ten minutes ago. */
export function plantExisting(
  simulator: StackSimulator,
  name: string,
  scenario: FakeStackScenario,
): void {
  const existing = scenario.existing!;
  const started = Date.now() - 10 * 60_000;
  const stack = simulator.newStack(name, existing.status, new Date(started));
  stack.tags = Object.entries(existing.tags ?? {}).map(([Key, Value]) => ({
    Key,
    Value,
  }));
  stack.parameters = { ...existing.parameters };
  stack.templateBody = existing.templateBody ?? '';
  stack.terminationProtection = existing.terminationProtection ?? false;
  stack.operation = {
    type: existing.status.startsWith('UPDATE')
      ? 'UPDATE_STACK'
      : 'CREATE_STACK',
    id: randomUUID(),
  };
  stackEvent(stack, started, 'CREATE_IN_PROGRESS', 'User Initiated');
  if (stack.templateBody && existing.status !== 'ROLLBACK_COMPLETE') {
    const defined = readFakeTemplate(stack.templateBody).resources;
    for (const [logicalId, resource] of defined) {
      addResource(
        simulator.scope,
        stack,
        logicalId,
        resource.type,
        'CREATE_COMPLETE',
        started,
        resource.properties,
      );
      resourceEvent(stack, started + 60_000, logicalId, 'CREATE_COMPLETE');
    }
  }
  const updated = existing.status.startsWith('UPDATE');
  if (updated && existing.status !== 'UPDATE_IN_PROGRESS') {
    stackEvent(
      stack,
      started + 120_000,
      'UPDATE_IN_PROGRESS',
      'User Initiated',
    );
  }
  if (existing.failure) {
    const { logicalId, resourceType, reason } = existing.failure;
    addResource(
      simulator.scope,
      stack,
      logicalId,
      resourceType,
      'CREATE_FAILED',
      started,
    );
    resourceEvent(
      stack,
      started + 180_000,
      logicalId,
      updated ? 'UPDATE_FAILED' : 'CREATE_FAILED',
      reason,
    );
  }
  stackEvent(stack, started + 300_000, existing.status, existing.statusReason);
  if (existing.status === 'ROLLBACK_COMPLETE') {
    stack.resources.clear();
  }
}
