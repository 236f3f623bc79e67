import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleGitops } from './module';

describe('scaffolderModuleGitops', () => {
  it('registers the GitOps actions, the day-2 ones included', async () => {
    const ids: string[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...actions: { id: string }[]) =>
              ids.push(...actions.map(a => a.id)),
          },
        ],
      ],
      features: [
        scaffolderModuleGitops,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { gitops: { remote: '/nonexistent/gitops.git' } },
        }),
      ],
    });
    expect(ids.sort()).toEqual([
      'gitops:commit',
      'gitops:decommission:service',
      'gitops:offboard:team',
      'gitops:policy:check',
      'gitops:render:service',
      'gitops:render:team',
      'gitops:rollback:service',
      'gitops:team:members',
      'gitops:update:service',
    ]);
  });
});
