import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The workspace's dependency direction, checked over package.json files and the imports of every
 * source file: `common ← node ← {scaffolder modules, card backend}`, the frontend plugin on
 * `common` alone, scaffolder modules only in `packages/backend`, no cycles, no library on
 * `packages/*`, and no import by path into another package.
 */

/** `backstage.role` of a workspace package.json. */
export type PackageRole =
  | 'common-library'
  | 'node-library'
  | 'backend-plugin'
  | 'backend-plugin-module'
  | 'frontend-plugin'
  | 'backend'
  | 'frontend';

export interface WorkspacePackage {
  name: string;
  /** Repository-relative, e.g. `plugins/cloudformation-node`. */
  dir: string;
  role: string;
  /** Workspace package names only. */
  dependencies: string[];
  devDependencies: string[];
  /** Subpaths of `exports` (`.`, `./testUtils`), when the package declares them. */
  exports?: string[];
}

export interface SourceImport {
  /** Repository-relative path of the importing file. */
  file: string;
  /** The module specifier as written. */
  specifier: string;
}

export interface WorkspaceTree {
  packages: WorkspacePackage[];
  imports: SourceImport[];
}

/** Which roles a package of each role may list in `dependencies` (and so import at run time). */
const MAY_DEPEND_ON: Record<PackageRole, readonly PackageRole[]> = {
  'common-library': [],
  'node-library': ['common-library'],
  'backend-plugin': ['common-library', 'node-library'],
  'backend-plugin-module': ['common-library', 'node-library'],
  'frontend-plugin': ['common-library'],
  // The backend serves the app's bundle, so it lists the app package.
  backend: [
    'common-library',
    'node-library',
    'backend-plugin',
    'backend-plugin-module',
    'frontend',
  ],
  frontend: ['common-library', 'frontend-plugin'],
};

/**
 * What a package may add for its tests only. The blueprint's tests run the CloudFormation
 * module's validator over what they generate; a devDependency is never installed with it.
 */
const MAY_DEV_DEPEND_ON: Partial<Record<PackageRole, readonly PackageRole[]>> =
  {
    'backend-plugin-module': ['backend-plugin-module'],
  };

/** Test code, which may import a package's devDependencies. */
const TEST_FILE = /(\.test\.tsx?$|\/testUtils\/)/;

/** Every way the tree breaks the dependency direction, one sentence each; empty when it holds. */
export function checkDependencyDirection(tree: WorkspaceTree): string[] {
  return [
    ...checkPackageEdges(tree.packages),
    ...findCycles(tree.packages),
    ...checkImports(tree),
  ];
}

function isRole(role: string): role is PackageRole {
  return role in MAY_DEPEND_ON;
}

function checkPackageEdges(packages: WorkspacePackage[]): string[] {
  const byName = new Map(packages.map(pkg => [pkg.name, pkg]));
  const problems: string[] = [];
  for (const pkg of packages) {
    if (!isRole(pkg.role)) {
      problems.push(
        `${pkg.name} has backstage.role "${pkg.role}", which the dependency check does not know.`,
      );
      continue;
    }
    const edges = [
      ...pkg.dependencies.map(name => ({ name, dev: false })),
      ...pkg.devDependencies.map(name => ({ name, dev: true })),
    ];
    for (const { name, dev } of edges) {
      const target = byName.get(name);
      if (!target || !isRole(target.role)) continue;
      const allowed = [
        ...MAY_DEPEND_ON[pkg.role],
        ...(dev ? (MAY_DEV_DEPEND_ON[pkg.role] ?? []) : []),
      ];
      if (allowed.includes(target.role)) continue;
      const kind = dev ? 'devDependency' : 'dependency';
      if (isAppPackage(target) && !isAppPackage(pkg)) {
        problems.push(
          `${pkg.name} is a library but has the app package ${name} (${target.dir}) as a ${kind}.`,
        );
      } else if (target.role === 'backend-plugin-module') {
        problems.push(
          `${pkg.name} has the scaffolder module ${name} as a ${kind}; only packages/backend installs scaffolder modules.`,
        );
      } else {
        problems.push(
          `${pkg.name} (${pkg.role}) has ${name} (${target.role}) as a ${kind}; a ${pkg.role} may depend on ${describeRoles(allowed)}.`,
        );
      }
    }
  }
  return problems;
}

function isAppPackage(pkg: WorkspacePackage): boolean {
  return pkg.dir.startsWith('packages/');
}

function describeRoles(roles: readonly PackageRole[]): string {
  return roles.length > 0 ? roles.join(', ') : 'no workspace package';
}

function findCycles(packages: WorkspacePackage[]): string[] {
  const edges = new Map(
    packages.map(pkg => [
      pkg.name,
      [...pkg.dependencies, ...pkg.devDependencies],
    ]),
  );
  const cycles = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    const seen = trail.indexOf(name);
    if (seen >= 0) {
      const cycle = trail.slice(seen);
      // The same cycle is found from each of its members; report it from its smallest name.
      const start = cycle.indexOf([...cycle].sort()[0]);
      const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.add([...canonical, canonical[0]].join(' → '));
      return;
    }
    for (const next of edges.get(name) ?? []) {
      if (edges.has(next)) visit(next, [...trail, name]);
    }
  };
  for (const name of edges.keys()) visit(name, []);
  return [...cycles].map(cycle => `Dependency cycle: ${cycle}.`);
}

function checkImports(tree: WorkspaceTree): string[] {
  const packages = [...tree.packages].sort(
    (a, b) => b.dir.length - a.dir.length,
  );
  const byName = new Map(packages.map(pkg => [pkg.name, pkg]));
  const owner = (file: string) =>
    packages.find(pkg => file.startsWith(`${pkg.dir}/`));
  const problems: string[] = [];
  for (const { file, specifier } of tree.imports) {
    const from = owner(file);
    if (specifier.startsWith('.')) {
      const target = path.posix.join(path.posix.dirname(file), specifier);
      const into = owner(`${target}/`);
      if (into && into !== from) {
        problems.push(
          `${file} imports ${specifier}, a path into ${into.dir}; import ${into.name} by name instead.`,
        );
      }
      continue;
    }
    const name = packageNameOf(specifier);
    const target = byName.get(name);
    if (!target) continue;
    const subpath = specifier.slice(name.length).replace(/^\//, '');
    if (subpath === 'src' || subpath.startsWith('src/')) {
      problems.push(
        `${file} imports ${specifier}, inside ${name}'s src/; import what the package exports.`,
      );
    } else if (
      subpath &&
      target.exports &&
      !target.exports.includes(`./${subpath}`)
    ) {
      problems.push(
        `${file} imports ${specifier}, which ${name} does not export (its exports: ${target.exports.join(', ')}).`,
      );
    }
    if (!from || from === target) continue;
    const declared = from.dependencies.includes(name);
    const declaredForTests = from.devDependencies.includes(name);
    if (!declared && !(declaredForTests && TEST_FILE.test(file))) {
      problems.push(
        declaredForTests
          ? `${file} imports ${name}, a devDependency of ${from.name}, outside test code.`
          : `${file} imports ${name}, which ${from.name} does not list in its package.json.`,
      );
    }
  }
  return problems;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Folders whose source files are checked; each holds packages or plain test and bench code. */
export const CHECKED_FOLDERS = ['plugins', 'packages', 'e2e', 'bench'];

const SOURCE_FILE = /\.(ts|tsx|js|mjs|cjs)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);

/** Reads the workspace's package.json files and the imports of every source file below `root`. */
export function readWorkspaceTree(root: string): WorkspaceTree {
  const rootManifest = readJson(path.join(root, 'package.json'));
  const dirs = (rootManifest.workspaces as string[]).flatMap(pattern => {
    const parent = pattern.replace(/\/\*$/, '');
    return readdirSync(path.join(root, parent))
      .map(entry => `${parent}/${entry}`)
      .filter(dir => statSafe(path.join(root, dir, 'package.json')));
  });
  const manifests = dirs.map(dir => ({
    dir,
    json: readJson(path.join(root, dir, 'package.json')),
  }));
  const names = new Set(manifests.map(({ json }) => json.name as string));
  const workspaceNames = (deps: unknown) =>
    Object.keys((deps as Record<string, string> | undefined) ?? {}).filter(
      name => names.has(name),
    );
  const packages = manifests.map(({ dir, json }): WorkspacePackage => ({
    name: json.name as string,
    dir,
    role: (json.backstage as { role?: string } | undefined)?.role ?? '',
    dependencies: workspaceNames(json.dependencies),
    devDependencies: workspaceNames(json.devDependencies),
    ...(json.exports && typeof json.exports === 'object'
      ? { exports: Object.keys(json.exports) }
      : {}),
  }));
  const imports = CHECKED_FOLDERS.flatMap(folder =>
    sourceFiles(root, folder),
  ).flatMap(file =>
    ts
      .preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true)
      .importedFiles.map(({ fileName }) => ({ file, specifier: fileName })),
  );
  return { packages, imports };
}

function sourceFiles(root: string, dir: string): string[] {
  if (!statSafe(path.join(root, dir))) return [];
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap(
    entry => {
      const child = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(root, child);
      }
      return entry.isFile() && SOURCE_FILE.test(entry.name) ? [child] : [];
    },
  );
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function statSafe(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
