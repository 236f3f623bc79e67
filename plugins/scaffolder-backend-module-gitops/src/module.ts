import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readGitopsConfig } from './config';
import { gitAuthArgs } from './git/auth';
import { GitopsRemote } from './git/GitopsRemote';
import { TeamMembership } from './membership';
import { createGitopsCommitAction } from './actions/commit';
import {
  createRenderServiceAction,
  createRenderTeamAction,
} from './actions/render';
import { createPolicyCheckAction } from './actions/policyCheck';
import { withUserFacingErrors } from './actions/userFacingErrors';

/**
 * Registers the GitOps actions with the scaffolder. Wiring only: the logic lives in the
 * actions and the classes they are given.
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
        const membership = new TeamMembership(
          catalog,
          gitops.platformGroup,
          gitops.fallbackAuthor,
        );
        const remote = new GitopsRemote(
          gitops.remote,
          gitAuthArgs(config, gitops.remote),
          gitops.pushRetries,
        );
        const deps = { config: gitops, remote, membership, catalog };
        // task logs are read by users: no stack traces or internal addresses (server log has them)
        scaffolder.addActions(
          ...[
            createRenderTeamAction(deps),
            createRenderServiceAction(deps),
            createPolicyCheckAction(deps),
            createGitopsCommitAction({
              config: gitops,
              rootConfig: config,
              membership,
            }),
          ].map(action => withUserFacingErrors(action, logger)),
        );
      },
    });
  },
});
