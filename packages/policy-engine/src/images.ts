/**
 * Kyverno's `images` variable: every container image of a Pod or Pod
 * controller parsed into registry, path, name, tag and digest, keyed by
 * container type and container name
 * (`images.containers.<name>.registry`), with Docker Hub as the default
 * registry the way Kyverno adds it.
 */

/** One parsed image reference, with the fields Kyverno's `ImageInfo` carries. @public */
export interface ImageInfo {
  registry: string;
  name: string;
  path: string;
  tag?: string;
  digest?: string;
  reference: string;
  referenceWithTag: string;
}

/** The registry Kyverno prefixes to references without one. */
export const DEFAULT_REGISTRY = 'docker.io';

// distribution/reference grammar, reduced to what decides the split.
const DOMAIN_RE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/**
 * Parses an image reference as Kyverno does (`GetImageInfo` with the default
 * registry `docker.io`): `nginx` is `docker.io` / `nginx` / tag `latest`.
 * Returns `undefined` for a reference that does not parse.
 *
 * @public
 */
export function parseImageReference(image: string): ImageInfo | undefined {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  const hasDomain =
    slash !== -1 &&
    (/[.:]/.test(first) ||
      first === 'localhost' ||
      first !== first.toLowerCase());
  const full = hasDomain ? image : `${DEFAULT_REGISTRY}/${image}`;
  const domainEnd = full.indexOf('/');
  const registry = full.slice(0, domainEnd);
  let remainder = full.slice(domainEnd + 1);
  let digest: string | undefined;
  const at = remainder.indexOf('@');
  if (at !== -1) {
    digest = remainder.slice(at + 1);
    remainder = remainder.slice(0, at);
    if (!DIGEST_RE.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon !== -1 && !remainder.slice(colon).includes('/')) {
    tag = remainder.slice(colon + 1);
    remainder = remainder.slice(0, colon);
    if (!TAG_RE.test(tag)) return undefined;
  }
  const path = remainder;
  if (
    !DOMAIN_RE.test(registry) ||
    path === '' ||
    !path.split('/').every(c => PATH_COMPONENT_RE.test(c))
  ) {
    return undefined;
  }
  if (!tag && !digest) tag = 'latest';
  const name = path.slice(path.lastIndexOf('/') + 1);
  const info: ImageInfo = {
    registry,
    name,
    path,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    reference: digest
      ? `${registry}/${path}@${digest}`
      : `${registry}/${path}:${tag}`,
    referenceWithTag: `${registry}/${path}:${tag ?? ''}`,
  };
  return info;
}

function podSpecOf(
  resource: Record<string, any>,
): Record<string, any> | undefined {
  const spec = resource?.spec;
  switch (resource?.kind) {
    case 'Pod':
      return spec;
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return spec?.template?.spec;
    default:
      return undefined;
  }
}

/**
 * The `images` variable for a resource: `{containers: {<name>: ImageInfo},
 * initContainers: ..., ephemeralContainers: ...}`; only the container types
 * present. `null` for kinds without a Pod template. Unparseable references
 * are left out.
 *
 * @public
 */
export function extractImages(
  resource: unknown,
): Record<string, Record<string, ImageInfo>> | null {
  const spec = podSpecOf(resource as Record<string, any>);
  if (!spec) return null;
  const out: Record<string, Record<string, ImageInfo>> = {};
  for (const type of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[type];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (typeof c?.name !== 'string' || typeof c?.image !== 'string') continue;
      const info = parseImageReference(c.image);
      if (!info) continue;
      (out[type] ??= {})[c.name] = info;
    }
  }
  return out;
}
