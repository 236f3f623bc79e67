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

/** The tag the first rollout uses when only a semver range is given: its lower bound. */
export function initialTagFromRange(range: string): string {
  const m = /v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(range);
  if (!m) return '0.0.0';
  const part = (s?: string) =>
    s === undefined || s === 'x' || s === '*' ? '0' : s;
  return `${m[1]}.${part(m[2])}.${part(m[3])}`;
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
  const podLabels = { ...labels, 'backstage.io/kubernetes-id': name };
  const meta = () => ({
    name,
    namespace: team,
    labels: { ...labels, 'backstage.io/kubernetes-id': name },
  });
  const update = input.imageUpdate ?? (input.semverRange ? 'semver' : 'none');
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
                ...(secretEnv ? { envFrom: secretEnv } : {}),
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { cpu: '500m', memory: '512Mi' },
                },
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

  // Image Updater reads its annotations from the ArgoCD Application. The apps ApplicationSet
  // generates that Application, so the annotations travel in the service directory as a
  // kustomize-ignored file the ApplicationSet template can pick up, and are repeated on the
  // Deployment for humans; write-back is `argocd` (no commit from the updater).
  const annotations: Record<string, string> = {
    'backstage.io/kubernetes-id': name,
    'backstage.io/kubernetes-namespace': team,
    'argocd/app-name': `${team}-${name}`,
    'idp.platform/tier': String(input.tier),
  };
  if (update !== 'none') {
    const updater: Record<string, string> = {
      'argocd-image-updater.argoproj.io/image-list': `app=${input.image}`,
      'argocd-image-updater.argoproj.io/app.update-strategy':
        update === 'semver' ? 'semver' : 'newest-build',
      'argocd-image-updater.argoproj.io/write-back-method': 'argocd',
    };
    if (update === 'semver') {
      updater[
        'argocd-image-updater.argoproj.io/image-list'
      ] = `app=${input.image}:${input.semverRange}`;
    } else {
      updater[
        'argocd-image-updater.argoproj.io/app.allow-tags'
      ] = `regexp:${input.tagPattern}`;
    }
    const dep = files['deployment.yaml'] as {
      metadata: { annotations?: Record<string, string> };
    };
    dep.metadata.annotations = { ...updater };
    Object.assign(annotations, updater);
  }
  files['catalog-info.yaml'] = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      description: input.description,
      annotations,
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
