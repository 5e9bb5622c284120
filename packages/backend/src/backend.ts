import { createBackend } from '@backstage/backend-defaults';
import { createBackendModule } from '@backstage/backend-plugin-api';
import appBackend from '@backstage/plugin-app-backend';
import authBackend from '@backstage/plugin-auth-backend';
import guestAuthProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsBackend from '@backstage/plugin-events-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import techdocsBackend from '@backstage/plugin-techdocs-backend';
import cloudFormationBackend from '@golden-path/plugin-cloudformation-backend';
import awsCloudFormationModule from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
import awsFargateServiceModule from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
import localGitPlugin, {
  localGitUrlReaderFactory,
} from '@golden-path/plugin-local-git-backend';
import localPublishModule from '@golden-path/plugin-scaffolder-backend-module-local-publish';
import sharedDirectoryWorkspaceModule from '@golden-path/plugin-scaffolder-backend-module-shared-workspace';
import { PortalPermissionPolicy } from './permissionPolicy';

// Owner-only permissions for the entity's owners, everything else allowed (see permissionPolicy.ts).
const portalPermissionPolicy = createBackendModule({
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

/**
 * The local portal: catalog, scaffolder, events, auth (guest sign-in for local use), TechDocs,
 * the built app when present, and this project's modules.
 */
export function createPortalBackend() {
  const backend = createBackend();

  backend.add(appBackend);
  backend.add(authBackend);
  backend.add(guestAuthProvider);
  backend.add(permissionBackend);
  backend.add(portalPermissionPolicy);
  backend.add(eventsBackend);

  backend.add(catalogBackend);
  backend.add(scaffolderEntityModel);

  backend.add(scaffolderBackend);
  backend.add(scaffolderGithubModule);
  backend.add(localPublishModule);
  backend.add(localGitPlugin);
  // Every plugin's URL reader reads those repositories from disk, whole trees included (TechDocs).
  backend.add(localGitUrlReaderFactory);
  // Workspaces of running tasks, for task recovery (scaffolder.taskRecovery.workspaceProvider).
  backend.add(sharedDirectoryWorkspaceModule);
  backend.add(awsFargateServiceModule);
  backend.add(awsCloudFormationModule);

  backend.add(cloudFormationBackend);

  // The entity page's Docs tab: builds a repository's docs/ with mkdocs when first opened (techdocs in app-config.yaml).
  backend.add(techdocsBackend);

  return backend;
}
