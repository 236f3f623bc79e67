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
import { ServiceChangePlanner } from './day2/ServiceChangePlanner';
import { createDay2Router } from './day2/router';
import { createUpdateServiceAction } from './actions/day2/updateService';
import { createDecommissionServiceAction } from './actions/day2/decommissionService';
import { createTeamMembersAction } from './actions/day2/teamMembers';
import { createRollbackServiceAction } from './actions/day2/rollbackService';
import { createOffboardTeamAction } from './actions/day2/offboardTeam';

/**
 * Registers the GitOps actions with the scaffolder: creating (render, policy check, commit) and
 * day 2 (update, roll back and decommission a service; team members, offboard a team), plus the
 * routes the day-2 forms read (current settings, diff review) under `/api/scaffolder/gitops`. Wiring only: the logic lives in the
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
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({
        scaffolder,
        config,
        catalog,
        logger,
        httpRouter,
        httpAuth,
      }) {
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
        const planner = new ServiceChangePlanner(
          deps.repository,
          deps.authorizer,
        );
        // task logs are read by users: no stack traces or internal addresses (server log has them)
        scaffolder.addActions(
          ...[
            createRenderTeamAction(deps),
            createRenderServiceAction(deps),
            createPolicyCheckAction(deps),
            createGitopsCommitAction(deps),
            createUpdateServiceAction({ planner, authorizer: deps.authorizer }),
            createRollbackServiceAction({ ...deps, planner }),
            createDecommissionServiceAction(deps),
            createTeamMembersAction(deps),
            createOffboardTeamAction(deps),
          ].map(action => withUserFacingErrors(action, logger)),
        );
        httpRouter.use(
          await createDay2Router({
            httpAuth,
            authorizer: deps.authorizer,
            planner,
          }),
        );
      },
    });
  },
});
