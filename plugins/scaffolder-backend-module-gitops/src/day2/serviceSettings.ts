import { InputError } from '@backstage/errors';
import { KubeObject, serviceDir } from '@internal/gitops-repo';
import {
  APPLICATION_PARAMS_FILE,
  GATEWAYS,
  SIZE_RESOURCES,
} from '../render/service';
import {
  EXPOSURES,
  IMAGE_UPDATES,
  Problems,
  ServiceInput,
  SIZES,
} from '../validation';

/**
 * What `update-service` reads back from and writes to `K8s/apps/<team>/<service>/`: the same
 * fields new-service takes, so the form, the HTTP API and the render share one shape. Pure
 * functions: the IO lives in ServiceChanges.
 */

/** The files renderService can produce; every other file of a service directory is kept. */
export const RENDERED_SERVICE_FILES = [
  'deployment.yaml',
  'service.yaml',
  'poddisruptionbudget.yaml',
  'httproute.yaml',
  'servicemonitor.yaml',
  'externalsecret.yaml',
  'kustomization.yaml',
  APPLICATION_PARAMS_FILE,
  'catalog-info.yaml',
];

/** The fields a change may set; `name` and `owner` name the directory and never change. */
export const CHANGEABLE_FIELDS = [
  'description',
  'image',
  'tag',
  'semverRange',
  'imageUpdate',
  'tagPattern',
  'port',
  'replicas',
  'tier',
  'size',
  'exposure',
  'hostname',
  'metricsPath',
  'secrets',
  'env',
] as const;
export type ServiceChangeField = (typeof CHANGEABLE_FIELDS)[number];
export type ServiceChanges = Partial<Pick<ServiceInput, ServiceChangeField>>;

/** Template parameters that address the change rather than being one. */
const ADDRESSING_PARAMETERS = new Set([
  'entity',
  'baseRevision',
  'changePreview',
]);

type Files = Record<string, KubeObject[] | Record<string, unknown>>;

const first = (f: Files, name: string): any => {
  const v = f[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Splits `registry:5000/team/app:1.2` into repository and tag (the last `:` after the last `/`). */
export function splitImage(ref: string): { image: string; tag?: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) {
    return { image: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  }
  return { image: ref };
}

function sizeOf(resources: unknown): ServiceInput['size'] {
  const json = JSON.stringify(resources ?? {});
  return SIZES.find(s => JSON.stringify(SIZE_RESOURCES[s]) === json);
}

/**
 * The settings of a service as its directory holds them now (parsed manifests by file name).
 * Throws InputError when the directory is not something new-service rendered (no Deployment
 * with one container and a tagged image), since re-rendering it would lose content.
 */
export function readServiceSettings(
  team: string,
  service: string,
  files: Files,
): ServiceInput {
  const deployment = first(files, 'deployment.yaml');
  const container = deployment?.spec?.template?.spec?.containers?.[0];
  if (deployment?.kind !== 'Deployment' || !container?.image) {
    throw new InputError(
      `${serviceDir(
        team,
        service,
      )} has no Deployment with a container image in deployment.yaml; it was not created by new-service and cannot be changed from the portal`,
    );
  }
  const { image, tag } = splitImage(String(container.image));
  const catalog = first(files, 'catalog-info.yaml');
  const params = first(files, APPLICATION_PARAMS_FILE)?.imageUpdater ?? {};
  const imageList = String(params.imageList ?? '');
  let imageUpdate: ServiceInput['imageUpdate'] = 'none';
  let semverRange: string | undefined;
  let tagPattern: string | undefined;
  if (imageList && params.updateStrategy === 'semver') {
    imageUpdate = 'semver';
    semverRange = splitImage(imageList.replace(/^app=/, '')).tag;
  } else if (imageList && params.updateStrategy === 'newest-build') {
    imageUpdate = 'tag-pattern';
    tagPattern = String(params.allowTags ?? '').replace(/^regexp:/, '');
  }
  const route = first(files, 'httproute.yaml');
  const gateway = route?.spec?.parentRefs?.[0]?.name;
  const exposure =
    (Object.entries(GATEWAYS).find(([, g]) => g === gateway)?.[0] as
      | 'internal'
      | 'public'
      | undefined) ?? 'none';
  const monitor = first(files, 'servicemonitor.yaml');
  const secret = first(files, 'externalsecret.yaml');
  const tierAnnotation = Number(
    catalog?.metadata?.annotations?.['idp.platform/tier'],
  );
  const settings: ServiceInput = {
    name: service,
    owner: team,
    description: String(catalog?.metadata?.description ?? service),
    image,
    ...(imageUpdate === 'semver' ? { semverRange } : { tag }),
    imageUpdate,
    ...(tagPattern !== undefined ? { tagPattern } : {}),
    port: Number(container.ports?.[0]?.containerPort ?? 8080),
    replicas: Number(deployment.spec?.replicas ?? 1),
    tier: ([1, 2, 3, 4].includes(tierAnnotation)
      ? tierAnnotation
      : 4) as ServiceInput['tier'],
    size: sizeOf(container.resources) ?? 'small',
    exposure,
    ...(exposure !== 'none' ? { hostname: route?.spec?.hostnames?.[0] } : {}),
    ...(monitor?.spec?.endpoints?.[0]?.path
      ? { metricsPath: monitor.spec.endpoints[0].path }
      : {}),
    secrets: (secret?.spec?.data ?? []).map((d: any) => d?.remoteRef?.property),
    env: (container.env ?? [])
      .filter((e: any) => e && typeof e.value === 'string')
      .map((e: any) => ({ name: String(e.name), value: e.value })),
  };
  return settings;
}

/**
 * The change a request asks for: template parameters (or API values) minus the ones that
 * address the service. Empty strings and nulls mean "not given" (a form's cleared field), and
 * unknown keys are refused so a typo never passes silently as "nothing to change".
 */
export function changesFromParameters(
  parameters: Record<string, unknown>,
): ServiceChanges {
  const changes: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(parameters ?? {})) {
    if (ADDRESSING_PARAMETERS.has(key)) continue;
    if (!(CHANGEABLE_FIELDS as readonly string[]).includes(key)) {
      unknown.push(key);
      continue;
    }
    if (value === '' || value === null || value === undefined) continue;
    changes[key] = value;
  }
  if (unknown.length) {
    throw new InputError(
      `update-service cannot change ${unknown
        .map(k => `'${k}'`)
        .join(', ')}; it changes ${CHANGEABLE_FIELDS.join(', ')}`,
    );
  }
  const p = new Problems();
  if (
    changes.imageUpdate !== undefined &&
    !(IMAGE_UPDATES as readonly unknown[]).includes(changes.imageUpdate)
  ) {
    p.add(`imageUpdate must be one of ${IMAGE_UPDATES.join(', ')}`);
  }
  if (
    changes.exposure !== undefined &&
    !(EXPOSURES as readonly unknown[]).includes(changes.exposure)
  ) {
    p.add(`exposure must be one of ${EXPOSURES.join(', ')}`);
  }
  p.throwIfAny('service change');
  return changes as ServiceChanges;
}

/**
 * The service's settings after a change. Fields not given keep their value; choosing a
 * version mode drops the other modes' fields, and a cleared exposure drops the hostname.
 * The result is validated by the caller with validateServiceInput, as new-service's input is.
 */
export function applyServiceChanges(
  current: ServiceInput,
  changes: ServiceChanges,
): ServiceInput {
  const next: ServiceInput = { ...current, ...changes };
  const mode = changes.imageUpdate ?? current.imageUpdate ?? 'none';
  if (
    changes.tag !== undefined &&
    changes.imageUpdate === undefined &&
    current.imageUpdate === 'semver'
  ) {
    throw new InputError(
      `the service follows the semver range '${current.semverRange}'; to pin tag '${changes.tag}' also set imageUpdate to none (or tag-pattern)`,
    );
  }
  next.imageUpdate = mode;
  if (mode === 'semver') {
    delete next.tag;
    delete next.tagPattern;
  } else {
    delete next.semverRange;
    if (next.tag === undefined) {
      throw new InputError(
        `imageUpdate ${mode} needs a tag (the service has none to keep)`,
      );
    }
    if (mode !== 'tag-pattern') delete next.tagPattern;
  }
  if (next.exposure === 'none') delete next.hostname;
  if (next.metricsPath === undefined) delete next.metricsPath;
  return next;
}
