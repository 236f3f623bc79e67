import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page, expect, test } from '@playwright/test';
import {
  guestToken,
  onboardTeam,
  runTemplate,
  screenshotPath,
  signInAsGuest,
} from './helpers';
import {
  sandboxGitopsRemote,
  sandboxKubernetesToken,
  sandboxKubernetesUrl,
} from './sandbox';

/** Opens an entity's Docs tab and waits for `text` in the rendered page; returns how long it took. */
async function openDocs(page: Page, path: string, text: string) {
  const started = Date.now();
  await page.goto(path);
  await expect(page.getByText(text).first()).toBeVisible({ timeout: 90_000 });
  return Date.now() - started;
}

const sandbox = (path: string, method = 'GET') =>
  fetch(`${sandboxKubernetesUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${sandboxKubernetesToken}` },
  });

/**
 * The single pane of glass beyond status: TechDocs built by the portal, search over them, pod
 * logs on the Kubernetes tab (also of a crashed workload), and the Observability links.
 */
test.describe.serial('docs, logs and dashboards per component', () => {
  const id = Date.now().toString(36);
  const team = `e2e-docs-${id}`;
  const service = `docs-svc-${id}`;

  test('a platform component’s docs are built on first view, cached after, and found by search', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    await signInAsGuest(page);
    const path = '/catalog/default/component/idp-portal/docs';
    const text = 'The Internal Developer Platform runs every team';
    const first = await openDocs(page, path, text);
    await page.screenshot({
      path: screenshotPath('docs-idp-portal'),
      fullPage: true,
    });
    const second = await openDocs(page, path, text);
    // eslint-disable-next-line no-console
    console.log(
      `[measure] idp-portal docs (5 pages): first view with build ${first} ms, second view (published) ${second} ms`,
    );

    await openDocs(
      page,
      '/catalog/default/component/argocd/docs',
      'reconciles every stack, team and service',
    );
    await page.screenshot({ path: screenshotPath('docs-argocd') });

    // the techdocs collator indexes built sites every minute
    const token = await guestToken(request);
    await expect
      .poll(
        async () => {
          const response = await request.get(
            '/api/search/query?term=limp-home&types%5B0%5D=techdocs',
            { headers: { Authorization: `Bearer ${token}` } },
          );
          const body = await response.json();
          return (body.results ?? []).map(
            (r: { document: { title: string } }) => r.document.title,
          );
        },
        { timeout: 150_000, intervals: [5_000] },
      )
      .toContain('Tiers and cluster states');
    await page.goto('/search?query=limp-home');
    await expect(
      page.getByText('Tiers and cluster states').first(),
    ).toBeVisible();
    await page.screenshot({ path: screenshotPath('docs-search') });
  });

  test('a scaffolded service has a runbook, observability links and pod logs, also after a crash', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    const token = await guestToken(request);
    const headers = { Authorization: `Bearer ${token}` };
    await onboardTeam(request, headers, team, {
      displayName: `Docs Team ${id}`,
      costCenter: 'CC-1414',
    });
    await runTemplate(request, headers, 'new-service', {
      name: service,
      owner: `group:default/${team}`,
      description: 'Serves the e2e journey of docs and logs',
      image: `registry.example.com/${team}/${service}`,
      imageUpdate: 'none',
      tag: '1.2.3',
      port: 8080,
      replicas: 1,
      tier: 4,
      exposure: 'none',
      metricsPath: '/metrics',
    });
    // the sandbox runs it: one Running pod
    let pod = '';
    await expect
      .poll(
        async () => {
          const response = await sandbox(
            `/api/v1/namespaces/${team}/pods?labelSelector=backstage.io/kubernetes-id%3D${service}`,
          );
          const items = response.ok ? (await response.json()).items : [];
          pod = items[0]?.metadata.name ?? '';
          return items[0]?.status?.phase ?? 'none';
        },
        { timeout: 90_000, intervals: [1_000] },
      )
      .toBe('Running');

    await signInAsGuest(page);
    // the catalog follows the GitOps remote; the Docs tab builds the runbook the template wrote
    await expect
      .poll(
        async () =>
          (
            await request.get(
              `/api/catalog/entities/by-name/component/default/${service}`,
              { headers: { Authorization: `Bearer ${token}` } },
            )
          ).status(),
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe(200);
    const docsPath = `/catalog/default/component/${service}/docs`;
    const first = await openDocs(page, docsPath, 'Serves the e2e journey');
    await expect(
      page.getByRole('heading', { name: 'Roll back' }),
    ).toBeVisible();
    await page.screenshot({
      path: screenshotPath('docs-service-runbook'),
      fullPage: true,
    });
    const second = await openDocs(page, docsPath, 'Serves the e2e journey');
    // eslint-disable-next-line no-console
    console.log(
      `[measure] ${service} runbook: first view with build ${first} ms, second view ${second} ms`,
    );

    // overview: dashboard, Loki and Prometheus links; the ServiceMonitor the template wrote
    await page.goto(`/catalog/default/component/${service}`);
    const logsLink = page.getByRole('link', { name: 'Logs in Loki' });
    await expect(logsLink).toBeVisible();
    const logsUrl = new URL((await logsLink.getAttribute('href'))!);
    expect(logsUrl.pathname).toBe('/explore');
    expect(logsUrl.searchParams.get('panes')).toContain(
      `{namespace=\\"${team}\\", app=\\"${service}\\"}`,
    );
    await expect(
      page.getByRole('link', { name: 'Grafana dashboard' }),
    ).toHaveAttribute(
      'href',
      `https://grafana.platform.example.com/d/idp-workload?var-namespace=${team}&var-app=${service}`,
    );
    await expect(
      page.getByText(
        `Prometheus scrapes this component: ServiceMonitor ${team}/${service}`,
      ),
    ).toBeVisible();
    await page.screenshot({
      path: screenshotPath('observability-card'),
      fullPage: true,
    });

    // Kubernetes tab: the pod's container card opens its logs
    await page.goto(`/catalog/default/component/${service}/kubernetes`);
    await page.getByText('sandbox').first().click();
    // expand the Deployment's accordion (its name opens the Deployment's drawer instead)
    await page.getByText('No pods with errors').nth(1).click();
    await page.getByText(pod).first().click({ timeout: 20_000 });
    await page.getByRole('button', { name: 'get logs' }).first().click();
    await expect(page.getByText(`Starting ${service}`).first()).toBeVisible();
    await expect(
      page.getByText('Ready to accept requests').first(),
    ).toBeVisible();
    await page.screenshot({ path: screenshotPath('pod-logs') });

    // crash it through the sandbox's control API: the error lines, and the previous container
    const crash = await sandbox(
      `/sandbox/workloads/${team}/Deployment/${service}/crash`,
      'POST',
    );
    expect(crash.status).toBe(200);
    // heal even when a check fails: a crashed service left behind turns the cluster Yellow for
    // every later journey
    try {
      await page.goto(`/catalog/default/component/${service}/kubernetes`);
      // the error report names the back-off; the pod's Help dialog shows the crash logs
      await expect(
        page.getByText(/back-off .* restarting failed container/).first(),
      ).toBeVisible({
        timeout: 30_000,
      });
      await page.getByText('1 pod with errors').first().click();
      await page.getByText('1 pod with errors').nth(1).click();
      await page.getByRole('heading', { name: pod }).click({ timeout: 20_000 });
      // the drawer's Help button explains the crash loop and shows the previous container's log
      await page
        .getByRole('button', { name: 'fix issue' })
        .first()
        .click({ timeout: 20_000 });
      await expect(page.getByText('Crash logs:')).toBeVisible();
      await expect(
        page.getByText(/unrecoverable error, exiting with code 1/).first(),
      ).toBeVisible();
      await expect(
        page.getByText(/connect: connection refused/).first(),
      ).toBeVisible();
      await page.screenshot({ path: screenshotPath('pod-crash-logs') });
    } finally {
      await sandbox(
        `/sandbox/workloads/${team}/Deployment/${service}/heal`,
        'POST',
      );
    }
  });

  test('a docs folder with a broken mkdocs.yml shows the build error on the Docs tab', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const broken = `docs-broken-${id}`;
    const checkout = mkdtempSync(join(tmpdir(), 'gitops-docs-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: checkout, encoding: 'utf8' });
      git('clone', '--quiet', sandboxGitopsRemote, '.');
      const dir = join(checkout, 'K8s', 'apps', team, broken);
      mkdirSync(join(dir, 'docs'), { recursive: true });
      writeFileSync(
        join(dir, 'catalog-info.yaml'),
        [
          'apiVersion: backstage.io/v1alpha1',
          'kind: Component',
          'metadata:',
          `  name: ${broken}`,
          '  annotations:',
          "    backstage.io/techdocs-ref: 'dir:.'",
          'spec:',
          '  type: service',
          '  lifecycle: experimental',
          `  owner: group:default/${team}`,
          '',
        ].join('\n'),
      );
      // a nav entry pointing at a page that does not exist, and a theme that is not installed
      writeFileSync(
        join(dir, 'mkdocs.yml'),
        'site_name: Broken\ntheme:\n  name: no-such-theme\nnav:\n  - Home: index.md\n',
      );
      writeFileSync(join(dir, 'docs', 'index.md'), '# Broken\n');
      git('add', '.');
      git(
        '-c',
        'user.name=E2E',
        '-c',
        'user.email=e2e@example.com',
        'commit',
        '--quiet',
        '-m',
        `Add ${broken} with a broken mkdocs.yml`,
      );
      git('push', '--quiet', 'origin', 'HEAD');
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
    const token = await guestToken(request);
    await expect
      .poll(
        async () =>
          (
            await request.get(
              `/api/catalog/entities/by-name/component/default/${broken}`,
              { headers: { Authorization: `Bearer ${token}` } },
            )
          ).status(),
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe(200);
    await signInAsGuest(page);
    await page.goto(`/catalog/default/component/${broken}/docs`);
    await expect(
      page
        .getByText(/Building a newer version of this documentation failed/)
        .first(),
    ).toBeVisible({ timeout: 90_000 });
    await expect(
      page.getByText(/Command mkdocs failed, exit code: 1/).first(),
    ).toBeVisible();
    // the build log says what is wrong with the mkdocs.yml
    await page.getByRole('button', { name: /show build logs/i }).click();
    await expect(page.getByText(/no-such-theme/).first()).toBeVisible();
    await page.screenshot({
      path: screenshotPath('docs-broken-mkdocs'),
      fullPage: true,
    });
  });
});
