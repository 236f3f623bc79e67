import path from 'node:path';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  GitopsConfig,
  GitRepository,
  WorkingCopy,
  WriteAuthorizer,
} from '@internal/gitops-repo';
import { RepoState } from './repoState';

/**
 * What every GitOps action is built from (module.ts makes one set at startup). Day-2 actions
 * take the same: open the task's checkout, render into the workspace, check the policies,
 * commit through `repository`, ask `authorizer` who may write where.
 */
export interface GitopsActionDeps {
  config: GitopsConfig;
  repository: GitRepository;
  authorizer: WriteAuthorizer;
  catalog: CatalogService;
  integrations: ScmIntegrationRegistry;
  /** For pull requests; the global fetch by default (tests pass a fake). */
  fetchImpl?: typeof fetch;
}

/** The task's clone of the GitOps repository, inside its workspace (removed with it). */
export const TASK_CHECKOUT_DIR = '.gitops-checkout';

/** The task's working copy plus the facts the actions read from it. */
export interface TaskCheckout extends WorkingCopy {
  repo: RepoState;
}

/**
 * The one checkout of a task: cloned by the first GitOps step of the task, reused by every
 * later one (render, policy check and commit see the same base; the commit rebases from it).
 */
export async function openTaskCheckout(
  repository: GitRepository,
  workspacePath: string,
): Promise<TaskCheckout> {
  const wc = await repository.openWorkingCopy(
    path.join(workspacePath, TASK_CHECKOUT_DIR),
  );
  return { ...wc, repo: new RepoState(wc.dir) };
}
