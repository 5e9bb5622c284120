import { createPortalBackend } from './backend';

// A backend that fails to start must not linger half-up (answering 404 to everything):
// report what failed and exit non-zero.
createPortalBackend()
  .start()
  .catch(error => {
    process.stderr.write(`Backend failed to start: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
