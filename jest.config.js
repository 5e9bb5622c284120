// One jest run for the whole workspace: backend code in node, frontend plugins in jsdom.
// A template's skeleton holds the generated repository's own tests; they run inside a rendered copy of it.
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic' } },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const common = {
  rootDir: __dirname,
  transform,
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    '<rootDir>/templates/[^/]+/skeleton/',
    '<rootDir>/data/',
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'backend',
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/{packages,plugins,templates,bench,e2e,scripts}/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'frontend',
      testEnvironment: '<rootDir>/jest/jsdomEnvironment.js',
      testMatch: ['<rootDir>/{packages,plugins}/**/*.test.tsx'],
      // Backstage's frontend packages ship ES modules: transform them, as backstage-cli's jest config does.
      transform: {
        ...transform,
        '\\.mjs$': transform['^.+\\.(t|j)sx?$'],
        '\\.(bmp|gif|jpg|jpeg|png|ico|webp|svg|eot|woff|woff2|ttf)$':
          require.resolve('@backstage/cli-module-test-jest/config/jestFileTransform.js'),
      },
      moduleNameMapper: {
        '\\.(css|less|scss|sss|styl)$': require.resolve('jest-css-modules'),
      },
      transformIgnorePatterns: [
        '/node_modules/(?:@material-ui|ajv|core-js|jest-.*|jsdom|knex|react|react-dom|highlight\\.js|prismjs|json-schema|react-use/lib|typescript)/',
      ],
    },
  ],
};
