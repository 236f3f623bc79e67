/**
 * Scaffolder actions that write to the GitOps repository: render validated manifests
 * (`gitops:render:team`, `gitops:render:service`), check them against the repository's Kyverno
 * policies (`gitops:policy:check`) and commit them (`gitops:commit`).
 *
 * @packageDocumentation
 */
export { scaffolderModuleGitops as default } from './module';
export { createGitopsCommitAction } from './actions/commit';
export {
  createRenderTeamAction,
  createRenderServiceAction,
} from './actions/render';
export { createPolicyCheckAction } from './actions/policyCheck';
export { readGitopsConfig } from './config';
export type { GitopsConfig } from './config';
export { GitopsRemote } from './git/GitopsRemote';
export { TeamMembership } from './membership';
export { scaffolderModuleGitopsDay2 } from './day2Module';
