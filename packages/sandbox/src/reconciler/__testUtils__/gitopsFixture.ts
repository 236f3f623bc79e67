/**
 * A small GitOps repository for the reconciler tests (test helper only): a platform stack with
 * governance namespaces and Kyverno policies, and an apps stack with one service (a git files
 * generator over each service's application.yaml, like the repository's apps ApplicationSet).
 */

const applicationSet = (
  stack: string,
  name: string,
  directories: string,
  destination: string,
) => `
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${stack}
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: https://git.example.com/platform/gitops.git
        revision: HEAD
        directories:
          - path: ${directories}
  template:
    metadata:
      name: '${name}'
    spec:
      project: ${stack}
      source:
        repoURL: https://git.example.com/platform/gitops.git
        targetRevision: HEAD
        path: '{{.path.path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '${destination}'
      syncPolicy:
        automated: { prune: true, selfHeal: true }
`;

/**
 * The apps stack's ApplicationSet, shaped like K8s/apps/applicationset-apps.yaml: a git files
 * generator over each service's application.yaml, whose keys become Image Updater annotations.
 */
const appsApplicationSet = `
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: [missingkey=error]
  generators:
    - git:
        repoURL: https://git.example.com/platform/gitops.git
        revision: HEAD
        files:
          - path: K8s/apps/*/*/application.yaml
  template:
    metadata:
      name: '{{index .path.segments 2}}-{{.path.basename}}'
      annotations:
        argocd-image-updater.argoproj.io/image-list: '{{.imageUpdater.imageList}}'
        argocd-image-updater.argoproj.io/app.update-strategy: '{{.imageUpdater.updateStrategy}}'
        argocd-image-updater.argoproj.io/app.allow-tags: '{{.imageUpdater.allowTags}}'
        argocd-image-updater.argoproj.io/write-back-method: argocd
    spec:
      project: apps
      source:
        repoURL: https://git.example.com/platform/gitops.git
        targetRevision: HEAD
        path: '{{.path.path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{index .path.segments 2}}'
      syncPolicy:
        automated: { prune: true, selfHeal: true }
`;

/**
 * A service's application.yaml (the apps ApplicationSet's parameters file, as the new-service
 * template writes it); `imageList` empty means no automatic image updates.
 */
export const appParams = (
  imageList = '',
  updateStrategy = 'semver',
  allowTags = 'any',
) => `imageUpdater:
  imageList: '${imageList}'
  updateStrategy: ${updateStrategy}
  allowTags: '${allowTags}'
`;

/** A kustomization listing `resources` (so the parameters file is never applied). */
export const kustomization = (...resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources
    .map(r => `  - ${r}\n`)
    .join('')}`;

/**
 * The files of a service directory `K8s/apps/<team>/<name>/` (repo-relative paths): its
 * manifests in deployment.yaml, a kustomization and the parameters file.
 */
export const serviceDir = (
  team: string,
  name: string,
  manifests: string,
  params = appParams(),
): Record<string, string> => ({
  [`K8s/apps/${team}/${name}/deployment.yaml`]: manifests,
  [`K8s/apps/${team}/${name}/kustomization.yaml`]:
    kustomization('deployment.yaml'),
  [`K8s/apps/${team}/${name}/application.yaml`]: params,
});

const appProject = (name: string) => `
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: ${name}
  namespace: argocd
spec:
  sourceRepos: ['*']
  destinations: [{ server: https://kubernetes.default.svc, namespace: '*' }]
`;

/** A Namespace with (or without) the governance labels the Enforce policy requires. */
export const namespace = (name: string, labelled = true) => `
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    environment: dev
${labelled ? `    owner: team\n    business-unit: rnd\n` : ''}`;

/** A Deployment (plus Service) of `replicas` pods; `labelled` satisfies the Audit policy. */
export const service = (
  name: string,
  {
    replicas = 2,
    labelled = true,
    image = `registry.example.com/${name}:1.0.0`,
  } = {},
) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
${
  labelled ? `    app.kubernetes.io/name: ${name}\n` : ''
}    backstage.io/kubernetes-id: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels:
        app: ${name}
${labelled ? `        app.kubernetes.io/name: ${name}\n` : ''}    spec:
      containers:
        - name: ${name}
          image: ${image}
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports: [{ port: 80, targetPort: 8080 }]
`;

const policies = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-namespace-labels
  annotations:
    policies.kyverno.io/category: Governance
    policies.kyverno.io/severity: high
spec:
  validationFailureAction: Enforce
  background: true
  rules:
    - name: check-governance-labels
      match:
        any:
          - resources:
              kinds: [Namespace]
      exclude:
        any:
          - resources:
              names: [kube-system, kube-public, kube-node-lease, default]
      validate:
        message: Namespace must have the labels owner and business-unit.
        pattern:
          metadata:
            labels:
              owner: "?*"
              business-unit: "?*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-workload-labels
  annotations:
    policies.kyverno.io/category: Best Practices
    policies.kyverno.io/severity: medium
spec:
  validationFailureAction: Audit
  background: true
  rules:
    - name: check-name-label
      match:
        any:
          - resources:
              kinds: [Pod]
              namespaces: [team-a]
      validate:
        message: Pods need app.kubernetes.io/name.
        pattern:
          metadata:
            labels:
              app.kubernetes.io/name: "?*"
`;

/** The seed tree (paths relative to K8s/). */
export function gitopsTree(): Record<string, string> {
  return {
    'platform/applicationset-platform.yaml': applicationSet(
      'platform',
      'platform-{{.path.basename}}',
      'K8s/platform/*',
      'platform-system',
    ),
    'platform/appproject-platform.yaml': appProject('platform'),
    'platform/governance/namespaces.yaml': `${namespace(
      'platform-system',
    )}---${namespace('team-a')}`,
    'platform/policies/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - policies.yaml\n',
    'platform/policies/policies.yaml': policies,
    'apps/applicationset-apps.yaml': appsApplicationSet,
    'apps/appproject-apps.yaml': appProject('apps'),
    'apps/team-a/api/kustomization.yaml': kustomization('service.yaml'),
    'apps/team-a/api/service.yaml': service('api'),
    'apps/team-a/api/application.yaml': appParams(
      'app=registry.example.com/api:^1.0',
    ),
  };
}
