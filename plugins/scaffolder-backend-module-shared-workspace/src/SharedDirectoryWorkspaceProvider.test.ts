import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { SharedDirectoryWorkspaceProvider } from './SharedDirectoryWorkspaceProvider';

describe('SharedDirectoryWorkspaceProvider', () => {
  const mockDir = createMockDirectory();
  const taskId = '0b6c3f6e-2f7a-4d5e-9c1b-7a8d9e0f1a2b';

  beforeEach(() => {
    mockDir.setContent({
      workspace: {
        'infra/template.yaml': 'Resources: {}\n',
        'catalog-info.yaml': 'kind: Component\n',
      },
      // Another replica's folder for the same task: what it has before it takes the task over.
      other: { 'half-written.txt': 'partial' },
    });
  });

  it('restores on another replica what the first one stored, replacing leftovers', async () => {
    const stored = new SharedDirectoryWorkspaceProvider(
      mockDir.resolve('shared'),
    );
    await stored.serializeWorkspace({
      path: mockDir.resolve('workspace'),
      taskId,
    });
    expect(fs.readdirSync(mockDir.resolve('shared'))).toEqual([
      `${taskId}.tar`,
    ]);

    const otherReplica = new SharedDirectoryWorkspaceProvider(
      mockDir.resolve('shared'),
    );
    await otherReplica.rehydrateWorkspace({
      taskId,
      targetPath: mockDir.resolve('other'),
    });
    expect(
      fs.readFileSync(mockDir.resolve('other/infra/template.yaml'), 'utf8'),
    ).toBe('Resources: {}\n');
    expect(fs.existsSync(mockDir.resolve('other/half-written.txt'))).toBe(
      false,
    );
  });

  it('stores the latest state over the previous one, atomically', async () => {
    const provider = new SharedDirectoryWorkspaceProvider(
      mockDir.resolve('shared'),
    );
    await provider.serializeWorkspace({
      path: mockDir.resolve('workspace'),
      taskId,
    });
    mockDir.addContent({
      workspace: { 'README.md': '# added by a later step\n' },
    });
    await provider.serializeWorkspace({
      path: mockDir.resolve('workspace'),
      taskId,
    });

    expect(fs.readdirSync(mockDir.resolve('shared'))).toEqual([
      `${taskId}.tar`,
    ]);
    await provider.rehydrateWorkspace({
      taskId,
      targetPath: mockDir.resolve('restored'),
    });
    expect(fs.readFileSync(mockDir.resolve('restored/README.md'), 'utf8')).toBe(
      '# added by a later step\n',
    );
  });

  it('leaves a new task its empty workspace and cleans up after a completed one', async () => {
    const provider = SharedDirectoryWorkspaceProvider.fromConfig(
      new ConfigReader({
        scaffolder: {
          taskRecovery: {
            sharedDirectory: { path: mockDir.resolve('shared') },
          },
        },
      }),
    );
    await provider.rehydrateWorkspace({
      taskId,
      targetPath: mockDir.resolve('other'),
    });
    expect(fs.readdirSync(mockDir.resolve('other'))).toEqual([
      'half-written.txt',
    ]);

    await provider.serializeWorkspace({
      path: mockDir.resolve('workspace'),
      taskId,
    });
    await provider.cleanWorkspace({ taskId });
    expect(fs.readdirSync(mockDir.resolve('shared'))).toEqual([]);
  });

  it('refuses a task id that is not a plain name', async () => {
    const provider = new SharedDirectoryWorkspaceProvider(
      mockDir.resolve('shared'),
    );
    await expect(
      provider.cleanWorkspace({ taskId: '../escape' }),
    ).rejects.toThrow('Invalid task id "../escape"');
  });
});
