import path from 'node:path';
import {
  checkDependencyDirection,
  readWorkspaceTree,
  type WorkspacePackage,
  type WorkspaceTree,
} from './dependencies';

const COMMON = '@golden-path/plugin-cloudformation-common';
const NODE = '@golden-path/plugin-cloudformation-node';
const CARD = '@golden-path/plugin-cloudformation';
const CARD_BACKEND = '@golden-path/plugin-cloudformation-backend';
const DEPLOY_MODULE =
  '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
const BLUEPRINT_MODULE =
  '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
const LOCAL_PUBLISH_MODULE =
  '@golden-path/plugin-scaffolder-backend-module-local-publish';

function pkg(
  name: string,
  dir: string,
  role: string,
  dependencies: string[] = [],
  devDependencies: string[] = [],
  exports?: string[],
): WorkspacePackage {
  return {
    name,
    dir,
    role,
    dependencies,
    devDependencies,
    ...(exports ? { exports } : {}),
  };
}

/** The workspace as it should be, with one import of every allowed kind. */
function healthyTree(): WorkspaceTree {
  return {
    packages: [
      pkg(COMMON, 'plugins/cloudformation-common', 'common-library'),
      pkg(
        NODE,
        'plugins/cloudformation-node',
        'node-library',
        [COMMON],
        [],
        ['.', './testUtils', './package.json'],
      ),
      pkg(CARD, 'plugins/cloudformation', 'frontend-plugin', [COMMON]),
      pkg(CARD_BACKEND, 'plugins/cloudformation-backend', 'backend-plugin', [
        COMMON,
        NODE,
      ]),
      pkg(
        DEPLOY_MODULE,
        'plugins/scaffolder-backend-module-aws-cloudformation',
        'backend-plugin-module',
        [COMMON, NODE],
      ),
      pkg(
        BLUEPRINT_MODULE,
        'plugins/scaffolder-backend-module-aws-fargate-service',
        'backend-plugin-module',
        [COMMON, NODE],
        [DEPLOY_MODULE],
      ),
      pkg('app', 'packages/app', 'frontend', [CARD, COMMON]),
      pkg('backend', 'packages/backend', 'backend', [
        'app',
        CARD_BACKEND,
        DEPLOY_MODULE,
        BLUEPRINT_MODULE,
      ]),
    ],
    imports: [
      {
        file: 'plugins/cloudformation-node/src/rootCause.ts',
        specifier: COMMON,
      },
      {
        file: 'plugins/cloudformation-node/src/rootCause.ts',
        specifier: './stackEvents',
      },
      {
        file: 'plugins/cloudformation-backend/src/service/readStack.ts',
        specifier: NODE,
      },
      {
        file: 'plugins/scaffolder-backend-module-aws-fargate-service/src/blueprint/matrix.test.ts',
        specifier: DEPLOY_MODULE,
      },
      {
        file: 'plugins/scaffolder-backend-module-aws-cloudformation/src/deploy/CloudFormationDeployer.ts',
        specifier: '../validation',
      },
      { file: 'e2e/crash-recovery.test.ts', specifier: `${NODE}/testUtils` },
      { file: 'packages/backend/src/backend.ts', specifier: DEPLOY_MODULE },
      {
        file: 'plugins/cloudformation/src/components/status.tsx',
        specifier: '@material-ui/core',
      },
    ],
  };
}

type Planting = (tree: WorkspaceTree) => void;

const packageNamed = (tree: WorkspaceTree, name: string) =>
  tree.packages.find(candidate => candidate.name === name)!;
const importing =
  (file: string, specifier: string): Planting =>
  tree => {
    tree.imports.push({ file, specifier });
  };

describe('checkDependencyDirection', () => {
  it('finds nothing wrong with a tree that keeps the direction', () => {
    expect(checkDependencyDirection(healthyTree())).toEqual([]);
  });

  it.each<[string, Planting, string[]]>([
    [
      'common depending on node',
      tree => packageNamed(tree, COMMON).dependencies.push(NODE),
      [
        `${COMMON} (common-library) has ${NODE} (node-library) as a dependency; a common-library may depend on no workspace package.`,
        `Dependency cycle: ${COMMON} → ${NODE} → ${COMMON}.`,
      ],
    ],
    [
      'the frontend plugin depending on node',
      tree => packageNamed(tree, CARD).dependencies.push(NODE),
      [
        `${CARD} (frontend-plugin) has ${NODE} (node-library) as a dependency; a frontend-plugin may depend on common-library.`,
      ],
    ],
    [
      'the card backend depending on a scaffolder module',
      tree => packageNamed(tree, CARD_BACKEND).dependencies.push(DEPLOY_MODULE),
      [
        `${CARD_BACKEND} has the scaffolder module ${DEPLOY_MODULE} as a dependency; only packages/backend installs scaffolder modules.`,
      ],
    ],
    [
      'a scaffolder module depending on another at run time',
      tree =>
        packageNamed(tree, BLUEPRINT_MODULE).dependencies.push(DEPLOY_MODULE),
      [
        `${BLUEPRINT_MODULE} has the scaffolder module ${DEPLOY_MODULE} as a dependency; only packages/backend installs scaffolder modules.`,
      ],
    ],
    [
      'node depending on a scaffolder module for its tests',
      tree => packageNamed(tree, NODE).devDependencies.push(DEPLOY_MODULE),
      [
        `${NODE} has the scaffolder module ${DEPLOY_MODULE} as a devDependency; only packages/backend installs scaffolder modules.`,
        `Dependency cycle: ${NODE} → ${DEPLOY_MODULE} → ${NODE}.`,
      ],
    ],
    [
      'a library depending on packages/backend',
      tree =>
        tree.packages.push(
          pkg(
            LOCAL_PUBLISH_MODULE,
            'plugins/scaffolder-backend-module-local-publish',
            'backend-plugin-module',
            [],
            ['backend'],
          ),
        ),
      [
        `${LOCAL_PUBLISH_MODULE} is a library but has the app package backend (packages/backend) as a devDependency.`,
      ],
    ],
    [
      'two scaffolder modules needing each other for their tests',
      tree =>
        packageNamed(tree, DEPLOY_MODULE).devDependencies.push(
          BLUEPRINT_MODULE,
        ),
      [
        `Dependency cycle: ${DEPLOY_MODULE} → ${BLUEPRINT_MODULE} → ${DEPLOY_MODULE}.`,
      ],
    ],
    [
      'a package of a role the check does not know',
      tree => tree.packages.push(pkg('stray', 'plugins/stray', 'web-library')),
      [
        'stray has backstage.role "web-library", which the dependency check does not know.',
      ],
    ],
    [
      'a relative import into another package’s src/',
      importing(
        'e2e/retire-ui.test.ts',
        '../plugins/scaffolder-backend-module-aws-cloudformation/src/testUtils',
      ),
      [
        `e2e/retire-ui.test.ts imports ../plugins/scaffolder-backend-module-aws-cloudformation/src/testUtils, a path into plugins/scaffolder-backend-module-aws-cloudformation; import ${DEPLOY_MODULE} by name instead.`,
      ],
    ],
    [
      'a package importing a sibling by path',
      importing(
        'plugins/cloudformation-backend/src/service/readStack.ts',
        '../../../cloudformation-node/src/rootCause',
      ),
      [
        `plugins/cloudformation-backend/src/service/readStack.ts imports ../../../cloudformation-node/src/rootCause, a path into plugins/cloudformation-node; import ${NODE} by name instead.`,
      ],
    ],
    [
      'a package name followed by /src/',
      importing(
        'plugins/cloudformation-backend/src/service/readStack.ts',
        `${NODE}/src/rootCause`,
      ),
      [
        `plugins/cloudformation-backend/src/service/readStack.ts imports ${NODE}/src/rootCause, inside ${NODE}'s src/; import what the package exports.`,
      ],
    ],
    [
      'a subpath the package does not export',
      importing('e2e/replicas.test.ts', `${NODE}/values`),
      [
        `e2e/replicas.test.ts imports ${NODE}/values, which ${NODE} does not export (its exports: ., ./testUtils, ./package.json).`,
      ],
    ],
    [
      'an import of a workspace package the package.json does not list',
      importing('plugins/cloudformation/src/plugin.ts', NODE),
      [
        `plugins/cloudformation/src/plugin.ts imports ${NODE}, which ${CARD} does not list in its package.json.`,
      ],
    ],
    [
      'a devDependency imported by code that ships',
      importing(
        'plugins/scaffolder-backend-module-aws-fargate-service/src/module.ts',
        DEPLOY_MODULE,
      ),
      [
        `plugins/scaffolder-backend-module-aws-fargate-service/src/module.ts imports ${DEPLOY_MODULE}, a devDependency of ${BLUEPRINT_MODULE}, outside test code.`,
      ],
    ],
  ])('reports %s', (_case, plant, expected) => {
    const tree = healthyTree();
    plant(tree);
    expect(checkDependencyDirection(tree)).toEqual(expected);
  });
});

describe('the workspace', () => {
  const tree = readWorkspaceTree(path.resolve(__dirname, '..'));

  it('reads every workspace package and the imports of plugins/, packages/, e2e/ and bench/', () => {
    expect(tree.packages.map(({ name }) => name)).toEqual(
      expect.arrayContaining([COMMON, NODE, CARD, CARD_BACKEND, DEPLOY_MODULE]),
    );
    for (const folder of ['plugins/', 'packages/', 'e2e/', 'bench/']) {
      expect(tree.imports.some(({ file }) => file.startsWith(folder))).toBe(
        true,
      );
    }
  });

  it('keeps the dependency direction', () => {
    expect(checkDependencyDirection(tree)).toEqual([]);
  });
});
