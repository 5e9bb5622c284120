import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { generateFargateService } from '../blueprint/generate';
import { fargateServiceInputFields } from '../blueprint/inputFields';
import { templateFacts } from '../blueprint/templateFacts';
import { examples } from './generate.examples';

/** The blueprint's field schemas as the scaffolder wants them: one factory per input key. */
const inputSchema = Object.fromEntries(
  Object.entries(fargateServiceInputFields).map(([key, schema]) => [
    key,
    () => schema,
  ]),
) as {
  [
    K in keyof typeof fargateServiceInputFields
  ]: () => (typeof fargateServiceInputFields)[K];
};

/**
 * `aws:fargateService:generate`: writes the CloudFormation for an ECS Fargate service behind an ALB,
 * with RDS and Secrets Manager, into the workspace (`infra/template.yaml`, `infra/parameters.json`,
 * `docs/architecture.md` under `targetPath`). Input is validated before anything is written.
 * Dry runs write the files too: the template editor shows them.
 *
 * @public
 */
export function createAwsFargateServiceGenerateAction() {
  return createTemplateAction({
    id: 'aws:fargateService:generate',
    description:
      'Generates the CloudFormation for an ECS Fargate service behind an application load balancer, with an RDS ' +
      'database whose credentials live in Secrets Manager (generated, KMS-encrypted, rotated, injected at task start), ' +
      'plus a parameters file and an architecture document with a Mermaid diagram.',
    examples,
    supportsDryRun: true,
    schema: {
      input: inputSchema,
      output: {
        templatePath: z =>
          z.string({
            description:
              'Workspace-relative path of the template (infra/template.yaml).',
          }),
        parametersPath: z =>
          z.string({
            description:
              'Workspace-relative path of the parameter values (infra/parameters.json).',
          }),
        diagramPath: z =>
          z.string({
            description:
              'Workspace-relative path of the architecture document (docs/architecture.md).',
          }),
        stackName: z =>
          z.string({ description: 'Name to deploy the stack under.' }),
        capabilities: z =>
          z.array(z.string(), {
            description:
              'Capabilities the deploy must acknowledge (CAPABILITY_IAM, and CAPABILITY_AUTO_EXPAND with Secrets Manager rotation).',
          }),
        parameters: z =>
          z.record(z.string(), {
            description:
              'Template parameter values (also in parametersPath); none is secret.',
          }),
        names: z =>
          z.record(z.string(), {
            description:
              'AWS names of the resources: stackName, clusterName, serviceName, taskFamily, logGroupName, repositoryName, databaseIdentifier, and when used secretName, rotationFunctionName, kmsAliasName.',
          }),
        resources: z =>
          z.array(
            z.object({
              logicalId: z.string(),
              type: z.string(),
              description: z.string(),
            }),
            {
              description:
                'Every resource of the stack with its one-line description.',
            },
          ),
        entityRef: z =>
          z.string({
            description:
              "The Component's entity ref (entityRef, default component:default/<serviceName>): the stack's backstage:entity-ref tag, for the deploy step, the register fallback and the output links.",
          }),
        catalog: z =>
          z.object(
            {
              component: z.object({
                tags: z.array(z.string()),
                links: z.array(catalogLink(z)),
                dependsOn: z.array(z.string()),
              }),
              resources: z.array(
                z.object({
                  name: z.string(),
                  type: z.enum(['database', 'secret']),
                  description: z.string(),
                  tags: z.array(z.string()),
                  links: z.array(catalogLink(z)),
                  dependsOn: z.array(z.string()),
                }),
              ),
            },
            {
              description:
                "What catalog-info.yaml places: the Component's tags, console links and dependsOn, and one Resource (name from the stack's names, type, description, tags, links, dependsOn) per database and secret. Links only when region is given.",
            },
          ),
        stackConsoleUrlPrefix: z =>
          z
            .string({
              description:
                "The stack's CloudFormation console page without its id: append the URL-encoded stack id or name. Only when region is given.",
            })
            .optional(),
        database: z =>
          z.object(
            {
              engine: z.string(),
              label: z.string(),
              port: z.number(),
              clientLibrary: z.string(),
            },
            {
              description:
                'The chosen database engine: its id, label, default port and the npm client library the generated app uses.',
            },
          ),
        appDatabaseEngines: z =>
          z.record(
            z.object({
              label: z.string(),
              port: z.number(),
              clientLibrary: z.string(),
            }),
            {
              description:
                'Every engine the generated app can connect to (DB_ENGINE), by id: label, default port, client library.',
            },
          ),
      },
    },
    async handler(ctx) {
      const result = generateFargateService(ctx.input);
      if (!result.success) {
        throw new InputError(
          `Invalid input for aws:fargateService:generate:\n${result.problems.map(problem => `- ${problem}`).join('\n')}`,
        );
      }
      const { blueprint } = result;
      const files = Object.values(blueprint.files).map(file => ({
        ...file,
        absolutePath: insideWorkspace(ctx.workspacePath, file.path),
      }));

      await ctx.checkpoint({
        key: `write-${blueprint.model.names.stackName}`,
        fn: async () => {
          for (const file of files) {
            await fs.mkdir(path.dirname(file.absolutePath), {
              recursive: true,
            });
            await fs.writeFile(file.absolutePath, file.content, 'utf8');
          }
        },
      });
      const { loadBalancer } = blueprint.spec;
      if (
        loadBalancer.scheme === 'internet-facing' &&
        !loadBalancer.certificateArn
      ) {
        ctx.logger.warn(
          `${blueprint.model.names.stackName} serves plain HTTP to the internet: give certificateArn (an ACM certificate) before real users depend on it.`,
        );
      }
      // No file names: the task log's viewer turns `name.md` into a link (md is a top-level domain).
      ctx.logger.info(
        `Wrote ${files.length} files (the CloudFormation template and its parameters under infra/, the architecture page under docs/): ` +
          `stack ${blueprint.model.names.stackName} with ${blueprint.resources.length} resources${ctx.isDryRun ? ' (dry run)' : ''}.`,
      );

      ctx.output('templatePath', blueprint.files.template.path);
      ctx.output('parametersPath', blueprint.files.parameters.path);
      ctx.output('diagramPath', blueprint.files.diagram.path);
      ctx.output('stackName', blueprint.model.names.stackName);
      ctx.output('capabilities', blueprint.model.capabilities);
      ctx.output('parameters', blueprint.model.parameterValues);
      ctx.output('names', blueprint.model.names);
      ctx.output('resources', blueprint.resources);
      const facts = templateFacts(blueprint);
      ctx.output('entityRef', facts.entityRef);
      ctx.output('catalog', facts.catalog);
      if (facts.stackConsoleUrlPrefix)
        ctx.output('stackConsoleUrlPrefix', facts.stackConsoleUrlPrefix);
      ctx.output('database', facts.database);
      ctx.output('appDatabaseEngines', facts.appDatabaseEngines);
    },
  });
}

function catalogLink(z: typeof import('zod/v3').z) {
  return z.object({ title: z.string(), icon: z.string(), url: z.string() });
}

function insideWorkspace(workspacePath: string, relativePath: string): string {
  try {
    return resolveSafeChildPath(workspacePath, relativePath);
  } catch {
    throw new InputError(
      `targetPath: "${relativePath}" leaves the workspace; give a path inside it.`,
    );
  }
}
