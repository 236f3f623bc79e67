import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_ID_LABEL,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@internal/kube-model';
import { ServiceInput } from '../validation';
import { kustomization, RenderedFiles } from './yaml';

/**
 * Tier → PriorityClass, consistent with tier-health's default PriorityClass → tier mapping:
 * 1 platform-infrastructure (platform-team only), 2 platform-observability (platform-team
 * only), 3 platform-dashboards (important, below the platform's own), 4 user-workloads.
 */
export const TIER_PRIORITY_CLASS: Record<1 | 2 | 3 | 4, string> = {
  1: 'platform-infrastructure',
  2: 'platform-observability',
  3: 'platform-dashboards',
  4: 'user-workloads',
};

/** Gateways (namespace `gateway`) an exposed service attaches its HTTPRoute to. */
export const GATEWAYS = {
  internal: 'internal-gateway',
  public: 'public-gateway',
} as const;
export const GATEWAY_NAMESPACE = 'gateway';

/** Container requests/limits per size preset; `small` is what a service gets by default. */
export const SIZE_RESOURCES = {
  small: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  },
  medium: {
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '1', memory: '1Gi' },
  },
  large: {
    requests: { cpu: '500m', memory: '512Mi' },
    limits: { cpu: '2', memory: '2Gi' },
  },
} as const;

/** The tag the first rollout uses when only a semver range is given: its lower bound. */
export function initialTagFromRange(range: string): string {
  const m = /v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(range);
  if (!m) return '0.0.0';
  const part = (s?: string) =>
    s === undefined || s === 'x' || s === '*' ? '0' : s;
  return `${m[1]}.${part(m[2])}.${part(m[3])}`;
}

/**
 * The per-service parameters file the apps ApplicationSet (`K8s/apps/applicationset-apps.yaml`,
 * git files generator over `K8s/apps/*\/*\/application.yaml`) turns into the Application
 * `<team>-<service>`.
 */
export const APPLICATION_PARAMS_FILE = 'application.yaml';

/**
 * What the apps ApplicationSet puts on the service's Application as ArgoCD Image Updater
 * (annotation mode) settings for the image alias `app`: `image-list`, `app.update-strategy`,
 * `app.allow-tags` (write-back `argocd` is fixed in the ApplicationSet). Every key is always
 * set (the ApplicationSet uses `missingkey=error`).
 */
export interface ApplicationParams {
  imageUpdater: {
    /** `app=<image>[:<semver range>]`; empty: Image Updater tracks no image. */
    imageList: string;
    /** `semver` or `newest-build`. */
    updateStrategy: 'semver' | 'newest-build';
    /** `any` or `regexp:<pattern>` (the only forms Image Updater accepts; anything else matches no tag). */
    allowTags: string;
  };
}

/**
 * The Image Updater settings of a validated service request:
 * - `none`: no image tracked (`imageList: ''`); strategy and tags are Image Updater's defaults.
 * - `semver`: `app=<image>:<range>`, strategy `semver`, any tag (the range filters).
 * - `tag-pattern`: `app=<image>`, strategy `newest-build`, tags `regexp:<tagPattern>`.
 * With no `imageUpdate`, a `semverRange` means `semver`.
 */
export function applicationParams(input: ServiceInput): ApplicationParams {
  const update = input.imageUpdate ?? (input.semverRange ? 'semver' : 'none');
  switch (update) {
    case 'semver':
      if (!input.semverRange) {
        throw new Error('imageUpdate semver needs a semverRange');
      }
      return {
        imageUpdater: {
          imageList: `app=${input.image}:${input.semverRange.trim()}`,
          updateStrategy: 'semver',
          allowTags: 'any',
        },
      };
    case 'tag-pattern':
      if (!input.tagPattern) {
        throw new Error('imageUpdate tag-pattern needs a tagPattern');
      }
      return {
        imageUpdater: {
          imageList: `app=${input.image}`,
          updateStrategy: 'newest-build',
          allowTags: `regexp:${input.tagPattern}`,
        },
      };
    default:
      return {
        imageUpdater: {
          imageList: '',
          updateStrategy: 'semver',
          allowTags: 'any',
        },
      };
  }
}

export interface ServiceRenderContext {
  /** Labels of the owner team's Namespace (business-unit, environment). */
  namespaceLabels: Record<string, string>;
}

/** Renders `K8s/apps/<team>/<service>/`: pure, file name → object. */
export function renderService(
  input: ServiceInput,
  ctx: ServiceRenderContext,
): RenderedFiles {
  const { name, owner: team } = input;
  const version = input.tag ?? initialTagFromRange(input.semverRange ?? '');
  const selector = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': `${team}-${name}`,
  };
  const labels = {
    ...selector,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/component': 'service',
    'app.kubernetes.io/part-of': team,
    owner: team,
    'business-unit': ctx.namespaceLabels['business-unit'] ?? team,
    environment: ctx.namespaceLabels.environment ?? 'development',
  };
  const podLabels = { ...labels, [KUBERNETES_ID_LABEL]: name };
  const meta = () => ({
    name,
    namespace: team,
    labels: { ...labels, [KUBERNETES_ID_LABEL]: name },
  });
  const secretEnv = input.secrets?.length
    ? [{ secretRef: { name: `${name}-secrets` } }]
    : undefined;

  const files: RenderedFiles = {
    'deployment.yaml': {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(),
      spec: {
        replicas: input.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: podLabels },
          spec: {
            priorityClassName: TIER_PRIORITY_CLASS[input.tier],
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
              },
            ],
            containers: [
              {
                name,
                image: `${input.image}:${version}`,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: 'http', containerPort: input.port, protocol: 'TCP' },
                ],
                ...(input.env?.length
                  ? {
                      env: input.env.map(e => ({
                        name: e.name,
                        value: e.value,
                      })),
                    }
                  : {}),
                ...(secretEnv ? { envFrom: secretEnv } : {}),
                resources: structuredClone(
                  SIZE_RESOURCES[input.size ?? 'small'],
                ),
                // TCP probes: the template knows nothing about the image's HTTP paths
                readinessProbe: {
                  tcpSocket: { port: 'http' },
                  initialDelaySeconds: 5,
                  periodSeconds: 10,
                },
                livenessProbe: {
                  tcpSocket: { port: 'http' },
                  initialDelaySeconds: 15,
                  periodSeconds: 20,
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            // readOnlyRootFilesystem: most runtimes still need a writable /tmp
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    'service.yaml': {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(),
      spec: {
        selector,
        ports: [
          {
            name: 'http',
            port: input.port,
            targetPort: 'http',
            protocol: 'TCP',
          },
        ],
      },
    },
  };
  if (input.replicas > 1) {
    files['poddisruptionbudget.yaml'] = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(),
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    };
  }
  if (input.exposure !== 'none' && input.hostname) {
    files['httproute.yaml'] = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta(),
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: GATEWAYS[input.exposure],
            namespace: GATEWAY_NAMESPACE,
          },
        ],
        hostnames: [input.hostname],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name, port: input.port }],
          },
        ],
      },
    };
  }
  if (input.metricsPath) {
    files['servicemonitor.yaml'] = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: meta(),
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [team] },
        endpoints: [{ port: 'http', path: input.metricsPath, interval: '30s' }],
      },
    };
  }
  if (input.secrets?.length) {
    files['externalsecret.yaml'] = {
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: meta(),
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: `vault-${team}` },
        target: { name: `${name}-secrets`, creationPolicy: 'Owner' },
        data: input.secrets.map(key => ({
          // env var names: the last key segment, upper-cased, non-alphanumerics as "_"
          secretKey: (key.split('/').pop() ?? key)
            .toUpperCase()
            .replace(/[^A-Z0-9_]/g, '_'),
          remoteRef: { key: `${team}/${name}`, property: key },
        })),
      },
    };
  }
  const resources = Object.keys(files);
  const kustomize: Record<string, unknown> = kustomization(resources);
  files['kustomization.yaml'] = kustomize;

  // Not a Kubernetes object and not in the kustomization: the apps ApplicationSet's git files
  // generator reads it and copies it onto the Application as Image Updater annotations.
  files[APPLICATION_PARAMS_FILE] = applicationParams(input);

  files['catalog-info.yaml'] = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description: input.description,
      annotations: {
        [KUBERNETES_ID_ANNOTATION]: name,
        [KUBERNETES_NAMESPACE_ANNOTATION]: team,
        'argocd/app-name': `${team}-${name}`,
        'idp.platform/tier': String(input.tier),
        // the runbook (mkdocs.yml + docs/ from the template's skeleton) and the Grafana
        // dashboard every service gets; logs and metrics links derive from the two above
        'backstage.io/techdocs-ref': 'dir:.',
        'idp.platform/grafana-dashboard': 'idp-workload',
      },
      tags: ['gitops', `tier-${input.tier}`],
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: `group:default/${team}`,
    },
  };
  return files;
}
