import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleGitops } from './module';
import { GitOpsRepositoryEntityProvider } from './GitOpsRepositoryEntityProvider';

describe('catalogModuleGitops', () => {
  it('adds the GitOps provider to the catalog', async () => {
    const addEntityProvider = jest.fn();
    // the provider's scheduled refresh may run during the test: keep its checkout in a temp dir
    const workDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'catalog-gitops-module-'),
    );
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        catalogModuleGitops,
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              remote: path.join(workDir, 'nowhere.git'),
              catalog: { workDir: path.join(workDir, 'checkout') },
            },
          },
        }),
      ],
    });
    expect(addEntityProvider).toHaveBeenCalledWith(
      expect.any(GitOpsRepositoryEntityProvider),
    );
    fs.rmSync(workDir, { recursive: true, force: true });
  });
});
