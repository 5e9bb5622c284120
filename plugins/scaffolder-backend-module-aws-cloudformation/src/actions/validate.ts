import { promises as fs } from 'node:fs';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseTemplate,
  TemplateParseError,
} from '@golden-path/plugin-cloudformation-node';
import { formatFinding, validateTemplate } from '../validation';
import { examples } from './validate.examples';

/**
 * `aws:cloudformation:validate`: checks a CloudFormation template in the workspace offline against the
 * CloudFormation resource model, its own references and security rules. It only reads, so a dry run
 * (the template editor) behaves exactly like a real run.
 *
 * @public
 */
export function createAwsCloudFormationValidateAction() {
  return createTemplateAction({
    id: 'aws:cloudformation:validate',
    description:
      'Checks a CloudFormation template (YAML with short-form tags, or JSON) in the workspace offline: resource types, ' +
      'properties, value types, allowed values and required properties against the CloudFormation resource model; ' +
      'Ref, GetAtt, Sub and DependsOn targets; intrinsic function arguments and property formats; and security rules ' +
      '(no wildcard secret or key grants, no public or unencrypted database, no plaintext secrets), which a template ' +
      'may turn off in its Metadata with a reason. Fn::ForEach loops are expanded; what a transform or macro leaves ' +
      'to CloudFormation is reported as info. Fails the step on errors.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        templatePath: z =>
          z
            .string({
              description:
                'Path of the template file, relative to the workspace (e.g. infra/template.yaml).',
            })
            .min(1),
        failOn: z =>
          z
            .enum(['error', 'warning'], {
              description:
                'Lowest severity that fails the step: "error" (default) or "warning" (warnings fail too).',
            })
            .optional(),
        checkControls: z =>
          z
            .boolean({
              description:
                'Also warn where the template misses a hardening control AWS documents: kms:CreateGrant without ' +
                'kms:GrantIsForAWSResource, a secret without a resource policy, a database that accepts unencrypted ' +
                'connections, a container running as root, a service trust policy without aws:SourceAccount/SourceArn. ' +
                'Off by default; the golden path turns it on for the stacks it generates.',
            })
            .optional(),
      },
      output: {
        valid: z =>
          z.boolean({
            description: 'True when no finding reached the failOn severity.',
          }),
        errorCount: z => z.number({ description: 'Number of error findings.' }),
        warningCount: z =>
          z.number({ description: 'Number of warning findings.' }),
        infoCount: z =>
          z.number({
            description:
              'Number of info findings: parts left to CloudFormation (transforms, macros) and rules turned off in Metadata.',
          }),
        findings: z =>
          z.array(
            z.object({
              severity: z.enum(['error', 'warning', 'info']),
              rule: z.string(),
              resource: z.string().optional(),
              path: z.string(),
              message: z.string(),
            }),
            {
              description:
                'Every finding: severity, rule id, logical id of the resource, property path and message.',
            },
          ),
      },
    },
    async handler(ctx) {
      const { templatePath } = ctx.input;
      const failOn = ctx.input.failOn ?? 'error';
      const absolutePath = resolveInsideWorkspace(
        ctx.workspacePath,
        templatePath,
      );

      let text: string;
      try {
        text = await fs.readFile(absolutePath, 'utf8');
      } catch {
        throw new InputError(
          `templatePath: no readable file at "${templatePath}" in the workspace.`,
        );
      }
      let template: unknown;
      try {
        template = parseTemplate(text);
      } catch (error) {
        if (error instanceof TemplateParseError)
          throw new InputError(
            `templatePath: "${templatePath}" is not valid YAML or JSON:\n${error.message}`,
          );
        throw error;
      }

      const findings = validateTemplate(template, {
        controls: ctx.input.checkControls ?? false,
      });
      const errorCount = findings.filter(
        finding => finding.severity === 'error',
      ).length;
      const warningCount = findings.filter(
        finding => finding.severity === 'warning',
      ).length;
      const infoCount = findings.length - errorCount - warningCount;
      const failing = findings.filter(
        finding =>
          finding.severity === 'error' ||
          (failOn === 'warning' && finding.severity === 'warning'),
      );
      for (const finding of findings) {
        ctx.logger[LOG_LEVELS[finding.severity]](formatFinding(finding));
      }
      ctx.output('valid', failing.length === 0);
      ctx.output('errorCount', errorCount);
      ctx.output('warningCount', warningCount);
      ctx.output('infoCount', infoCount);
      ctx.output('findings', findings);

      if (failing.length > 0) {
        throw new InputError(
          `${templatePath} has ${errorCount} error(s) and ${warningCount} warning(s):\n${failing.map(formatFinding).join('\n')}`,
        );
      }
      ctx.logger.info(`${templatePath} is valid (${warningCount} warning(s)).`);
    },
  });
}

const LOG_LEVELS = { error: 'error', warning: 'warn', info: 'info' } as const;

function resolveInsideWorkspace(
  workspacePath: string,
  relativePath: string,
): string {
  try {
    return resolveSafeChildPath(workspacePath, relativePath);
  } catch {
    throw new InputError(
      `templatePath: "${relativePath}" leaves the workspace; give a path inside it.`,
    );
  }
}
