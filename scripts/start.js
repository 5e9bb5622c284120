#!/usr/bin/env node
// Starts the local portal: builds the UI when its build is missing or stale, then the backend (which
// serves that UI) with the repo's app-config.yaml (and a git-ignored app-config.local.yaml when present)
// under any `--config FILE` the caller adds.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { buildAppIfStale } = require('./build-app');

const root = path.resolve(__dirname, '..');
const env = { ...process.env };

if (!env.BACKEND_TOKEN) {
  env.BACKEND_TOKEN = randomBytes(24).toString('base64url');
  console.log(
    `BACKEND_TOKEN is not set: this run accepts the generated token ${env.BACKEND_TOKEN}\n` +
      '(set BACKEND_TOKEN yourself to choose one)',
  );
}

// Backstage loads only the files named by --config once any is given, so name the defaults too.
const configArgs = ['--config', 'app-config.yaml'];
if (existsSync(path.join(root, 'app-config.local.yaml'))) {
  configArgs.push('--config', 'app-config.local.yaml');
}

// Stopping during the build stops the bundler; afterwards the signal goes to the backend.
const building = new AbortController();
let backend;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => (backend ? backend.kill(signal) : building.abort()));
}

buildAppIfStale({ signal: building.signal }).then(
  () => {
    backend = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'packages/backend/src/index.ts',
        ...configArgs,
        ...process.argv.slice(2),
      ],
      { cwd: root, env, stdio: 'inherit' },
    );
    backend.on('exit', (code, signal) =>
      process.exit(code ?? (signal ? 1 : 0)),
    );
  },
  error => {
    if (!building.signal.aborted) console.error(error.message);
    process.exit(1);
  },
);
