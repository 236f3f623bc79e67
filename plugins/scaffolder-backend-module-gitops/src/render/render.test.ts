import path from 'node:path';
import { parse } from 'yaml';
import { parseManifests } from '@internal/gitops-repo';
import { KubeResource } from '@internal/policy-engine';
import { RepoState } from '../repoState';
import { checkPolicies } from '../policy/check';
import { validateServiceInput, validateTeamInput } from '../validation';
import { renderService } from './service';
import { renderTeam } from './team';
import { toYaml } from './yaml';

const repo = new RepoState(path.resolve(__dirname, '../../../..'));
const platform = repo.platformNamespaces();

function manifests(files: Record<string, unknown>): KubeResource[] {
  return Object.entries(files)
    .filter(([f]) => f !== 'kustomization.yaml' && f !== 'catalog-info.yaml')
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
    expect(component.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'web',
      'backstage.io/kubernetes-namespace': 'payments',
      'argocd/app-name': 'payments-web',
      'idp.platform/tier': '3',
      'argocd-image-updater.argoproj.io/app.update-strategy': 'semver',
    });
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
    expect((min['kustomization.yaml'] as any).resources).toEqual([
      'deployment.yaml',
      'service.yaml',
    ]);
    expect(
      (min['deployment.yaml'] as any).spec.template.spec.priorityClassName,
    ).toBe('user-workloads');
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
