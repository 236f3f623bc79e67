import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readGitopsConfig, WriteAuthorizer } from '@internal/gitops-repo';
import { IdpPermissionPolicy } from './policy';

/**
 * Installs the portal's permission policy (replaces the allow-all module).
 *
 * @public
 */
export const permissionModuleIdpPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'idp-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        // the platform group is the GitOps write authorizer's, read by the one gitops reader
        policy.setPolicy(
          new IdpPermissionPolicy(
            WriteAuthorizer.fromConfig(readGitopsConfig(config)),
          ),
        );
      },
    });
  },
});
