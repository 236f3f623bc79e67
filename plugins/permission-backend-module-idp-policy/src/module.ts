import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
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
        policy.setPolicy(
          new IdpPermissionPolicy(
            config.getOptionalString('gitops.platformGroup') ??
              'group:default/platform-team',
          ),
        );
      },
    });
  },
});
