import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { permissionModuleIdpPolicy } from './module';
import { IdpPermissionPolicy } from './policy';

describe('permissionModuleIdpPolicy', () => {
  it('installs the IDP policy', async () => {
    const setPolicy = jest.fn();
    await startTestBackend({
      extensionPoints: [[policyExtensionPoint, { setPolicy }]],
      features: [
        permissionModuleIdpPolicy,
        mockServices.rootConfig.factory({
          data: { gitops: { remote: '/nonexistent/gitops.git' } },
        }),
      ],
    });
    expect(setPolicy).toHaveBeenCalledWith(expect.any(IdpPermissionPolicy));
  });
});
