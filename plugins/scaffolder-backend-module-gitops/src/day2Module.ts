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
import { ServiceChangePlanner } from './day2/ServiceChangePlanner';
import { createDay2Router } from './day2/router';
import { createUpdateServiceAction } from './actions/day2/updateService';
import { createDecommissionServiceAction } from './actions/day2/decommissionService';
import { createTeamMembersAction } from './actions/day2/teamMembers';
import { createRollbackServiceAction } from './actions/day2/rollbackService';
import { createOffboardTeamAction } from './actions/day2/offboardTeam';

/**
 * Day-2 journeys on the GitOps repository (change a service, ...): their scaffolder actions
 * and the routes their forms read (current settings, diff review) under `/api/scaffolder/gitops`.
 * Wiring only.
 *
 * @public
 */
export const scaffolderModuleGitopsDay2 = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops-day2',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ scaffolder, config, catalog, httpRouter, httpAuth }) {
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
        const planner = new ServiceChangePlanner(
          remote,
          gitops.branch,
          membership,
        );
        scaffolder.addActions(
          createUpdateServiceAction({ planner, membership }),
          createDecommissionServiceAction({
            config: gitops,
            remote,
            membership,
            catalog,
          }),
          createRollbackServiceAction({
            config: gitops,
            remote,
            membership,
            planner,
          }),
          createOffboardTeamAction({ config: gitops, remote, membership }),
          createTeamMembersAction({
            config: gitops,
            remote,
            membership,
            catalog,
          }),
        );
        httpRouter.use(
          await createDay2Router({ httpAuth, membership, planner }),
        );
      },
    });
  },
});
