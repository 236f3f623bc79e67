/**
 * Scaffolder actions that write to the GitOps repository: render validated manifests
 * (`gitops:render:team`, `gitops:render:service`), check them against the repository's Kyverno
 * policies (`gitops:policy:check`) and commit them (`gitops:commit`). The git, config, layout and
 * authorization parts are the write core in `@internal/gitops-repo`.
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
