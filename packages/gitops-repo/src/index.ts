/**
 * Reads the GitOps repository content under `K8s/`: manifests, ApplicationSets with their git
 * directory generators, and what each generated Application would apply. Also runs the git CLI
 * for the packages that clone, fetch and push the repository, and the GitOps write core: the
 * `gitops.*` config, the layout, one GitRepository for every writer and reader, and the
 * WriteAuthorizer.
 *
 * @packageDocumentation
 */

export type {
  KubeObject,
  GeneratedApplication,
  ApplicationSource,
} from './types';
export { ManifestParseError } from './types';
export { parseManifests } from './parse';
export { listGeneratorDirectories } from './generator';
export { expandApplicationSet, findApplicationSets } from './applicationSet';
export { readApplicationSource } from './source';
export {
  runGit,
  GitCommandError,
  redactCredentials,
  normalizeGitRemote,
} from './git';
export type { RunGitOptions } from './git';

// the write core: config, layout, git repository, authorizer
export {
  readGitopsConfig,
  assertGitopsWritable,
  GitopsConfigError,
  DEFAULT_CATALOG_PATHS,
} from './write/config';
export type { GitopsConfig } from './write/config';
export {
  TEAMS_DIR,
  APPS_DIR,
  POLICY_DIR,
  teamDir,
  serviceDir,
  ownerOfPath,
} from './write/layout';
export type { PathOwner } from './write/layout';
export { gitAuthArgs, integrationCredentials } from './write/auth';
export { PushQueue, jitteredBackoffMs } from './write/PushQueue';
export { GitRepository, assertSafeRepoPath } from './write/GitRepository';
export type {
  GitAuthor,
  GitLogger,
  GitRepositoryOptions,
  WorkingCopy,
  CommitRequest,
  CommitResult,
} from './write/GitRepository';
export { createSeededBareRemote } from './write/bareRemote';
export type { SeededBareRemoteOptions } from './write/bareRemote';
export {
  openPullRequest,
  pullRequestBranch,
  parseGithubRemote,
} from './write/pullRequest';
export type { PullRequestRequest } from './write/pullRequest';
export { WriteAuthorizer, groupRef, groupsOf } from './write/WriteAuthorizer';
export type {
  Writer,
  WriteOperation,
  WriteDecision,
  UserCatalog,
  TaskUserContext,
} from './write/WriteAuthorizer';
