import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { localPublishModule } from './module';

describe('localPublishModule', () => {
  it('adds local:git:publish to the scaffolder', async () => {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        localPublishModule,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(addActions).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'local:git:publish',
        supportsDryRun: true,
      }),
    );
    await backend.stop();
  });
});

describe('localPublishModule actions', () => {
  it('adds local:git:locate to the scaffolder', async () => {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        localPublishModule,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(addActions).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'local:git:locate', supportsDryRun: true }),
    );
    await backend.stop();
  });
});
