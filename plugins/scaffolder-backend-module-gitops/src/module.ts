import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  assertGitopsWritable,
  GitRepository,
  readGitopsConfig,
  WriteAuthorizer,
} from '@internal/gitops-repo';
import { GitopsActionDeps } from './core';
import { createGitopsCommitAction } from './actions/commit';
import {
  createRenderServiceAction,
  createRenderTeamAction,
} from './actions/render';
import { createPolicyCheckAction } from './actions/policyCheck';
import { withUserFacingErrors } from './actions/userFacingErrors';

/**
 * Registers the GitOps actions with the scaffolder. Wiring only: the logic lives in the
 * actions and in the write core (`@internal/gitops-repo`). A `gitops` config that cannot write
 * (pull-request mode without a GitHub remote and token) fails the backend's startup.
 *
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, catalog, logger }) {
        const gitops = readGitopsConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        assertGitopsWritable(gitops, integrations);
        const deps: GitopsActionDeps = {
          config: gitops,
          repository: GitRepository.fromConfig(gitops, integrations),
          authorizer: WriteAuthorizer.fromConfig(gitops, catalog),
          catalog,
          integrations,
        };
        // task logs are read by users: no stack traces or internal addresses (server log has them)
        scaffolder.addActions(
          ...[
            createRenderTeamAction(deps),
            createRenderServiceAction(deps),
            createPolicyCheckAction(deps),
            createGitopsCommitAction(deps),
          ].map(action => withUserFacingErrors(action, logger)),
        );
      },
    });
  },
});
