import fs from 'fs';
import path from 'path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseManifests } from './parse';
import { normalizeRepoPath, resolveInRepo, toRepoPath } from './paths';
import { ApplicationSource, KubeObject, ManifestParseError } from './types';

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
const NOT_MANIFESTS = new Set(['catalog-info.yaml', 'sandbox-seed.yaml']);
const SEED_FILE = 'sandbox-seed.yaml';

/**
 * Kinds that are cluster-scoped, so a kustomization `namespace:` leaves them alone (kustomize
 * knows these from the API schema; this list covers the platform's kinds).
 */
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CSIDriver',
  'ClusterCleanupPolicy',
  'ClusterExternalSecret',
  'ClusterGenerator',
  'ClusterIssuer',
  'ClusterPolicy',
  'ClusterPolicyReport',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ClusterWorkflowTemplate',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeSnapshotClass',
]);

const POD_TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'ReplicationController',
]);

interface LabelTransform {
  pairs: Record<string, string>;
  selectors: boolean;
  templates: boolean;
}

interface Kustomization {
  resources: string[];
  namespace?: string;
  labels: LabelTransform[];
  annotations: Record<string, string>;
  helmCharts: ApplicationSource['helmCharts'];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(
  value: unknown,
  what: string,
  file: string,
): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    throw new ManifestParseError(file, undefined, `${what} must be a mapping`);
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, String(v)]),
  );
}

function readKustomization(absFile: string, relFile: string): Kustomization {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(absFile, 'utf8'));
  } catch (e) {
    if (e instanceof YAMLParseError) {
      throw new ManifestParseError(
        relFile,
        e.linePos?.[0].line,
        e.message.split('\n')[0],
      );
    }
    throw e;
  }
  if (!isRecord(doc)) {
    throw new ManifestParseError(relFile, 1, 'kustomization is not a mapping');
  }
  const list = (key: string): unknown[] => {
    const value = doc[key as keyof typeof doc];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      throw new ManifestParseError(relFile, undefined, `${key} must be a list`);
    }
    return value;
  };
  const labels: LabelTransform[] = [];
  const commonLabels = stringMap(doc.commonLabels, 'commonLabels', relFile);
  if (Object.keys(commonLabels).length > 0) {
    labels.push({ pairs: commonLabels, selectors: true, templates: true });
  }
  for (const entry of list('labels')) {
    if (!isRecord(entry)) {
      throw new ManifestParseError(
        relFile,
        undefined,
        'labels entries must be mappings',
      );
    }
    labels.push({
      pairs: stringMap(entry.pairs, 'labels[].pairs', relFile),
      selectors: entry.includeSelectors === true,
      templates:
        entry.includeSelectors === true || entry.includeTemplates === true,
    });
  }
  const helmCharts = list('helmCharts').map(entry => {
    if (!isRecord(entry) || typeof entry.name !== 'string') {
      throw new ManifestParseError(
        relFile,
        undefined,
        'helmCharts entries need a name',
      );
    }
    const chart: ApplicationSource['helmCharts'][number] = { name: entry.name };
    for (const key of [
      'repo',
      'version',
      'releaseName',
      'namespace',
    ] as const) {
      if (entry[key] !== undefined) chart[key] = String(entry[key]);
    }
    return chart;
  });
  return {
    resources: list('resources').map(String),
    namespace: typeof doc.namespace === 'string' ? doc.namespace : undefined,
    labels,
    annotations: stringMap(doc.commonAnnotations, 'commonAnnotations', relFile),
    helmCharts,
  };
}

function addTo(
  target: Record<string, unknown>,
  key: string,
  pairs: Record<string, string>,
) {
  const current = isRecord(target[key])
    ? (target[key] as Record<string, unknown>)
    : {};
  target[key] = { ...current, ...pairs };
}

function podTemplateMeta(
  object: KubeObject,
): Record<string, unknown> | undefined {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  let template: unknown = spec?.template;
  if (object.kind === 'CronJob') {
    const jobTemplate = isRecord(spec?.jobTemplate)
      ? spec?.jobTemplate
      : undefined;
    const jobSpec = isRecord(jobTemplate?.spec) ? jobTemplate?.spec : undefined;
    template = jobSpec?.template;
  } else if (!POD_TEMPLATE_KINDS.has(object.kind)) {
    return undefined;
  }
  if (!isRecord(template)) return undefined;
  if (!isRecord(template.metadata)) template.metadata = {};
  return template.metadata as Record<string, unknown>;
}

function transform(objects: KubeObject[], k: Kustomization): KubeObject[] {
  for (const object of objects) {
    if (k.namespace && !CLUSTER_SCOPED_KINDS.has(object.kind)) {
      object.metadata.namespace = k.namespace;
    }
    if (Object.keys(k.annotations).length > 0) {
      addTo(object.metadata, 'annotations', k.annotations);
      const templateMeta = podTemplateMeta(object);
      if (templateMeta) addTo(templateMeta, 'annotations', k.annotations);
    }
    for (const label of k.labels) {
      addTo(object.metadata, 'labels', label.pairs);
      const templateMeta = label.templates
        ? podTemplateMeta(object)
        : undefined;
      if (templateMeta) addTo(templateMeta, 'labels', label.pairs);
      if (label.selectors && isRecord(object.spec)) {
        const spec = object.spec;
        if (object.kind === 'Service') {
          addTo(spec, 'selector', label.pairs);
        } else if (
          POD_TEMPLATE_KINDS.has(object.kind) &&
          object.kind !== 'Job'
        ) {
          if (!isRecord(spec.selector)) spec.selector = {};
          addTo(
            spec.selector as Record<string, unknown>,
            'matchLabels',
            label.pairs,
          );
        }
      }
    }
  }
  return objects;
}

function readManifestFile(repoRoot: string, absFile: string): KubeObject[] {
  return parseManifests(
    fs.readFileSync(absFile, 'utf8'),
    toRepoPath(repoRoot, absFile),
  );
}

function readDirectory(
  repoRoot: string,
  absDir: string,
  source: ApplicationSource,
): void {
  const kustomizationFile = KUSTOMIZATION_FILES.map(f =>
    path.join(absDir, f),
  ).find(f => fs.existsSync(f));
  if (!kustomizationFile) {
    const files = fs
      .readdirSync(absDir, { withFileTypes: true })
      .filter(
        e =>
          e.isFile() && /\.ya?ml$/.test(e.name) && !NOT_MANIFESTS.has(e.name),
      )
      .map(e => e.name)
      .sort();
    for (const file of files) {
      source.objects.push(
        ...readManifestFile(repoRoot, path.join(absDir, file)),
      );
    }
    return;
  }

  const k = readKustomization(
    kustomizationFile,
    toRepoPath(repoRoot, kustomizationFile),
  );
  const nested: ApplicationSource = {
    objects: [],
    seedObjects: [],
    helmCharts: [],
  };
  for (const resource of k.resources) {
    if (
      /^[a-z][a-z0-9+.-]*:\/\//i.test(resource) ||
      /^(github\.com|git@)/.test(resource)
    ) {
      throw new Error(
        `${toRepoPath(
          repoRoot,
          kustomizationFile,
        )}: remote resource ${resource} is not supported`,
      );
    }
    const rel = path.relative(
      fs.realpathSync(path.resolve(repoRoot)),
      path.resolve(absDir, resource),
    );
    const abs = resolveInRepo(repoRoot, rel);
    if (!fs.existsSync(abs)) {
      throw new Error(
        `${toRepoPath(
          repoRoot,
          kustomizationFile,
        )}: resource ${resource} does not exist`,
      );
    }
    if (fs.statSync(abs).isDirectory()) {
      readDirectory(repoRoot, abs, nested);
    } else {
      nested.objects.push(...readManifestFile(repoRoot, abs));
    }
  }
  if (k.helmCharts.length > 0) {
    nested.helmCharts.push(...k.helmCharts);
    const seed = path.join(absDir, SEED_FILE);
    if (fs.existsSync(seed)) {
      nested.seedObjects.push(...readManifestFile(repoRoot, seed));
    }
  }
  source.objects.push(...transform(nested.objects, k));
  source.seedObjects.push(...transform(nested.seedObjects, k));
  source.helmCharts.push(...nested.helmCharts);
}

/**
 * Reads what an Application at repo-relative `appPath` would apply: kustomization.yaml
 * `resources` (files and sub-directories, recursively) or, without a kustomization, every
 * *.yaml/*.yml in the directory except catalog-info.yaml and sandbox-seed.yaml; plus
 * `sandbox-seed.yaml` objects when the kustomization declares helmCharts. Kustomization
 * `namespace:` and `commonLabels`/`labels` are applied to objects. Throws ManifestParseError
 * for malformed YAML and a plain Error for a missing referenced file or a path escaping the
 * repo.
 *
 * `commonAnnotations` is applied too; cluster-scoped kinds keep no namespace. A resource may
 * point outside the kustomization's directory as long as it stays inside the repository.
 * Remote resources are rejected with a plain Error. Each call returns fresh objects.
 *
 * @param repoRoot - the repository checkout on disk
 * @param appPath - the Application's `source.path`, relative to repoRoot
 * @public
 */
export function readApplicationSource(
  repoRoot: string,
  appPath: string,
): ApplicationSource {
  const normalized = normalizeRepoPath(appPath);
  const absDir = resolveInRepo(repoRoot, normalized === '' ? '.' : normalized);
  if (!fs.existsSync(absDir) || !fs.statSync(absDir).isDirectory()) {
    throw new Error(
      `Application path ${appPath} is not a directory in ${repoRoot}`,
    );
  }
  const source: ApplicationSource = {
    objects: [],
    seedObjects: [],
    helmCharts: [],
  };
  readDirectory(repoRoot, absDir, source);
  return source;
}
