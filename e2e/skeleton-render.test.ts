/**
 * Renders `skeleton/` with the scaffolder's real `fetch:template` action (nunjitsu, `${{ }}`
 * delimiters, default whitespace options) and checks what a generated repository gets:
 * valid files, valid catalog entities, and that no value, however hostile, changes a file's structure.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  getEntitySourceLocation,
  resourceEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject } from '@backstage/types';
import ts from 'typescript';
import yaml from 'yaml';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import {
  generateFargateService,
  templateFacts,
  type TemplateFacts,
} from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';

const REPO_ROOT = path.resolve(__dirname, '..');
// The golden-path template fetches `./skeleton` relative to its own file, as this test does.
const TEMPLATE_BASE_URL = `file://${REPO_ROOT}/templates/aws-fargate-rds-service/template.yaml`;
const SKELETON_URL = './skeleton';

type Values = JsonObject;

/** What aws:fargateService:generate gives the fetch step, for the service the values below describe. */
function generated(input: Record<string, unknown>): JsonObject {
  const result = generateFargateService({
    serviceName: 'orders-api',
    environment: 'prod',
    region: 'eu-west-1',
    certificateArn:
      'arn:aws:acm:eu-west-1:012345678901:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    ...input,
  });
  if (!result.success) throw new Error(result.problems.join('\n'));
  const { database, appDatabaseEngines, catalog } = templateFacts(
    result.blueprint,
  );
  return { database, appDatabaseEngines, catalog };
}

const VALUES: Values = {
  name: 'orders-api',
  description: 'Orders API for the payments team',
  owner: 'group:default/payments-team',
  system: 'system:default/payments',
  lifecycle: 'production',
  environment: 'prod',
  awsRegion: 'eu-west-1',
  awsAccountId: '012345678901',
  stackName: 'orders-api-prod',
  containerPort: 8080,
  healthCheckPath: '/ping',
  credentialMode: 'secrets-manager',
  ...generated({
    databaseEngine: 'postgres',
    credentialsMode: 'secrets-manager',
  }),
  repoSlug: 'acme/orders-api',
  sourceLocation: 'url:https://github.com/acme/orders-api/tree/main/',
  templateRef: 'template:default/aws-fargate-rds-service',
};

/** Everything that has broken generated files before: YAML syntax, tags, documents, delimiters, quotes, shells, HTML, odd line separators. */
function hostile(field: string): string {
  return `${field}: "x'\n---\n- !Ref ${'${{'} values.name }} {{ y }} {% raw %}{# #}\`id\` $(id) <script>alert(1)</script> # | \\ \t\u2028\u0007 ...`;
}

const EXPECTED_FILES = [
  '.dockerignore',
  '.github/workflows/deploy.yml',
  '.gitignore',
  '.nvmrc',
  'Dockerfile',
  'README.md',
  'catalog-info.yaml',
  'docs/audit.md',
  'docs/credentials.md',
  'docs/index.md',
  'docs/operate.md',
  'docs/security.md',
  'infra/README.md',
  'mkdocs.yml',
  'package-lock.json',
  'package.json',
  'src/config.ts',
  'src/database.ts',
  'src/index.ts',
  'src/log.ts',
  'src/server.ts',
  'test/config.test.ts',
  'test/server.test.ts',
  'tsconfig.build.json',
  'tsconfig.json',
];

const mockDir = createMockDirectory();

/** Renders the skeleton exactly as the template's `fetch:template` step does; returns file path → content. */
async function render(values: Values): Promise<Map<string, string>> {
  mockDir.clear();
  const workspacePath = mockDir.resolve('workspace');
  const scratch = mockDir.resolve('scratch');
  fs.mkdirSync(workspacePath, { recursive: true });
  fs.mkdirSync(scratch, { recursive: true });

  const action = createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const ctx = createMockActionContext({
    input: { url: SKELETON_URL, values },
    workspacePath,
    templateInfo: {
      baseUrl: TEMPLATE_BASE_URL,
      entityRef: 'template:default/test',
    },
  });
  await action.handler({
    ...ctx,
    createTemporaryDirectory: async () => scratch,
  });

  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        files.set(
          path.relative(workspacePath, full),
          fs.readFileSync(full, 'utf8'),
        );
      }
    }
  };
  walk(workspacePath);
  return files;
}

function file(files: Map<string, string>, name: string): string {
  const content = files.get(name);
  if (content === undefined) {
    throw new Error(`${name} was not rendered`);
  }
  return content;
}

/** mkdocs.yml's `!!python/name:` tag, kept as a marker so the structure can be compared. */
const pythonNameTag: yaml.ScalarTag = {
  tag: 'tag:yaml.org,2002:python/name:pymdownx.superfences.fence_code_format',
  resolve: () => 'python/name:pymdownx.superfences.fence_code_format',
};

function parseYaml(text: string): unknown[] {
  const documents = yaml.parseAllDocuments(text, {
    customTags: [pythonNameTag],
  });
  for (const document of documents) {
    expect(document.errors).toEqual([]);
    expect(document.warnings).toEqual([]);
  }
  return documents.map(document => document.toJS());
}

/** The structure of a value: objects' keys and arrays' lengths, with leaves reduced to their type. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(shape);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return typeof value;
}

/** One kind per line, outside code blocks; inside them only that they are code. */
function markdownShape(text: string): string[] {
  let inCode = false;
  return text.split('\n').map(line => {
    if (/^\s*(```|~~~)/.test(line)) {
      inCode = !inCode;
      return 'fence';
    }
    if (inCode) {
      return 'code';
    }
    const heading = /^(#{1,6}) /.exec(line);
    if (heading) {
      return `h${heading[1].length}`;
    }
    if (line.startsWith('|')) {
      return `table:${line.split('|').length}`;
    }
    if (/^\s*- /.test(line)) {
      return 'list';
    }
    return line.trim() === '' ? 'blank' : 'text';
  });
}

/** The fenced code blocks of a Markdown file, by language. */
function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .filter(([, lang]) => lang === language)
    .map(([, , body]) => body);
}

/** The string literal `const <name> = "...";` holds, proving the TypeScript parses and the value round-trips. */
function tsStringConstant(source: string, name: string): string {
  const { diagnostics } = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS },
  });
  expect(
    diagnostics?.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  ).toEqual([]);
  const file = ts.createSourceFile('config.ts', source, ts.ScriptTarget.ES2022);
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.name.text === name
        ) {
          const initializer = declaration.initializer;
          if (initializer && ts.isStringLiteral(initializer)) {
            return initializer.text;
          }
        }
      }
    }
  }
  throw new Error(`No string constant ${name}`);
}

/** The parts of the deploy workflow the tests look at. */
interface Workflow {
  env: Record<string, string>;
  jobs: {
    test: { steps: { uses?: string; with?: Record<string, string> }[] };
    deploy: {
      if: string;
      environment: string;
      permissions: Record<string, string>;
      steps: {
        uses?: string;
        with?: Record<string, string>;
        env?: Record<string, string>;
        run?: string;
      }[];
    };
  };
}

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

async function validateEntity(entity: Entity): Promise<void> {
  const validated = await policy.enforce(entity);
  expect(validated).toBeDefined();
  const validator =
    entity.kind === 'Component'
      ? componentEntityV1alpha1Validator
      : resourceEntityV1alpha1Validator;
  await expect(validator.check(entity)).resolves.toBe(true);
}

describe('skeleton rendered by fetch:template', () => {
  let files: Map<string, string>;

  beforeAll(async () => {
    files = await render(VALUES);
  });

  it('renders every file and leaves no template syntax behind', () => {
    expect([...files.keys()].sort()).toEqual(EXPECTED_FILES);
    for (const [name, content] of files) {
      expect({
        name,
        leftovers: content.match(/\$\{\{\s*values|\{%|%\}|\{#|#\}/g),
      }).toEqual({ name, leftovers: null });
    }
  });

  it('writes a valid Component and two Resources with their relations and stack annotations', async () => {
    const [component, database, secret, applicationSecret, ...others] =
      parseYaml(file(files, 'catalog-info.yaml')) as Entity[];
    expect(others).toEqual([]);
    for (const entity of [component, database, secret, applicationSecret]) {
      await validateEntity(entity);
      expect(entity.metadata.annotations).toMatchObject({
        [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'orders-api-prod',
        [ANNOTATION_CLOUDFORMATION_REGION]: 'eu-west-1',
        [ANNOTATION_AWS_ACCOUNT_ID]: '012345678901',
      });
      expect(entity.spec).toMatchObject({
        owner: 'group:default/payments-team',
        system: 'system:default/payments',
      });
    }

    expect(component).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'orders-api',
        description: 'Orders API for the payments team',
        annotations: {
          'backstage.io/techdocs-ref': 'dir:.',
          'backstage.io/source-template':
            'template:default/aws-fargate-rds-service',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        // secrets-manager mode: the master secret (read by the bootstrap container only) and the application user's secret.
        dependsOn: [
          'resource:orders-api-prod',
          'resource:orders-api-prod-database',
          'resource:orders-api-prod-application',
        ],
      },
    });
    expect(getEntitySourceLocation(component)).toEqual({
      type: 'url',
      target: 'https://github.com/acme/orders-api/tree/main/',
    });
    expect(component.metadata.links?.map(link => link.url)).toEqual([
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/stackinfo?stackId=orders-api-prod',
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters?region=eu-west-1',
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups',
    ]);

    expect(database).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'orders-api-prod' },
      spec: { type: 'database' },
    });
    expect(secret).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'orders-api-prod-database' },
      spec: { type: 'secret' },
    });
    // The database is created from the secret's password.
    expect(database.spec?.dependsOn).toEqual([
      'resource:orders-api-prod-database',
    ]);
    expect(secret.spec?.dependsOn).toBeUndefined();
    expect(applicationSecret).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'orders-api-prod-application' },
      spec: { type: 'secret' },
    });
    expect(applicationSecret.spec?.dependsOn).toEqual([
      'resource:orders-api-prod',
      'resource:orders-api-prod-database',
    ]);
  });

  it('points TechDocs at the generated architecture page and renders Mermaid', () => {
    const [mkdocs] = parseYaml(file(files, 'mkdocs.yml')) as [
      Record<string, unknown>,
    ];
    const pages = (mkdocs.nav as Record<string, string>[]).map(
      entry => Object.values(entry)[0],
    );
    expect(pages).toContain('architecture.md');
    for (const page of pages.filter(page => page !== 'architecture.md')) {
      expect(files.has(`docs/${page}`)).toBe(true);
    }
    // Plain mkdocs with mkdocs-material, as the portal's TechDocs builder runs it (no PyPI-only techdocs-core).
    expect(mkdocs.plugins).toBeUndefined();
    expect(mkdocs.theme).toEqual({ name: 'material' });
    expect(mkdocs.markdown_extensions).toEqual([
      {
        'pymdownx.superfences': {
          custom_fences: [
            {
              name: 'mermaid',
              class: 'mermaid',
              format: 'python/name:pymdownx.superfences.fence_code_format',
            },
          ],
        },
      },
    ]);
  });

  it("builds its docs with the mkdocs on the machine's PATH, as the portal's TechDocs builder does", async () => {
    const site = fs.mkdtempSync(path.join(os.tmpdir(), 'skeleton-docs-'));
    try {
      for (const [name, content] of files) {
        if (name !== 'mkdocs.yml' && !name.startsWith('docs/')) continue;
        fs.mkdirSync(path.dirname(path.join(site, name)), { recursive: true });
        fs.writeFileSync(path.join(site, name), content);
      }
      // Written by the generate action, not the skeleton.
      fs.writeFileSync(
        path.join(site, 'docs/architecture.md'),
        '# Architecture\n',
      );
      // --strict: a broken link or nav entry fails the build.
      await promisify(execFile)('mkdocs', ['build', '--strict', '-d', 'site'], {
        cwd: site,
      }).catch(error => {
        throw new Error(
          `mkdocs build failed (.ci/run installs Debian's mkdocs and mkdocs-material): ${error.message}\n${error.stderr ?? ''}`,
        );
      });
      const index = fs.readFileSync(path.join(site, 'site/index.html'), 'utf8');
      expect(index).toContain('<h1 id="orders-api">orders-api</h1>');
      expect(index).toContain('md-content');
    } finally {
      fs.rmSync(site, { recursive: true, force: true });
    }
  });

  it('writes a workflow that keeps GitHub expressions and uses an OIDC role, not keys', () => {
    const text = file(files, '.github/workflows/deploy.yml');
    const [workflow] = parseYaml(text) as [Workflow];
    expect(workflow.env).toEqual({
      AWS_REGION: 'eu-west-1',
      STACK_NAME: 'orders-api-prod',
    });
    expect(workflow.jobs.deploy.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
    });
    expect(workflow.jobs.deploy.environment).toBe('prod');
    expect(workflow.jobs.deploy.if).toBe(
      "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)",
    );

    const steps = workflow.jobs.deploy.steps;
    const credentials = steps.find(step =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials'),
    );
    expect(credentials?.with).toEqual({
      'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
      'aws-region': '${{ env.AWS_REGION }}',
    });
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key/);

    const update = steps.find(step => step.run?.includes('create-change-set'));
    expect(update?.env).toEqual({ IMAGE: '${{ steps.image.outputs.image }}' });
    expect(update?.run).toContain('UsePreviousValue: true');
    expect(update?.run).toContain('ContainerImage');
  });

  it("builds, tests and runs on the portal's own Node.js LTS", () => {
    const lts = fs
      .readFileSync(path.join(__dirname, '..', '.nvmrc'), 'utf8')
      .trim();
    expect(file(files, '.nvmrc').trim()).toBe(lts);
    const fromLines = file(files, 'Dockerfile').match(/^FROM .*$/gm) ?? [];
    expect(fromLines).toHaveLength(2);
    for (const line of fromLines) expect(line).toContain(`/node:${lts}-slim`);
    const [workflow] = parseYaml(
      file(files, '.github/workflows/deploy.yml'),
    ) as [Workflow];
    const setupNode = workflow.jobs.test.steps.find(step =>
      step.uses?.startsWith('actions/setup-node'),
    );
    expect(setupNode?.with).toMatchObject({ 'node-version-file': '.nvmrc' });
    const manifest = JSON.parse(file(files, 'package.json')) as {
      engines: { node: string };
    };
    expect(manifest.engines.node).toBe('>=22.12');
  });

  it('writes TypeScript that parses and carries the generated defaults', () => {
    const config = file(files, 'src/config.ts');
    expect(tsStringConstant(config, 'SERVICE_NAME')).toBe('orders-api');
    expect(tsStringConstant(config, 'GENERATED_DB_ENGINE')).toBe('postgres');
    expect(tsStringConstant(config, 'GENERATED_PORT')).toBe('8080');
    expect(tsStringConstant(config, 'GENERATED_HEALTH_CHECK_PATH')).toBe(
      '/ping',
    );
    expect(file(files, 'Dockerfile')).toMatch(/^EXPOSE 8080$/m);
  });

  it('fills the policies in infra/README.md with the stack, account and repository', () => {
    const policies = codeBlocks(file(files, 'infra/README.md'), 'json').map(
      block => JSON.parse(block),
    );
    expect(policies).toHaveLength(2);
    const [trust, permissions] = policies;
    expect(
      trust.Statement[0].Condition.StringEquals[
        'token.actions.githubusercontent.com:sub'
      ],
    ).toBe('repo:acme/orders-api:environment:prod');
    expect(trust.Statement[0].Principal.Federated).toBe(
      'arn:aws:iam::012345678901:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(permissions.Statement[0].Resource).toBe(
      'arn:aws:cloudformation:eu-west-1:012345678901:stack/orders-api-prod/*',
    );
  });

  it('makes the secret depend on the database when RDS manages the credentials', async () => {
    const rdsManaged = await render({
      ...VALUES,
      credentialMode: 'rds-managed',
      ...generated({ databaseEngine: 'mysql', credentialsMode: 'rds-managed' }),
      system: '',
      sourceLocation: '',
    });
    const [component, database, secret, ...others] = parseYaml(
      file(rdsManaged, 'catalog-info.yaml'),
    ) as Entity[];
    expect(others).toEqual([]);
    for (const entity of [component, database, secret]) {
      await validateEntity(entity);
      expect(entity.spec?.system).toBeUndefined();
    }
    expect(
      component.metadata.annotations?.['backstage.io/source-location'],
    ).toBeUndefined();
    expect(database.spec?.dependsOn).toBeUndefined();
    expect(secret.spec?.dependsOn).toEqual(['resource:orders-api-prod']);
    expect(database.metadata.description).toMatch(/^MySQL database/);
    expect(file(rdsManaged, 'docs/credentials.md')).toContain(
      '**RDS-managed secret.**',
    );
  });

  it('renders valid files when the optional values are left out', async () => {
    const optional = [
      'description',
      'system',
      'sourceLocation',
      'awsAccountId',
      'templateRef',
      'containerPort',
      'healthCheckPath',
    ];
    const minimal = await render(
      Object.fromEntries(
        Object.entries(VALUES).filter(([key]) => !optional.includes(key)),
      ),
    );
    const [component, ...resources] = parseYaml(
      file(minimal, 'catalog-info.yaml'),
    ) as Entity[];
    for (const entity of [component, ...resources]) {
      await validateEntity(entity);
      expect(
        entity.metadata.annotations?.[ANNOTATION_AWS_ACCOUNT_ID],
      ).toBeUndefined();
    }
    expect(component.metadata.description).toBeUndefined();
    expect(component.spec?.system).toBeUndefined();
    const config = file(minimal, 'src/config.ts');
    expect(tsStringConstant(config, 'GENERATED_PORT')).toBe('8080');
    expect(tsStringConstant(config, 'GENERATED_HEALTH_CHECK_PATH')).toBe(
      '/healthz',
    );
    expect(file(minimal, 'Dockerfile')).toMatch(/^EXPOSE 8080$/m);
    for (const name of ['mkdocs.yml', '.github/workflows/deploy.yml']) {
      expect(() => parseYaml(file(minimal, name))).not.toThrow();
    }
  });

  describe('with hostile values', () => {
    const freeText = Object.keys(VALUES).filter(
      key => typeof VALUES[key] !== 'object' && key !== 'credentialMode',
    );
    // The catalog's texts and names, as if the model gave hostile ones; its console URLs stay as built (encoded).
    const { catalog } = VALUES as unknown as TemplateFacts;
    const hostileEntity = <
      T extends { tags: string[]; links: { title: string }[] },
    >(
      entity: T,
      field: string,
    ): T => ({
      ...entity,
      tags: entity.tags.map((_, i) => hostile(`${field}.tags.${i}`)),
      links: entity.links.map((link, i) => ({
        ...link,
        title: hostile(`${field}.links.${i}`),
      })),
    });
    const hostileResources = catalog.resources.map((resource, i) => ({
      ...hostileEntity(resource, `resources.${i}`),
      name: hostile(`resources.${i}.name`),
      description: hostile(`resources.${i}.description`),
    }));
    const refOf = (name: string) => `resource:${name}`;
    const hostileCatalog: TemplateFacts['catalog'] = {
      component: {
        ...hostileEntity(catalog.component, 'component'),
        dependsOn: hostileResources.map(resource => refOf(resource.name)),
      },
      resources: hostileResources.map((resource, i) => ({
        ...resource,
        dependsOn: catalog.resources[i].dependsOn.map(ref =>
          refOf(
            hostileResources[
              catalog.resources.findIndex(other => refOf(other.name) === ref)
            ].name,
          ),
        ),
      })),
    };
    const hostileValues: Values = {
      ...VALUES,
      ...Object.fromEntries(freeText.map(key => [key, hostile(key)])),
      catalog: hostileCatalog,
    };
    let hostileFiles: Map<string, string>;

    beforeAll(async () => {
      hostileFiles = await render(hostileValues);
    });

    it('renders the same files', () => {
      expect([...hostileFiles.keys()].sort()).toEqual(EXPECTED_FILES);
    });

    it.each([
      'catalog-info.yaml',
      'mkdocs.yml',
      '.github/workflows/deploy.yml',
      'package.json',
      'tsconfig.json',
    ])('keeps the structure of %s', name => {
      const parse = (text: string) =>
        name.endsWith('.json') ? [JSON.parse(text)] : parseYaml(text);
      expect(shape(parse(file(hostileFiles, name)))).toEqual(
        shape(parse(file(files, name))),
      );
    });

    it('keeps the structure of every Markdown file and of its code blocks', () => {
      for (const name of EXPECTED_FILES.filter(n => n.endsWith('.md'))) {
        const benign = file(files, name);
        const rendered = file(hostileFiles, name);
        expect({ name, shape: markdownShape(rendered) }).toEqual({
          name,
          shape: markdownShape(benign),
        });
        for (const language of ['yaml', 'json']) {
          const parse = (block: string) =>
            language === 'json' ? JSON.parse(block) : parseYaml(block);
          expect(
            codeBlocks(rendered, language).map(block => shape(parse(block))),
          ).toEqual(
            codeBlocks(benign, language).map(block => shape(parse(block))),
          );
        }
        // Outside code, values appear only reduced to name characters: no markup, no shell.
        const prose = rendered
          .split('\n')
          .filter((_, i) => markdownShape(rendered)[i] !== 'code')
          .join('\n');
        expect(prose).not.toMatch(/<script|\$\(id\)|!Ref/);
      }
    });

    it('round-trips every value into the catalog entities', () => {
      const [component, database, secret, applicationSecret] = parseYaml(
        file(hostileFiles, 'catalog-info.yaml'),
      ) as Entity[];
      expect(component.metadata.name).toBe(hostileValues.name);
      expect(component.metadata.description).toBe(hostileValues.description);
      expect(component.spec).toMatchObject({
        owner: hostileValues.owner,
        system: hostileValues.system,
        lifecycle: hostileValues.lifecycle,
        dependsOn: hostileResources.map(resource => refOf(resource.name)),
      });
      expect(component.metadata.annotations).toMatchObject({
        [ANNOTATION_CLOUDFORMATION_STACK_NAME]: hostileValues.stackName,
        [ANNOTATION_CLOUDFORMATION_REGION]: hostileValues.awsRegion,
        [ANNOTATION_AWS_ACCOUNT_ID]: hostileValues.awsAccountId,
        'backstage.io/source-location': hostileValues.sourceLocation,
        'backstage.io/source-template': hostileValues.templateRef,
      });
      expect(
        [database, secret, applicationSecret].map(entity => ({
          name: entity.metadata.name,
          description: entity.metadata.description,
          dependsOn: entity.spec?.dependsOn,
        })),
      ).toEqual(
        hostileCatalog.resources.map(resource => ({
          name: resource.name,
          description: resource.description,
          dependsOn: resource.dependsOn.length ? resource.dependsOn : undefined,
        })),
      );
      expect(component.metadata.tags).toEqual(hostileCatalog.component.tags);
      // Values inside URLs are percent-encoded, so they cannot leave their URL either.
      for (const link of component.metadata.links ?? []) {
        expect(link.url).toMatch(/^https:\/\/[^\s"<>]+$/);
      }
    });

    it('round-trips values into the workflow, TypeScript and the policies', () => {
      const [workflow] = parseYaml(
        file(hostileFiles, '.github/workflows/deploy.yml'),
      ) as [Workflow];
      expect(workflow.env).toEqual({
        AWS_REGION: hostileValues.awsRegion,
        STACK_NAME: hostileValues.stackName,
      });
      expect(workflow.jobs.deploy.environment).toBe(hostileValues.environment);

      const config = file(hostileFiles, 'src/config.ts');
      expect(tsStringConstant(config, 'SERVICE_NAME')).toBe(hostileValues.name);
      expect(tsStringConstant(config, 'GENERATED_PORT')).toBe(
        hostileValues.containerPort,
      );
      expect(tsStringConstant(config, 'GENERATED_HEALTH_CHECK_PATH')).toBe(
        hostileValues.healthCheckPath,
      );

      const [trust] = codeBlocks(
        file(hostileFiles, 'infra/README.md'),
        'json',
      ).map(block => JSON.parse(block));
      expect(
        trust.Statement[0].Condition.StringEquals[
          'token.actions.githubusercontent.com:sub'
        ],
      ).toBe(
        `repo:${hostileValues.repoSlug}:environment:${hostileValues.environment}`,
      );

      const [facts] = parseYaml(
        codeBlocks(file(hostileFiles, 'docs/index.md'), 'yaml')[0],
      ) as [Record<string, string>];
      expect(facts.description).toBe(hostileValues.description);
    });

    it('keeps the Dockerfile to one instruction per line', () => {
      const dockerfile = file(hostileFiles, 'Dockerfile');
      expect(dockerfile.split('\n')).toHaveLength(
        file(files, 'Dockerfile').split('\n').length,
      );
      expect(dockerfile).toMatch(/^EXPOSE \d*$/m);
    });

    it('keeps YAML valid even with unexpected choices for the engine and credential mode', async () => {
      const odd = await render({
        ...hostileValues,
        database: {
          ...(VALUES.database as object),
          engine: hostile('dbEngine'),
        },
        catalog: {
          ...hostileCatalog,
          component: {
            ...hostileCatalog.component,
            tags: [hostile('dbEngine')],
          },
        },
        credentialMode: hostile('credentialMode'),
      });
      for (const name of [
        'catalog-info.yaml',
        'mkdocs.yml',
        '.github/workflows/deploy.yml',
      ]) {
        expect(() => parseYaml(file(odd, name))).not.toThrow();
      }
      const [component] = parseYaml(file(odd, 'catalog-info.yaml')) as Entity[];
      expect(component.metadata.tags).toContain(hostile('dbEngine'));
    });
  });
});
