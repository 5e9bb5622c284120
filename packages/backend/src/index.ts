import { createPortalBackend } from './backend';
import { describeStartupFailure } from './startupFailure';

/**
 * Platforms give a stopping container 30 s after SIGTERM before they kill it. Backstage stops the
 * scaffolder from claiming tasks, closes its servers and exits; running tasks are left `processing`
 * with their checkpoints, and another replica takes them over after the stale timeout. Should a
 * shutdown hook hang, leave before the platform's kill anyway, with a word on why.
 */
const SHUTDOWN_DEADLINE_MS = 25_000;

process.once('SIGTERM', () => {
  setTimeout(() => {
    process.stderr.write(
      `Backend did not stop within ${SHUTDOWN_DEADLINE_MS / 1000} s of SIGTERM; exiting.\n`,
    );
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
});

// A backend that fails to start must not linger half-up (answering 404 to everything):
// say what failed and exit non-zero.
createPortalBackend()
  .start()
  .catch(error => {
    process.stderr.write(`${describeStartupFailure(error, process.argv)}\n`);
    process.exit(1);
  });
