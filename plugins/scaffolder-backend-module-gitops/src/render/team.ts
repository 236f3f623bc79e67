import { KUBERNETES_NAMESPACE_ANNOTATION } from '@internal/kube-model';
import { TeamInput } from '../validation';
import { kustomization, RenderedFiles } from './yaml';

/**
 * Quota sizes. Requests are what the scheduler guarantees, limits the burst ceiling; the
 * LimitRange fills in container defaults so pods without resources still fit the quota.
 *
 * | size   | requests cpu/mem | limits cpu/mem | pods | services | PVCs | container default (request → limit) | container max |
 * | small  | 2 / 4Gi          | 4 / 8Gi        | 20   | 10       | 5    | 100m/128Mi → 500m/512Mi             | 2 / 4Gi       |
 * | medium | 4 / 8Gi          | 8 / 16Gi       | 50   | 20       | 10   | 100m/128Mi → 500m/512Mi             | 4 / 8Gi       |
 * | large  | 8 / 16Gi         | 16 / 32Gi      | 100  | 40       | 20   | 250m/256Mi → 1/1Gi                  | 8 / 16Gi      |
 */
export const QUOTAS = {
  small: {
    hard: {
      'requests.cpu': '2',
      'requests.memory': '4Gi',
      'limits.cpu': '4',
      'limits.memory': '8Gi',
      pods: '20',
      services: '10',
      persistentvolumeclaims: '5',
    },
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    default: { cpu: '500m', memory: '512Mi' },
    max: { cpu: '2', memory: '4Gi' },
  },
  medium: {
    hard: {
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      pods: '50',
      services: '20',
      persistentvolumeclaims: '10',
    },
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    default: { cpu: '500m', memory: '512Mi' },
    max: { cpu: '4', memory: '8Gi' },
  },
  large: {
    hard: {
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      'limits.cpu': '16',
      'limits.memory': '32Gi',
      pods: '100',
      services: '40',
      persistentvolumeclaims: '20',
    },
    defaultRequest: { cpu: '250m', memory: '256Mi' },
    default: { cpu: '1', memory: '1Gi' },
    max: { cpu: '8', memory: '16Gi' },
  },
} as const;

/** Namespaces whose traffic a team namespace accepts: the gateways and Prometheus. */
export const INGRESS_NAMESPACES = ['gateway', 'monitoring'];

export interface TeamRenderContext {
  /** repoURL ArgoCD uses for the GitOps repository (AppProject sourceRepos). */
  argoRepoUrl: string;
  /** Catalog users to list as the Group's first members (the onboarding user). */
  members: string[];
}

/** Renders `K8s/teams/<team>/`: pure, file name → object. */
export function renderTeam(
  input: TeamInput & { ownerGroup: string },
  ctx: TeamRenderContext,
): RenderedFiles {
  const { team } = input;
  const labels = {
    'app.kubernetes.io/part-of': team,
    owner: team,
    'business-unit': input.businessUnit,
    environment: input.environment,
    'idp.platform/team': team,
    'cost-center': input.costCenter,
  };
  const common = {
    'app.kubernetes.io/part-of': team,
    owner: team,
    'business-unit': input.businessUnit,
    environment: input.environment,
  };
  const quota = QUOTAS[input.quotaSize];
  const files: RenderedFiles = {
    'namespace.yaml': {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: team, labels },
    },
    'resourcequota.yaml': {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {
        name: `${team}-quota`,
        namespace: team,
        labels: { ...common, 'idp.platform/quota-size': input.quotaSize },
      },
      spec: { hard: { ...quota.hard } },
    },
    'limitrange.yaml': {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: `${team}-limits`, namespace: team, labels: common },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { ...quota.default },
            defaultRequest: { ...quota.defaultRequest },
            max: { ...quota.max },
          },
        ],
      },
    },
    'networkpolicy.yaml': [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: team, labels: common },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: 'allow-platform-ingress',
          namespace: team,
          labels: common,
        },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: INGRESS_NAMESPACES.map(ns => ({
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': ns },
                },
              })),
            },
          ],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: 'allow-same-namespace',
          namespace: team,
          labels: common,
        },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }] }],
        },
      },
    ],
    'rolebinding.yaml': {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${team}-edit`, namespace: team, labels: common },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: input.ownerGroup,
        },
      ],
    },
    'appproject.yaml': {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: team, namespace: 'argocd', labels: common },
      spec: {
        description: `Team ${input.displayName}`,
        sourceRepos: [ctx.argoRepoUrl],
        destinations: [
          { server: 'https://kubernetes.default.svc', namespace: team },
        ],
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: [
          { group: '', kind: 'ResourceQuota' },
          { group: '', kind: 'LimitRange' },
          { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
          { group: 'rbac.authorization.k8s.io', kind: '*' },
        ],
      },
    },
  };
  const resources = Object.keys(files);
  files['kustomization.yaml'] = kustomization(resources);
  files['catalog-info.yaml'] = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: team,
      title: input.displayName,
      ...(input.description ? { description: input.description } : {}),
      annotations: {
        [KUBERNETES_NAMESPACE_ANNOTATION]: team,
        'idp.platform/business-unit': input.businessUnit,
        'idp.platform/environment': input.environment,
        'idp.platform/cost-center': input.costCenter,
        'idp.platform/quota-size': input.quotaSize,
        'idp.platform/oidc-group': input.ownerGroup,
      },
    },
    spec: {
      type: 'team',
      parent: 'engineering',
      profile: { displayName: input.displayName },
      children: [],
      ...(ctx.members.length ? { members: ctx.members } : {}),
    },
  };
  return files;
}
