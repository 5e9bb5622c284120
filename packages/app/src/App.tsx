import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import appPlugin from '@backstage/plugin-app';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import cloudFormationPlugin from '@golden-path/plugin-cloudformation';
import { serviceTasksModule } from './serviceTasks';
import { portalTechdocsPlugin } from './techdocs';

/**
 * The app's own settings: guest sign-in through the auth backend's guest provider (`auth.providers.guest`),
 * and a landing route, since the new frontend system has no page at `/`.
 */
const portalAppModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    // Stated here rather than left to plugin-app's default, so a change there cannot alter sign-in.
    appPlugin.getExtension('sign-in-page:app').override({
      params: {
        loader: async () => props => (
          <SignInPage {...props} providers={['guest']} />
        ),
      },
    }),
    appPlugin.getExtension('app/routes').override({
      factory: (originalFactory, { config }) =>
        originalFactory({
          config: {
            ...config,
            redirects: [
              { from: '/', to: '/catalog' },
              ...(config.redirects ?? []),
            ],
          },
        }),
    }),
  ],
});

const app = createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    portalTechdocsPlugin,
    userSettingsPlugin,
    cloudFormationPlugin,
    portalAppModule,
    serviceTasksModule,
  ],
});

export default app.createRoot();
