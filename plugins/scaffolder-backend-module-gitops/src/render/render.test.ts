import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  expandApplicationSet,
  findApplicationSets,
  parseManifests,
} from '@internal/gitops-repo';
import { KubeResource } from '@internal/policy-engine';
import { RepoState } from '../repoState';
import { checkPolicies } from '../policy/check';
import { validateServiceInput, validateTeamInput } from '../validation';
import { renderService } from './service';
import { renderTeam } from './team';
import { writeRendered } from './write';
import { toYaml } from './yaml';

const repoRoot = path.resolve(__dirname, '../../../..');
const repo = new RepoState(repoRoot);
const platform = repo.platformNamespaces();

/** Rendered files that are not Kubernetes objects. */
const NOT_MANIFESTS = [
  'kustomization.yaml',
  'catalog-info.yaml',
  'application.yaml',
];

function manifests(files: Record<string, unknown>): KubeResource[] {
  return Object.entries(files)
    .filter(([f]) => !NOT_MANIFESTS.includes(f))
    .flatMap(([f, doc]) => parseManifests(toYaml(doc), f) as KubeResource[]);
}

const teamFiles = renderTeam(
  validateTeamInput(
    {
      team: 'payments',
      displayName: 'Payments: "cards" #1',
      description: 'key: value - [a] {b} &c',
      businessUnit: 'commerce',
      environment: 'production',
      quotaSize: 'medium',
      costCenter: 'CC-42',
    },
    platform,
  ),
  { argoRepoUrl: repo.argoRepoUrl(), members: ['guest'] },
);

describe('renderTeam', () => {
  it('reads the platform namespaces from the repository', () => {
    expect(platform).toEqual(
      expect.arrayContaining(['monitoring', 'argocd', 'vault']),
    );
  });

  it('renders every onboarding resource, listed in the kustomization', () => {
    const kinds = manifests(teamFiles)
      .map(r => r.kind)
      .sort();
    expect(kinds).toEqual([
      'AppProject',
      'LimitRange',
      'Namespace',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'ResourceQuota',
      'RoleBinding',
    ]);
    expect((teamFiles['kustomization.yaml'] as any).resources).not.toContain(
      'catalog-info.yaml',
    );
    const ns = manifests(teamFiles).find(r => r.kind === 'Namespace')!;
    expect(ns.metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'payments',
      owner: 'payments',
      'business-unit': 'commerce',
      environment: 'production',
      'idp.platform/team': 'payments',
      'cost-center': 'CC-42',
    });
    const project = manifests(teamFiles).find(
      r => r.kind === 'AppProject',
    ) as any;
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'payments' },
    ]);
    expect(project.spec.sourceRepos).toEqual([
      'https://git.example.com/platform/gitops.git',
    ]);
  });

  it('round-trips YAML-significant free text as plain strings', () => {
    const group = parse(toYaml(teamFiles['catalog-info.yaml']));
    expect(group.metadata.title).toBe('Payments: "cards" #1');
    expect(group.spec).toMatchObject({
      type: 'team',
      parent: 'engineering',
      members: ['guest'],
    });
    expect(
      group.metadata.annotations['backstage.io/kubernetes-namespace'],
    ).toBe('payments');
  });

  it('passes the repository Kyverno policies with no failures', () => {
    expect(
      checkPolicies(repo.policies(), manifests(teamFiles), () => undefined),
    ).toEqual([]);
  });
});

describe('renderService', () => {
  const nsLabels = { 'business-unit': 'commerce', environment: 'production' };
  const full = renderService(
    validateServiceInput(
      {
        name: 'web',
        owner: 'payments',
        description: 'Shop',
        image: 'ghcr.io/acme/web',
        semverRange: '^1.2',
        imageUpdate: 'semver',
        port: 8080,
        replicas: 3,
        tier: 3,
        exposure: 'public',
        hostname: 'shop.example.com',
        metricsPath: '/metrics',
        secrets: ['db/password', 'api-key'],
      },
      platform,
    ),
    { namespaceLabels: nsLabels },
  );

  it('renders the optional resources when asked', () => {
    expect(Object.keys(full).sort()).toEqual([
      'application.yaml',
      'catalog-info.yaml',
      'deployment.yaml',
      'externalsecret.yaml',
      'httproute.yaml',
      'kustomization.yaml',
      'poddisruptionbudget.yaml',
      'service.yaml',
      'servicemonitor.yaml',
    ]);
    const dep = full['deployment.yaml'] as any;
    expect(dep.spec.template.spec.priorityClassName).toBe(
      'platform-dashboards',
    );
    expect(dep.spec.template.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'web',
      'app.kubernetes.io/version': '1.2.0',
      'business-unit': 'commerce',
      environment: 'production',
    });
    expect(dep.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/web:1.2.0',
    );
    expect((full['httproute.yaml'] as any).spec.parentRefs[0].name).toBe(
      'public-gateway',
    );
    expect((full['externalsecret.yaml'] as any).spec.secretStoreRef).toEqual({
      kind: 'SecretStore',
      name: 'vault-payments',
    });
    const component = full['catalog-info.yaml'] as any;
    // Image Updater reads the Application only (see application.yaml), so neither the
    // Deployment nor the Component carries its annotations
    expect(component.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'web',
      'backstage.io/kubernetes-namespace': 'payments',
      'argocd/app-name': 'payments-web',
      'idp.platform/tier': '3',
      'backstage.io/techdocs-ref': 'dir:.',
      'idp.platform/grafana-dashboard': 'idp-workload',
    });
    expect(dep.metadata.annotations).toBeUndefined();
    expect((full['kustomization.yaml'] as any).resources).toEqual([
      'deployment.yaml',
      'service.yaml',
      'poddisruptionbudget.yaml',
      'httproute.yaml',
      'servicemonitor.yaml',
      'externalsecret.yaml',
    ]);
  });

  it('renders only Deployment and Service for the minimal input', () => {
    const min = renderService(
      validateServiceInput(
        {
          name: 'api',
          owner: 'payments',
          description: 'API',
          image: 'ghcr.io/acme/api',
          tag: '2.0.1',
          port: 80,
          replicas: 1,
          tier: 4,
          exposure: 'none',
        },
        platform,
      ),
      { namespaceLabels: nsLabels },
    );
    expect(Object.keys(min).sort()).toEqual([
      'application.yaml',
      'catalog-info.yaml',
      'deployment.yaml',
      'kustomization.yaml',
      'service.yaml',
    ]);
    expect((min['kustomization.yaml'] as any).resources).toEqual([
      'deployment.yaml',
      'service.yaml',
    ]);
    expect(
      (min['deployment.yaml'] as any).spec.template.spec.priorityClassName,
    ).toBe('user-workloads');
  });

  const base = {
    owner: 'payments',
    description: 'x',
    image: 'registry.example.com:5000/acme/web',
    port: 8080,
    replicas: 1,
    tier: 4,
    exposure: 'none',
  };
  const MODES = [
    {
      mode: 'none',
      input: { ...base, name: 'pinned', tag: '1.4.2', imageUpdate: 'none' },
      params: { imageList: '', updateStrategy: 'semver', allowTags: 'any' },
    },
    {
      mode: 'semver',
      input: {
        ...base,
        name: 'ranged',
        semverRange: '>=1.0 <2.0',
        imageUpdate: 'semver',
      },
      params: {
        imageList: 'app=registry.example.com:5000/acme/web:>=1.0 <2.0',
        updateStrategy: 'semver',
        allowTags: 'any',
      },
    },
    {
      mode: 'tag-pattern',
      input: {
        ...base,
        name: 'followed',
        tag: 'main-abc1234',
        imageUpdate: 'tag-pattern',
        tagPattern: '^main-[0-9a-f]{7}$',
      },
      params: {
        imageList: 'app=registry.example.com:5000/acme/web',
        updateStrategy: 'newest-build',
        allowTags: 'regexp:^main-[0-9a-f]{7}$',
      },
    },
  ];
  const renderMode = (input: Record<string, unknown>) =>
    renderService(validateServiceInput(input, platform), {
      namespaceLabels: nsLabels,
    });

  it.each(MODES)(
    'writes the Image Updater parameters file for imageUpdate $mode',
    ({ input, params }) => {
      const files = renderMode(input);
      // the file as committed: only the Image Updater settings, through the serializer
      expect(parse(toYaml(files['application.yaml']))).toEqual({
        imageUpdater: params,
      });
      expect((files['kustomization.yaml'] as any).resources).not.toContain(
        'application.yaml',
      );
      expect(
        (files['deployment.yaml'] as any).metadata.annotations,
      ).toBeUndefined();
      expect(
        Object.keys((files['catalog-info.yaml'] as any).metadata.annotations),
      ).not.toContainEqual(expect.stringMatching(/argocd-image-updater/));
    },
  );

  it('treats a semverRange without imageUpdate as semver', () => {
    const { imageUpdate: _omitted, ...input } = MODES[1].input;
    expect(renderMode(input)['application.yaml']).toEqual({
      imageUpdater: MODES[1].params,
    });
  });

  it("gets each service an Application <team>-<service> with Image Updater annotations from the repository's apps ApplicationSet", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'render-appset-'));
    try {
      const appSetFile = 'K8s/apps/applicationset-apps.yaml';
      fs.mkdirSync(path.join(root, 'K8s/apps'), { recursive: true });
      fs.copyFileSync(
        path.join(repoRoot, appSetFile),
        path.join(root, appSetFile),
      );
      for (const { input } of MODES) {
        writeRendered(
          root,
          `K8s/apps/payments/${input.name}`,
          renderMode(input),
        );
      }
      const appSets = findApplicationSets(root);
      expect(appSets.map(a => a.metadata.name)).toEqual(['apps']);
      const apps = expandApplicationSet(appSets[0], root);
      const prefix = 'argocd-image-updater.argoproj.io';
      expect(
        apps.map(a => ({
          name: a.metadata.name,
          path: (a.spec as any).source.path,
          namespace: (a.spec as any).destination.namespace,
          annotations: a.metadata.annotations,
        })),
      ).toEqual(
        [...MODES]
          .sort((a, b) => (a.input.name < b.input.name ? -1 : 1))
          .map(({ input, params }) => ({
            name: `payments-${input.name}`,
            path: `K8s/apps/payments/${input.name}`,
            namespace: 'payments',
            annotations: {
              [`${prefix}/image-list`]: params.imageList,
              [`${prefix}/app.update-strategy`]: params.updateStrategy,
              [`${prefix}/app.allow-tags`]: params.allowTags,
              [`${prefix}/write-back-method`]: 'argocd',
            },
          })),
      );
      // the Component's argocd/app-name points at the generated Application
      for (const { input } of MODES) {
        const component = parse(
          fs.readFileSync(
            path.join(
              root,
              `K8s/apps/payments/${input.name}/catalog-info.yaml`,
            ),
            'utf8',
          ),
        );
        expect(component.metadata.annotations['argocd/app-name']).toBe(
          `payments-${input.name}`,
        );
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('passes the repository Kyverno policies (Enforce and Audit) with no failures', () => {
    expect(
      checkPolicies(repo.policies(), manifests(full), () => nsLabels),
    ).toEqual([]);
  });

  it('reports an Enforce violation readably', () => {
    const bad = manifests(full).map(r =>
      r.kind === 'Deployment'
        ? (JSON.parse(
            JSON.stringify(r).replace(
              'ghcr.io/acme/web:1.2.0',
              'ghcr.io/acme/web:latest',
            ),
          ) as KubeResource)
        : r,
    );
    const findings = checkPolicies(repo.policies(), bad, () => nsLabels);
    expect(
      findings.some(f => f.enforce && f.policy === 'disallow-latest-tag'),
    ).toBe(true);
    expect(findings[0].resource).toBe('Deployment payments/web');
  });
});
