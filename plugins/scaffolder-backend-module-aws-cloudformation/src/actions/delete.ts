import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { cloudformationStackRetirePermission } from '@golden-path/plugin-cloudformation-common';
import { digest, type DeployTimings } from '../deploy';
import {
  CloudFormationDeleter,
  formatDeletionPlan,
  snapshotNote,
  type DeleteRequest,
  type DeletionPlanRow,
} from '../delete';
import { DELETE_REFUSALS, resolveAllowedTarget } from './allowedTarget';
import {
  checkRuledFields,
  ruledString,
  targetInputFields,
} from './inputFields';
import { examples } from './delete.examples';

const DEFAULT_TIMEOUT_MINUTES = 60;

/** Options of {@link createAwsCloudFormationDeleteAction}. */
export type AwsCloudFormationDeleteActionOptions = {
  config: Config;
  credentialsManager: AwsCredentialsManager;
  /** Decides whether the task's initiator may retire the entity (`cloudformation.stack.retire`). */
  permissions: PermissionsService;
  /** Polling knobs; the defaults suit CloudFormation (tests shrink them). */
  timings?: Partial<DeployTimings>;
};

/**
 * `aws:cloudformation:delete`: deletes the CloudFormation stack of a catalog entity — only a stack
 * tagged for that entity, inside the allowlist, without termination protection, and only when
 * the task's initiator holds `cloudformation.stack.retire` on the entity. Logs what is deleted,
 * snapshotted and retained, streams the events, explains a failed delete and resumes after a restart.
 *
 * @public
 */
export function createAwsCloudFormationDeleteAction(
  options: AwsCloudFormationDeleteActionOptions,
) {
  const { config, credentialsManager, permissions, timings } = options;
  return createTemplateAction({
    id: 'aws:cloudformation:delete',
    description:
      "Deletes a catalog entity's CloudFormation stack: refuses stacks tagged for another entity or protected from termination, " +
      'logs which resources are deleted, snapshotted (with the final snapshot) and retained, streams the events with progress, ' +
      'names the resource that blocks a failed delete and what to do, and resumes after a restart. ' +
      "Only the entity's owners may run it (permission cloudformation.stack.retire). The dry run reads the plan without changing anything.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        stackName: z =>
          ruledString(
            z,
            'stackName',
            'CloudFormation stack name: letters, digits and hyphens, starting with a letter.',
          ),
        entityRef: z =>
          ruledString(
            z,
            'entityRef',
            'Catalog entity being retired, e.g. component:default/payments. The stack must carry it in its backstage:entity-ref tag, ' +
              'and the task initiator needs cloudformation.stack.retire on it.',
          ),
        confirmation: z =>
          z
            .string({
              description:
                "The entity's name as the person typed it to confirm; the delete is refused unless it matches.",
            })
            .optional(),
        ...targetInputFields,
        roleArn: z =>
          ruledString(
            z,
            'roleArn',
            'IAM role CloudFormation assumes to delete the resources (service role).',
          ).optional(),
        retainResources: z =>
          z
            .array(
              ruledString(
                z,
                'logicalId',
                'Logical id of a resource to retain.',
              ),
              {
                description:
                  'Logical ids to leave in place, only for a stack in DELETE_FAILED: the way past a resource that cannot be deleted ' +
                  '(e.g. a bucket that must keep its objects). Resources meant to stay belong under DeletionPolicy: Retain instead.',
              },
            )
            .optional(),
        timeoutMinutes: z =>
          z
            .number({
              description: `Minutes to wait for the deletion (default ${DEFAULT_TIMEOUT_MINUTES}); CloudFormation carries on afterwards.`,
            })
            .int()
            .min(1)
            .max(720)
            .optional(),
      },
      output: {
        stackId: z =>
          z
            .string({
              description: 'Stack ARN (absent when there was no stack).',
            })
            .optional(),
        stackName: z => z.string({ description: 'Stack name.' }),
        stackStatus: z =>
          z.string({
            description:
              'DELETE_COMPLETE, NOT_FOUND when there was no stack, or the current status in a dry run.',
          }),
        deleted: z =>
          z.boolean({
            description:
              'Whether this run deleted the stack (false in a dry run or when it was already gone).',
          }),
        deletedResources: z =>
          z.array(z.string(), {
            description: 'Logical ids CloudFormation deletes.',
          }),
        snapshots: z =>
          z.array(
            z.object({
              logicalResourceId: z.string(),
              physicalResourceId: z.string().optional(),
              note: z.string(),
            }),
            {
              description:
                'Resources CloudFormation snapshots before deleting them, with where the final snapshot is found.',
            },
          ),
        retainedResources: z =>
          z.array(
            z.object({
              logicalResourceId: z.string(),
              physicalResourceId: z.string().optional(),
              resourceType: z.string(),
            }),
            {
              description:
                'Resources left in the account (DeletionPolicy: Retain or retainResources), still billed.',
            },
          ),
        planText: z =>
          z.string({
            description:
              'The plan as text, one resource per line, for the task output.',
          }),
        region: z => z.string({ description: 'Region of the stack.' }),
        accountId: z => z.string({ description: 'Account of the stack.' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      checkRuledFields('aws:cloudformation:delete', input, {
        stackName: 'stackName',
        entityRef: 'entityRef',
        region: 'region',
        accountId: 'accountId',
        roleArn: 'roleArn',
        retainResources: 'logicalId',
      });
      const entityName = input.entityRef.split('/').pop()!;
      if (
        input.confirmation !== undefined &&
        input.confirmation.trim() !== entityName
      ) {
        throw new InputError(
          `confirmation: type the service's name, "${entityName}", to confirm; got "${input.confirmation}". Nothing was deleted.`,
        );
      }
      const target = resolveAllowedTarget(
        config,
        DELETE_REFUSALS,
        input.region,
        input.accountId,
      );
      // In the backend, before any AWS call: hiding a button is no access control.
      const credentials = await ctx.getInitiatorCredentials();
      const [decision] = await permissions.authorize(
        [
          {
            permission: cloudformationStackRetirePermission,
            resourceRef: input.entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Only the owners of ${input.entityRef} may retire it (permission ${cloudformationStackRetirePermission.name}). Nothing was deleted.`,
        );
      }

      const request: DeleteRequest = {
        stackName: input.stackName,
        entityRef: input.entityRef,
        expectedAccountId: target.accountId,
        retainResources: input.retainResources ?? [],
        roleArn: input.roleArn,
        timeoutMinutes: input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
        // The same for a task recovered after a restart, different for every other task.
        idempotencyKey: digest(ctx.task.id, ctx.step?.id ?? '').slice(0, 16),
      };
      const emit = (
        rows: DeletionPlanRow[],
        result: { stackId?: string; stackStatus: string; deleted: boolean },
      ) => {
        if (result.stackId) {
          ctx.output('stackId', result.stackId);
        }
        ctx.output('stackName', input.stackName);
        ctx.output('stackStatus', result.stackStatus);
        ctx.output('deleted', result.deleted);
        ctx.output(
          'deletedResources',
          rows
            .filter(row => row.fate === 'delete')
            .map(row => row.logicalResourceId),
        );
        ctx.output(
          'snapshots',
          rows
            .filter(row => row.fate === 'snapshot')
            .map(row => ({ ...idsOf(row), note: snapshotNote(row) })),
        );
        ctx.output(
          'retainedResources',
          rows
            .filter(row => row.fate === 'retain')
            .map(row => ({ ...idsOf(row), resourceType: row.resourceType })),
        );
        ctx.output(
          'planText',
          rows.length
            ? formatDeletionPlan(input.stackName, rows).join('\n')
            : `Stack ${input.stackName} does not exist: nothing to delete.`,
        );
        ctx.output('region', target.region);
        ctx.output('accountId', target.accountId);
      };

      const { sdkCredentialProvider } =
        await credentialsManager.getCredentialProvider({
          accountId: target.accountId,
        });
      // No `endpoint`: the SDK applies AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CLOUDFORMATION itself.
      const cloudFormation = new CloudFormationClient({
        region: target.region,
        credentials: sdkCredentialProvider,
      });
      try {
        const deleter = new CloudFormationDeleter({
          cloudFormation,
          logger: ctx.logger,
          timings,
        });
        if (ctx.isDryRun) {
          const plan = await deleter.plan(request, ctx.signal);
          ctx.logger.info(
            `Dry run: nothing is deleted. ${plan.stackId ? '' : `Stack ${input.stackName} does not exist.`}`,
          );
          for (const line of plan.stackId
            ? formatDeletionPlan(input.stackName, plan.rows)
            : []) {
            ctx.logger.info(line);
          }
          emit(plan.rows, {
            stackId: plan.stackId,
            stackStatus: plan.stackStatus ?? 'NOT_FOUND',
            deleted: false,
          });
          return;
        }
        const result = await deleter.delete(request, {
          // The engine's checkpoint values are plain JSON.
          checkpoint: (key, fn) =>
            ctx.checkpoint({ key, fn: fn as () => Promise<never> }),
          signal: ctx.signal,
        });
        emit(result.plan, result);
      } finally {
        cloudFormation.destroy();
      }
    },
  });
}

function idsOf(row: DeletionPlanRow) {
  return {
    logicalResourceId: row.logicalResourceId,
    ...(row.physicalResourceId
      ? { physicalResourceId: row.physicalResourceId }
      : {}),
  };
}
