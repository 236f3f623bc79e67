import type {
  ApplicationStatus,
  DeploymentHistory,
} from '@internal/plugin-argocd-deployments-common';
import type { EntityPolicyResultsResponse } from '@internal/plugin-policy-reports-common';
import type {
  ClusterState,
  EntityTierResponse,
  ClusterFreshnessJson,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';

/** What the ArgoCD deployments API answers for checkout-api, Synced and Healthy. */
export function history(
  overrides: Partial<Omit<DeploymentHistory, 'applications'>> & {
    applications?: ApplicationStatus[];
  } = {},
): DeploymentHistory {
  return {
    applications: [
      {
        name: 'team-payments-checkout-api',
        namespace: 'argocd',
        sync: 'Synced',
        health: 'Healthy',
      },
    ],
    deployments: [
      {
        key: 'team-payments-checkout-api/1/0',
        app: 'team-payments-checkout-api',
        appNamespace: 'argocd',
        current: true,
        revision: 'fedcba9876543210fedcba9876543210fedcba98',
        deployStartedAt: '2026-03-12T14:00:00Z',
        deployedAt: '2026-03-12T14:01:05Z',
        commit: { author: 'Grace Hopper', subject: 'Pin the image' },
      },
      {
        key: 'team-payments-checkout-api/0/1',
        app: 'team-payments-checkout-api',
        appNamespace: 'argocd',
        current: false,
        revision: '0123456789abcdef0123456789abcdef01234567',
        commit: { author: 'Ada Lovelace', subject: 'Add the service' },
      },
    ],
    failures: [],
    ...overrides,
  };
}

/** Policy results with the given counts; failing ones are 1 high, the rest medium. */
export function policyResults(counts: {
  pass?: number;
  fail?: number;
  warn?: number;
  error?: number;
}): EntityPolicyResultsResponse {
  const byResult = {
    pass: counts.pass ?? 0,
    fail: counts.fail ?? 0,
    warn: counts.warn ?? 0,
    error: counts.error ?? 0,
    skip: 0,
  };
  const failing = byResult.fail + byResult.error;
  const total = byResult.pass + byResult.fail + byResult.warn + byResult.error;
  const resultSummary = {
    total,
    byResult,
    failingBySeverity: {
      critical: 0,
      high: failing ? 1 : 0,
      medium: failing ? failing - 1 : 0,
      low: 0,
      info: 0,
    },
    compliancePercent: total
      ? Math.round((byResult.pass / total) * 100)
      : undefined,
  };
  return {
    summary: resultSummary,
    filteredSummary: resultSummary,
    resources: [],
    facets: { policies: [], categories: [], clusters: ['sandbox'] },
    clusters: [
      {
        cluster: 'sandbox',
        stale: false,
        lastSuccessfulRefresh: '2026-03-12T14:09:55Z',
      },
    ],
  };
}

/** checkout-api on the sandbox cluster: tier 4, available on one worker. */
export function entityTier(
  freshness: Partial<ClusterFreshnessJson> = {},
): EntityTierResponse {
  return {
    entityRef: 'component:default/checkout-api',
    annotatedTier: 4,
    clusters: [
      {
        cluster: 'sandbox',
        mode: 'watch',
        synced: true,
        stale: false,
        outdated: false,
        ageSeconds: 2,
        ...freshness,
        component: {
          key: 'component:default/checkout-api',
          name: 'checkout-api',
          entityRef: 'component:default/checkout-api',
          tier: 4,
          tierSource: 'annotation',
          availability: 'available',
          ready: 2,
          desired: 2,
          nodes: [],
          survivesLossOf: [],
          problems: [],
        },
      },
    ],
  };
}

export function summary(state: ClusterState): SummaryResponse {
  return {
    clusters: [
      {
        cluster: 'sandbox',
        mode: 'watch',
        synced: true,
        stale: false,
        outdated: false,
        ageSeconds: 2,
        state,
        reasons: [],
        reasonCount: 0,
        tiers: [],
        components: [],
      },
    ],
  };
}

let podNumber = 0;

export function pod(options: {
  ready: boolean;
  restarts?: number;
  waiting?: string;
}) {
  podNumber += 1;
  return {
    metadata: { name: `checkout-api-${podNumber}`, namespace: 'team-payments' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: options.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'app',
          image: 'registry.example.com/checkout-api:1.0.0',
          imageID: '',
          ready: options.ready,
          restartCount: options.restarts ?? 0,
          state: options.waiting
            ? { waiting: { reason: options.waiting } }
            : { running: { startedAt: new Date('2026-03-12T14:00:00Z') } },
        },
      ],
    },
  };
}

/** What the Kubernetes backend answers: one Deployment and its pods on the sandbox cluster. */
export function kubernetesObjects(options: {
  replicas: number;
  pods: ReturnType<typeof pod>[];
}): ObjectsByEntityResponse {
  return {
    items: [
      {
        cluster: { name: 'sandbox' },
        podMetrics: [],
        errors: [],
        resources: [
          {
            type: 'deployments',
            resources: [
              {
                metadata: { name: 'checkout-api', namespace: 'team-payments' },
                spec: {
                  replicas: options.replicas,
                  selector: {},
                  template: {},
                },
              },
            ],
          },
          { type: 'pods', resources: options.pods },
        ],
      },
    ],
  } as ObjectsByEntityResponse;
}
