#!/usr/bin/env node
// Builds the portal UI (packages/app) into packages/app/dist when that build is missing or older than
// anything bundled into it. The backend's app-backend looks for the build once, when it starts, so this
// runs before the backend (`npm start`) and before browser tests. Run directly: `node scripts/build-app.js`.
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const root = path.resolve(__dirname, '..');
const appDir = path.join(root, 'packages', 'app');
const appDist = path.join(appDir, 'dist');
// Written by the bundler at the end of a build, so its time is the build's.
const builtIndex = path.join(appDist, 'index.html');
// Outside the repository, one per checkout: parallel test files and a second `npm start` take turns.
const lockFile = path.join(
  tmpdir(),
  `portal-app-build-${createHash('sha256').update(appDir).digest('hex').slice(0, 16)}.lock`,
);

function readPackageJson(dir) {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** Workspace package folders by package name (the root's `workspaces` are all `<folder>/*`). */
function workspacePackages() {
  const byName = new Map();
  for (const pattern of readPackageJson(root).workspaces) {
    const parent = path.join(root, pattern.replace(/\/\*$/, ''));
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const dir = path.join(parent, entry.name);
      if (entry.isDirectory() && existsSync(path.join(dir, 'package.json'))) {
        byName.set(readPackageJson(dir).name, dir);
      }
    }
  }
  return byName;
}

/** The app and every workspace package it bundles (e.g. the entity card plugin and its common package). */
function bundledWorkspaceDirs() {
  const packages = workspacePackages();
  const dirs = new Set([appDir]);
  for (const dir of dirs) {
    for (const name of Object.keys(readPackageJson(dir).dependencies ?? {})) {
      if (packages.has(name)) dirs.add(packages.get(name));
    }
  }
  return [...dirs];
}

function newestModification(file) {
  if (!existsSync(file)) return 0;
  const stats = statSync(file);
  if (!stats.isDirectory()) return stats.mtimeMs;
  // Folders count too: deleting a file changes its folder's time. A file gone since the listing counts 0.
  return readdirSync(file, { recursive: true })
    .map(
      relative =>
        statSync(path.join(file, relative), { throwIfNoEntry: false })
          ?.mtimeMs ?? 0,
    )
    .reduce((newest, time) => Math.max(newest, time), stats.mtimeMs);
}

/** Why the app needs building, or undefined when the build is current. */
function staleReason() {
  if (!existsSync(builtIndex)) return 'no build yet';
  const builtAt = statSync(builtIndex).mtimeMs;
  // The lockfile stands for the installed dependencies the bundle includes.
  const inputs = [path.join(root, 'package-lock.json')];
  for (const dir of bundledWorkspaceDirs()) {
    inputs.push(
      path.join(dir, 'package.json'),
      path.join(dir, 'src'),
      path.join(dir, 'public'),
    );
  }
  const changed = inputs.find(input => newestModification(input) > builtAt);
  return (
    changed && `${path.relative(root, changed)} changed since the last build`
  );
}

/** Runs `work` holding the build lock; waits while a live process holds it, takes over a dead one's. */
async function withBuildLock(work, signal) {
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (!isHolderAlive()) {
      rmSync(lockFile, { force: true });
      continue;
    }
    signal?.throwIfAborted();
    await sleep(500);
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function isHolderAlive() {
  let holder;
  try {
    holder = Number(readFileSync(lockFile, 'utf8'));
  } catch {
    return false; // released meanwhile
  }
  // An empty file is a lock being written right now.
  if (!holder) return true;
  try {
    process.kill(holder, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Builds the app if its build is missing or stale; resolves once packages/app/dist is current.
 * The bundler's asset listing is printed only when the build fails; a failed or aborted build
 * (`signal`) leaves no dist behind.
 */
function buildAppIfStale({
  log = message => console.log(message),
  signal,
} = {}) {
  return withBuildLock(async () => {
    const reason = staleReason();
    if (!reason) return;
    log(`Building the portal UI (packages/app): ${reason}…`);
    const startedAt = Date.now();
    const cli = require.resolve('@backstage/cli/bin/backstage-cli', {
      paths: [appDir],
    });
    signal?.throwIfAborted();
    const child = spawn(process.execPath, [cli, 'package', 'build'], {
      cwd: appDir,
      // A production bundle whoever asks: under jest (NODE_ENV=test) the bundler finds no browserslist
      // environment for the app and rspack rejects the query it falls back to.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    try {
      // Waits for the bundler to exit, also when stopped, so nothing writes dist after it is removed.
      const [code, exitSignal] = await new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (exitCode, killSignal) =>
          resolve([exitCode, killSignal]),
        );
      });
      if (code !== 0) {
        throw new Error(
          `Building packages/app failed (${exitSignal ?? `exit code ${code}`}):\n${output}`,
        );
      }
    } catch (error) {
      rmSync(appDist, { recursive: true, force: true });
      throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    log(
      `Built the portal UI in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
  }, signal);
}

module.exports = { buildAppIfStale };

if (require.main === module) {
  buildAppIfStale().catch(error => {
    console.error(error.message);
    process.exit(1);
  });
}
