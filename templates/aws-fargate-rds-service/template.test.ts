import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { DATABASE_ENGINES } from '@golden-path/plugin-cloudformation-common';

type SchemaNode = {
  [key: string]: unknown;
  enum?: unknown[];
  enumNames?: unknown[];
};

/** Every schema node below `node` that offers an enum. */
function enums(node: unknown, found: SchemaNode[] = []): SchemaNode[] {
  if (node && typeof node === 'object') {
    const schema = node as SchemaNode;
    if (Array.isArray(schema.enum)) found.push(schema);
    Object.values(schema).forEach(child => enums(child, found));
  }
  return found;
}

describe('the golden-path template form', () => {
  it('names every choice it offers (YAML flow lists split titles at commas)', async () => {
    const template = parse(
      await readFile(path.join(__dirname, 'template.yaml'), 'utf8'),
    );
    const offered = enums(template.spec.parameters).filter(
      schema => schema.enumNames,
    );
    expect(offered.length).toBeGreaterThan(5);
    for (const schema of offered) {
      expect({
        enum: schema.enum,
        enumNames: schema.enumNames?.length,
      }).toEqual({
        enum: schema.enum,
        enumNames: schema.enum!.length,
      });
    }
  });

  it('offers the engines of the table, by their labels, with their default versions', async () => {
    const template = parse(
      await readFile(path.join(__dirname, 'template.yaml'), 'utf8'),
    );
    const database = template.spec.parameters.find(
      (page: { title: string }) => page.title === 'Database',
    ).properties;
    const engines = Object.values(DATABASE_ENGINES);
    expect(database.databaseEngine).toMatchObject({
      enum: engines.map(engine => engine.id),
      enumNames: engines.map(engine => engine.label),
      default: engines[0].id,
    });
    for (const engine of engines)
      expect(database.databaseEngineVersion.description).toContain(
        `${engine.label} ${engine.defaultVersion}`,
      );
  });
});

describe("the template's own docs", () => {
  it('build with plain mkdocs, as the portal builds them for "How the golden path works"', async () => {
    const site = await mkdtemp(path.join(os.tmpdir(), 'template-docs-'));
    try {
      // --strict: a broken link, a nav entry or a plugin that is not installed fails the build.
      await promisify(execFile)(
        'mkdocs',
        [
          'build',
          '--strict',
          '-f',
          path.join(__dirname, 'mkdocs.yml'),
          '-d',
          site,
        ],
        { cwd: __dirname },
      ).catch(error => {
        throw new Error(
          `mkdocs build failed (.ci/run installs Debian's mkdocs and mkdocs-material): ${error.message}\n${error.stderr ?? ''}`,
        );
      });
      const index = await readFile(path.join(site, 'index.html'), 'utf8');
      expect(index).toContain('md-content');
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });
});
