/**
 * Catalog backend module that follows the GitOps remote: the Groups and Components the portal's
 * templates commit to it appear in the catalog within seconds, without registration.
 *
 * @packageDocumentation
 */

export { catalogModuleGitops as default } from './module';
export { GitOpsRepositoryEntityProvider } from './GitOpsRepositoryEntityProvider';
export type { GitOpsRepositoryEntityProviderOptions } from './GitOpsRepositoryEntityProvider';
