/**
 * Reads the GitOps repository content under `K8s/`: manifests, ApplicationSets with their git
 * directory generators, and what each generated Application would apply. Also runs the git CLI
 * for the packages that clone, fetch and push the repository.
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
