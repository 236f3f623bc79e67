import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { screenshotPath, signInAsGuest } from './helpers';
import {
  argoCdSession,
  sandboxArgoCdUrl,
  sandboxGitopsRemote,
} from './sandbox';

test.describe('platform components running in the sandbox', () => {
  test('ArgoCD shows Synced/Healthy with a real commit, and its pods run', async ({
    page,
    request,
  }) => {
    const token = await argoCdSession(request);
    const app = await (
      await request.get(
        `${sandboxArgoCdUrl}/api/v1/applications/infrastructure-argocd`,
        { headers: { Authorization: `Bearer ${token}` } },
      )
    ).json();
    const deployedRevision: string = app.status.history.at(-1).revision;
    expect(deployedRevision).toMatch(/^[0-9a-f]{40}$/);
    // the history names a commit that really is in the GitOps remote
    const commit = execFileSync(
      'git',
      ['--git-dir', sandboxGitopsRemote, 'cat-file', '-t', deployedRevision],
      { encoding: 'utf8' },
    ).trim();
    expect(commit).toBe('commit');

    await signInAsGuest(page);
    await page.goto('/catalog/default/component/argocd/argocd');
    await expect(page.getByText('Synced').first()).toBeVisible();
    await expect(page.getByText('Healthy').first()).toBeVisible();
    // the deployment history card: the deployed commit is Current, its duration is not negative
    const history = page
      .getByText('Deployment history')
      .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
    await expect(
      history.getByText(deployedRevision.slice(0, 7), { exact: true }),
    ).toBeVisible();
    await expect(history.getByText('Current').first()).toBeVisible();
    await expect(history.getByText(/took \d/).first()).toBeVisible();
    await expect(history.getByText(/took -/)).toHaveCount(0);
    await page.screenshot({
      path: screenshotPath('argocd-tab'),
      fullPage: true,
    });

    await page.goto('/catalog/default/component/argocd/kubernetes');
    await expect(page.getByText('sandbox').first()).toBeVisible();
    await expect(page.getByText(/^[1-9]\d* pods$/).first()).toBeVisible();
    await expect(page.getByText('No pods with errors').first()).toBeVisible();
    await page.getByText('sandbox').first().click();
    await expect(page.getByText(/^argocd-server/).first()).toBeVisible();
    await page.screenshot({
      path: screenshotPath('kubernetes-tab'),
      fullPage: true,
    });
  });

  test('a service committed to the GitOps remote becomes a running Application within 10 s', async ({
    request,
  }) => {
    const id = Date.now().toString(36);
    const team = `e2e-team-${id}`;
    const service = `e2e-svc-${id}`;
    const checkout = mkdtempSync(join(tmpdir(), 'gitops-e2e-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: checkout,
          encoding: 'utf8',
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        });
      git('clone', '--quiet', sandboxGitopsRemote, '.');
      // the team's namespace (what onboarding writes) and the service in it
      const teamDir = join(checkout, 'K8s', 'teams', team);
      mkdirSync(teamDir, { recursive: true });
      writeFileSync(
        join(teamDir, 'kustomization.yaml'),
        kustomization('namespace.yaml'),
      );
      writeFileSync(join(teamDir, 'namespace.yaml'), namespace(team));
      const serviceDir = join(checkout, 'K8s', 'apps', team, service);
      mkdirSync(serviceDir, { recursive: true });
      writeFileSync(
        join(serviceDir, 'kustomization.yaml'),
        kustomization('deployment.yaml'),
      );
      writeFileSync(
        join(serviceDir, 'deployment.yaml'),
        deployment(service, team),
      );
      // the apps ApplicationSet's files generator reads the service's parameters file
      writeFileSync(
        join(serviceDir, 'application.yaml'),
        [
          'imageUpdater:',
          "  imageList: ''",
          '  updateStrategy: semver',
          '  allowTags: any',
          '',
        ].join('\n'),
      );
      git('add', '-A');
      git(
        '-c',
        'user.name=E2E Test',
        '-c',
        'user.email=e2e@example.com',
        'commit',
        '--quiet',
        '-m',
        `Onboard ${team} with ${service}`,
      );
      const pushedAt = Date.now();
      git('push', '--quiet', 'origin', 'HEAD');

      const token = await argoCdSession(request);
      await expect
        .poll(
          async () => {
            const response = await request.get(
              `${sandboxArgoCdUrl}/api/v1/applications/${team}-${service}`,
              { headers: { Authorization: `Bearer ${token}` } },
            );
            if (!response.ok()) return 'missing';
            const app = await response.json();
            return `${app.status.sync.status}/${app.status.health.status}`;
          },
          { timeout: 10_000, intervals: [250] },
        )
        .toBe('Synced/Healthy');
      test.info().annotations.push({
        type: 'measure',
        description: `commit to Synced/Healthy: ${Date.now() - pushedAt} ms`,
      });
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

function kustomization(resource: string) {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ${resource}
`;
}

function namespace(team: string) {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${team}
  labels:
    app.kubernetes.io/part-of: ${team}
    owner: ${team}
    business-unit: commerce
    environment: production
`;
}

function deployment(name: string, team: string) {
  const labels = `app.kubernetes.io/name: ${name}
        app.kubernetes.io/instance: ${name}
        app.kubernetes.io/version: "1.0.0"
        app.kubernetes.io/component: api
        owner: ${team}
        business-unit: commerce
        environment: production
        backstage.io/kubernetes-id: ${name}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      priorityClassName: user-workloads
      containers:
        - name: app
          image: registry.example.com/${team}/${name}:1.0.0
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { memory: 128Mi }
`;
}
