import { createPortalBackend } from './backend';
import { describeStartupFailure } from './startupFailure';

// A backend that fails to start must not linger half-up (answering 404 to everything):
// say what failed and exit non-zero.
createPortalBackend()
  .start()
  .catch(error => {
    process.stderr.write(`${describeStartupFailure(error, process.argv)}\n`);
    process.exit(1);
  });
