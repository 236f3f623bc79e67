import {
  groupVersionOf,
  type ResourceRegistry,
  type ResourceType,
} from './resources';

/** The Kubernetes version the sandbox claims to be. */
export const SANDBOX_KUBERNETES_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** `GET /api`: the core group's versions. */
export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: { name: string; versions: string[] }) {
  const versions = group.versions.map(version => ({
    groupVersion: `${group.name}/${version}`,
    version,
  }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

/** `GET /apis`: every served group with its preferred (first) version. */
export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map(apiGroup),
  };
}

/** `GET /apis/{group}`: one group, or undefined when not served. */
export function apiGroupOf(registry: ResourceRegistry, name: string) {
  const group = registry.groups().find(g => g.name === name);
  return group && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

function apiResource(r: ResourceType) {
  return {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
  };
}

/** `GET /api/v1` or `/apis/{g}/{v}`: the resources of one group version, or undefined. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const resources = registry.inGroupVersion(group, version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf({ group, version }),
    resources: resources.flatMap(r =>
      group === '' && r.plural === 'pods'
        ? [
            apiResource(r),
            // the one subresource besides status that the sandbox serves (kubectl logs)
            {
              name: 'pods/log',
              singularName: '',
              namespaced: true,
              kind: 'Pod',
              verbs: ['get'],
            },
          ]
        : [apiResource(r)],
    ),
  };
}
