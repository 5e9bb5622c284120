import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createPortalBackend } from './backend';
import { PortalPermissionPolicy } from './permissionPolicy';
import { describeStartupFailure } from './startupFailure';

/** The portal's permission policy (owner-only permissions, everything else allowed). */
const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new PortalPermissionPolicy());
      },
    });
  },
});

const backend = createPortalBackend();
backend.add(permissionPolicyModule);

// A backend that fails to start must not linger half-up (answering 404 to everything):
// say what failed and exit non-zero.
backend.start().catch(error => {
  process.stderr.write(`${describeStartupFailure(error, process.argv)}\n`);
  process.exit(1);
});
