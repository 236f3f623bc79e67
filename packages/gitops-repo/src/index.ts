/**
 * Reads the GitOps repository content under `K8s/`: manifests, ApplicationSets with their git
 * directory generators, and what each generated Application would apply.
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
