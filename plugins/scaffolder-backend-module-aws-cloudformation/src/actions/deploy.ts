import { promises as fs } from 'node:fs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECSClient } from '@aws-sdk/client-ecs';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CloudFormationDeployer,
  MAX_INLINE_TEMPLATE_BYTES,
  TemplateError,
  digest,
  planDryRun,
  readTemplate,
  type DeployRequest,
  type DeployResult,
  type DeployTimings,
} from '../deploy';
import { DEPLOY_REFUSALS, resolveAllowedTarget } from './allowedTarget';
import {
  checkRuledFields,
  ruledString,
  targetInputFields,
} from './inputFields';
import { examples } from './deploy.examples';

// Ownership tags are the action's own; AWS reserves `aws:`.
const RESERVED_TAG_PREFIXES = ['aws:', 'backstage:'];
const MAX_USER_TAGS = 48;
const DEFAULT_TIMEOUT_MINUTES = 60;

/** Options of {@link createAwsCloudFormationDeployAction}. */
export type AwsCloudFormationDeployActionOptions = {
  config: Config;
  credentialsManager: AwsCredentialsManager;
  /** Polling knobs; the defaults suit CloudFormation (tests shrink them). */
  timings?: Partial<DeployTimings>;
};

/**
 * `aws:cloudformation:deploy`: deploys a CloudFormation template from the workspace through a
 * change set, streaming progress, explaining failures by their root cause and resuming after a
 * backend restart. Accounts and regions are limited by `aws.cloudformation.*` config;
 * credentials come from `aws.mainAccount` / `aws.accounts`.
 *
 * @public
 */
export function createAwsCloudFormationDeployAction(
  options: AwsCloudFormationDeployActionOptions,
) {
  const { config, credentialsManager, timings } = options;
  return createTemplateAction({
    id: 'aws:cloudformation:deploy',
    description:
      'Deploys a CloudFormation template from the workspace through a change set: creates, updates or recreates the ' +
      'stack (only stacks this entity owns), logs the change table, streams stack events with progress and heartbeats, ' +
      'names the root cause of a failure, cancels an update when the task is cancelled, and resumes after a restart.',
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
        templatePath: z =>
          z
            .string({
              description:
                'Workspace-relative path of the template (YAML or JSON), e.g. infra/template.yaml.',
            })
            .min(1),
        entityRef: z =>
          ruledString(
            z,
            'entityRef',
            'Catalog entity the stack belongs to, e.g. component:default/payments. Written to the backstage:entity-ref ' +
              'tag on create; a stack tagged for another entity is never modified.',
          ),
        parameters: z =>
          z
            .record(
              z.string(),
              z.union([
                z.string(),
                z.number(),
                z.boolean(),
                z.array(z.string()),
              ]),
              {
                description:
                  'Template parameter values (lists as arrays). On update, template parameters left out keep their deployed value. ' +
                  'Values of NoEcho or secret-looking parameters are never logged or output.',
              },
            )
            .optional(),
        tags: z =>
          z
            .record(z.string(), z.string(), {
              description:
                'Stack tags, propagated to the resources. The backstage: and aws: prefixes are reserved.',
            })
            .optional(),
        capabilities: z =>
          z
            .array(
              z.enum([
                'CAPABILITY_IAM',
                'CAPABILITY_NAMED_IAM',
                'CAPABILITY_AUTO_EXPAND',
              ]),
              {
                description:
                  'Capabilities the template needs acknowledged, e.g. [CAPABILITY_IAM].',
              },
            )
            .optional(),
        ...targetInputFields,
        roleArn: z =>
          ruledString(
            z,
            'roleArn',
            'IAM role CloudFormation assumes to change the resources (service role).',
          ).optional(),
        terminationProtection: z =>
          z
            .boolean({
              description:
                'Turn termination protection on or off after the deploy; left unchanged when omitted.',
            })
            .optional(),
        onFailure: z =>
          z
            .enum(['ROLLBACK', 'DO_NOTHING', 'DELETE'], {
              description:
                'When the stack operation fails: ROLLBACK (default), DO_NOTHING (keep resources for inspection) or ' +
                'DELETE (delete the stack; applies to creates, updates roll back).',
            })
            .optional(),
        timeoutMinutes: z =>
          z
            .number({
              description: `Minutes the stack operation may take (default ${DEFAULT_TIMEOUT_MINUTES}); an update still running then is cancelled.`,
            })
            .int()
            .min(1)
            .max(720)
            .optional(),
        execute: z =>
          z
            .boolean({
              description:
                'false: only create and describe the change set for review (default true).',
            })
            .optional(),
        failOnEmptyChangeSet: z =>
          z
            .boolean({
              description:
                'Fail when there is nothing to change (default false: succeed with changed=false).',
            })
            .optional(),
      },
      output: {
        stackId: z => z.string({ description: 'Stack ARN.' }),
        stackName: z => z.string({ description: 'Stack name.' }),
        stackStatus: z =>
          z.string({
            description:
              'Final stack status, e.g. CREATE_COMPLETE or UPDATE_COMPLETE.',
          }),
        changeSetId: z =>
          z
            .string({
              description:
                'Change set ARN (absent when CloudFormation reported no changes up front).',
            })
            .optional(),
        changed: z =>
          z.boolean({ description: 'Whether the change set had changes.' }),
        executed: z =>
          z.boolean({ description: 'Whether the change set was executed.' }),
        outputs: z =>
          z.record(z.string(), z.string(), {
            description:
              'Every stack output by key (each is also an output of its own); secret-looking values masked.',
          }),
        changes: z =>
          z.array(
            z.object({
              action: z.string(),
              logicalResourceId: z.string(),
              resourceType: z.string(),
              replacement: z.string(),
            }),
            {
              description:
                'Resource changes of the change set (action, logical id, type, replacement yes/no/conditional).',
            },
          ),
        region: z => z.string({ description: 'Region deployed to.' }),
        accountId: z => z.string({ description: 'Account deployed to.' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      checkRuledFields('aws:cloudformation:deploy', input, {
        stackName: 'stackName',
        entityRef: 'entityRef',
        region: 'region',
        accountId: 'accountId',
        roleArn: 'roleArn',
      });
      // Refused before reading anything else, and before any AWS call.
      const target = resolveAllowedTarget(
        config,
        DEPLOY_REFUSALS,
        input.region,
        input.accountId,
      );

      const templatePath = insideWorkspace(
        ctx.workspacePath,
        input.templatePath,
      );
      let templateBody: string;
      try {
        templateBody = await fs.readFile(templatePath, 'utf8');
      } catch {
        throw new InputError(
          `templatePath: no readable file at "${input.templatePath}" in the workspace.`,
        );
      }
      const size = Buffer.byteLength(templateBody, 'utf8');
      if (size > MAX_INLINE_TEMPLATE_BYTES) {
        throw new InputError(
          `templatePath: ${input.templatePath} is ${size} bytes, over CloudFormation's ${MAX_INLINE_TEMPLATE_BYTES}-byte limit ` +
            'for templates passed inline, and this action does not upload templates to S3. Shrink it (drop comments, ' +
            'move parts into nested stacks) or deploy it from S3 with another tool.',
        );
      }
      let templateParameters: string[];
      try {
        templateParameters = Object.keys(readTemplate(templateBody).parameters);
      } catch (error) {
        if (error instanceof TemplateError) {
          throw new InputError(
            `templatePath: ${input.templatePath}: ${error.message}`,
          );
        }
        throw error;
      }

      const parameters = Object.fromEntries(
        Object.entries(input.parameters ?? {}).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(',') : String(value),
        ]),
      );
      const unknown = Object.keys(parameters).filter(
        key => !templateParameters.includes(key),
      );
      if (unknown.length > 0) {
        throw new InputError(
          `parameters: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of ${input.templatePath} ` +
            `(it has: ${templateParameters.join(', ') || 'none'}).`,
        );
      }
      const tags = checkTags(input.tags ?? {});

      const request: DeployRequest = {
        stackName: input.stackName,
        templateBody,
        parameters,
        tags,
        capabilities: input.capabilities ?? [],
        roleArn: input.roleArn,
        terminationProtection: input.terminationProtection,
        onFailure: input.onFailure ?? 'ROLLBACK',
        timeoutMinutes: input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
        execute: input.execute ?? true,
        failOnEmptyChangeSet: input.failOnEmptyChangeSet ?? false,
        owner: {
          entityRef: input.entityRef,
          templateRef: ctx.templateInfo?.entityRef,
        },
        expectedAccountId: target.accountId,
        // The same for a task recovered after a restart, different for every other task.
        idempotencyKey: digest(ctx.task.id, ctx.step?.id ?? '').slice(0, 16),
      };

      const emit = (result: DeployResult) => {
        // Stack outputs first so the fixed outputs win should a stack output share their name.
        for (const [key, value] of Object.entries(result.outputs)) {
          (ctx.output as (name: string, value: string) => void)(key, value);
        }
        ctx.output('stackId', result.stackId);
        ctx.output('stackName', result.stackName);
        ctx.output('stackStatus', result.stackStatus);
        if (result.changeSetId) {
          ctx.output('changeSetId', result.changeSetId);
        }
        ctx.output('changed', result.changed);
        ctx.output('executed', result.executed);
        ctx.output('outputs', result.outputs);
        ctx.output('changes', result.changes);
        ctx.output('region', target.region);
        ctx.output('accountId', target.accountId);
      };

      if (ctx.isDryRun) {
        const { lines, result } = planDryRun(request, target);
        for (const line of lines) {
          ctx.logger.info(line);
        }
        emit(result);
        return;
      }

      const { sdkCredentialProvider } =
        await credentialsManager.getCredentialProvider({
          accountId: target.accountId,
        });
      // No `endpoint`: the SDK applies AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CLOUDFORMATION / _ECS itself.
      const cloudFormation = new CloudFormationClient({
        region: target.region,
        credentials: sdkCredentialProvider,
      });
      const ecs = new ECSClient({
        region: target.region,
        credentials: sdkCredentialProvider,
      });
      try {
        const deployer = new CloudFormationDeployer({
          cloudFormation,
          ecs,
          logger: ctx.logger,
          timings,
        });
        const result = await deployer.deploy(request, {
          // The engine's checkpoint values are plain JSON (strings, numbers, booleans, arrays, records).
          checkpoint: (key, fn) =>
            ctx.checkpoint({ key, fn: fn as () => Promise<never> }),
          signal: ctx.signal,
        });
        emit(result);
      } finally {
        cloudFormation.destroy();
        ecs.destroy();
      }
    },
  });
}

function checkTags(tags: Record<string, string>): Record<string, string> {
  const problems = Object.entries(tags).flatMap(([key, value]) => {
    if (
      RESERVED_TAG_PREFIXES.some(prefix => key.toLowerCase().startsWith(prefix))
    ) {
      return [
        `"${key}" uses a reserved prefix (${RESERVED_TAG_PREFIXES.join(', ')})`,
      ];
    }
    if (key.length === 0 || key.length > 128 || value.length > 256) {
      return [
        `"${key}" must have a key of 1-128 and a value of at most 256 characters`,
      ];
    }
    return [];
  });
  if (Object.keys(tags).length > MAX_USER_TAGS) {
    problems.push(
      `at most ${MAX_USER_TAGS} tags fit next to the two ownership tags (CloudFormation allows 50)`,
    );
  }
  if (problems.length > 0) {
    throw new InputError(`tags: ${problems.join('; ')}.`);
  }
  return tags;
}

function insideWorkspace(workspacePath: string, relativePath: string): string {
  try {
    return resolveSafeChildPath(workspacePath, relativePath);
  } catch {
    throw new InputError(
      `templatePath: "${relativePath}" leaves the workspace; give a path inside it.`,
    );
  }
}
