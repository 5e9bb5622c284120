// Test-only preload (`node --require`): makes chosen file writes and renames of the backend slow,
// like a slow disk, so that a test can kill the backend while a step is inside them. Reads
// GP_TEST_SLOW_FS, a JSON list of { op: 'writeFile' | 'rename', path, content?, delayMs, marker }:
// a call whose target path contains `path` (and, for writeFile, whose content contains `content`)
// does its work, creates the file `marker` and then waits delayMs before it returns: the state a
// crash right after the write and before the step's checkpoint leaves.
const fs = require('node:fs');
const fsPromises = require('node:fs/promises');

const rules = JSON.parse(process.env.GP_TEST_SLOW_FS || '[]');
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const text = value =>
  typeof value === 'string'
    ? value
    : Buffer.isBuffer(value)
      ? value.toString('utf8')
      : '';

function slowDown(op, target) {
  const original = fsPromises[op];
  fsPromises[op] = async function (...args) {
    const result = await original.apply(this, args);
    const { path, content } = target(args);
    const rule = rules.find(
      r =>
        r.op === op &&
        String(path).includes(r.path) &&
        (r.content === undefined || text(content).includes(r.content)),
    );
    if (rule) {
      fs.writeFileSync(rule.marker, `${process.pid}\n`);
      await sleep(rule.delayMs);
    }
    return result;
  };
}

slowDown('writeFile', ([path, content]) => ({ path, content }));
slowDown('rename', ([, path]) => ({ path }));
