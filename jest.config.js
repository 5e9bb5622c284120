// One jest run for the whole workspace: backend code in node, frontend plugins in jsdom.
// The skeleton holds the generated repository's own tests; they run inside a rendered copy of it.
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
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/skeleton/', '<rootDir>/data/'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'backend',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{packages,plugins,templates,bench,e2e}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'frontend',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/{packages,plugins}/**/*.test.tsx'],
    },
  ],
};
