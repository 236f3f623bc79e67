import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  argoCdSession,
  sandboxArgoCdUrl,
  sandboxGitopsRemote,
  sandboxKubernetesToken,
  sandboxKubernetesUrl,
} from './sandbox';

/**
 * Day 2 of what self-service created, through the browser and the GitOps repository: a team and
 * a service are created through the scaffolder API (day 1 has its own journeys), then changed
 * from the service page's Manage card. The journeys share the service, so they run in order.
 */
test.describe.serial('day 2: change what self-service created', () => {
  const id = Date.now().toString(36);
  const team = `e2e-d2-${id}`;
  const service = `d2-svc-${id}`;
  let headers: Record<string, string>;

  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', sandboxGitopsRemote, ...args], {
      encoding: 'utf8',
    }).trim();
  const deploymentYaml = () =>
    git('show', `HEAD:K8s/apps/${team}/${service}/deployment.yaml`);

  test.beforeAll(async ({ request }) => {
    test.setTimeout(180_000);
    headers = { Authorization: `Bearer ${await guestToken(request)}` };
    await onboardTeam(request, headers, team, {
      displayName: `Day2 ${id}`,
      costCenter: 'CC-2',
    });
    await runTemplate(request, headers, 'new-service', {
      name: service,
      owner: `group:default/${team}`,
      description: 'Changed by the day-2 journeys',
      image: `registry.example.com/${team}/${service}`,
      imageUpdate: 'none',
      tag: '1.0.0',
      port: 8080,
      replicas: 2,
      tier: 4,
      exposure: 'none',
    });
    // the catalog follows the remote: the service's page exists once its Component is there
    await expect
      .poll(
        async () =>
          (
            await request.get(
              `/api/catalog/entities/by-name/component/default/${service}`,
              { headers },
            )
          ).ok(),
        { timeout: 90_000, intervals: [1_000] },
      )
      .toBe(true);
  });

  test('change replicas 2→3 from the Manage card: the review shows the diff, the Kubernetes tab 3 pods', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await signInAsGuest(page);
    await openChangeForm(page, service);
    // pre-filled from the GitOps remote
    await expect(page.getByLabel('Replicas')).toHaveValue('2');
    await expect(page.getByLabel('Image tag')).toHaveValue('1.0.0');
    await page.getByLabel('Replicas').fill('3');
    await page.getByRole('button', { name: 'Next' }).click();

    const diff = page.getByLabel('Diff of the change');
    await expect(diff).toContainText('-  replicas: 2');
    await expect(diff).toContainText('+  replicas: 3');
    await page.screenshot({
      path: screenshotPath('update-service-review'),
      fullPage: true,
    });
    const headBefore = git('rev-parse', 'HEAD');
    await createAndExpectSuccess(page);
    expect(git('rev-parse', 'HEAD^')).toBe(headBefore);
    expect(git('log', '-1', '--format=%an%n%s')).toBe(
      `Guest Developer\nChange service ${service} of ${team} (template update-service)`,
    );
    expect(deploymentYaml()).toContain('replicas: 3');

    await page.goto(`/catalog/default/component/${service}/kubernetes`);
    await expect(async () => {
      await page.reload();
      await expect(page.getByText('3 pods').first()).toBeVisible({
        timeout: 3_000,
      });
    }).toPass({ timeout: 60_000, intervals: [1_000] });
    await page.screenshot({
      path: screenshotPath('update-service-pods'),
      fullPage: true,
    });
  });

  test('an unchanged form commits nothing and says so', async ({ page }) => {
    test.setTimeout(120_000);
    const headBefore = git('rev-parse', 'HEAD');
    await signInAsGuest(page);
    await openChangeForm(page, service);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/Nothing to change/).first()).toBeVisible();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(
      page.getByTestId('text-output-box').getByText(/Nothing to change/),
    ).toBeVisible({
      timeout: 90_000,
    });
    expect(git('rev-parse', 'HEAD')).toBe(headBefore);
  });

  test('change the tag: the new commit is the Current deployment on the ArgoCD tab', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    await signInAsGuest(page);
    await openChangeForm(page, service);
    await page.getByLabel('Image tag').fill('1.1.0');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Diff of the change')).toContainText(
      `+          image: registry.example.com/${team}/${service}:1.1.0`,
    );
    await createAndExpectSuccess(page);
    const commit = git('rev-parse', 'HEAD');
    expect(deploymentYaml()).toContain(`${service}:1.1.0`);

    await page.goto(`/catalog/default/component/${service}/argocd`);
    const current = page.getByRole('listitem', {
      name: `deployment of ${commit}`,
    });
    await expect(async () => {
      await page.reload();
      await expect(current.getByText('Current')).toBeVisible({
        timeout: 3_000,
      });
    }).toPass({ timeout: 60_000, intervals: [1_000] });
    await expect(current).toContainText('template update-service');
    await page.screenshot({
      path: screenshotPath('update-service-argocd'),
      fullPage: true,
    });
    const argoToken = await argoCdSession(request);
    const app = await (
      await request.get(
        `${sandboxArgoCdUrl}/api/v1/applications/${team}-${service}`,
        { headers: { Authorization: `Bearer ${argoToken}` } },
      )
    ).json();
    expect(app.status.sync.revision).toBe(commit);
  });

  test('roll back to the deployment before the tag change: the older tag is Current again', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    // the replicas change deployed 1.0.0; the tag change after it deployed 1.1.0
    const withOldTag = git(
      'log',
      '-1',
      '--format=%H',
      '--grep',
      `Change service ${service}`,
      'HEAD^',
    );
    await signInAsGuest(page);
    await page.goto(`/catalog/default/component/${service}`);
    await page
      .getByText('Manage', { exact: true })
      .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]')
      .getByRole('button', { name: 'Roll back' })
      .click();
    await expect(
      page.getByRole('heading', { name: 'Roll back a service', exact: true }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel(/Deployed revision/).click();
    await page
      .getByRole('option', { name: new RegExp(`^${withOldTag.slice(0, 7)}`) })
      .click();
    await page.screenshot({
      path: screenshotPath('rollback-service-form'),
      fullPage: true,
    });
    await createAndExpectSuccess(page, /goes back/);
    const commit = git('rev-parse', 'HEAD');
    expect(git('log', '-1', '--format=%s')).toBe(
      `Roll back service ${service} of ${team} to 1.0.0 (revision ${withOldTag.slice(
        0,
        7,
      )}, template rollback-service)`,
    );
    expect(deploymentYaml()).toContain(`${service}:1.0.0`);

    await page.goto(`/catalog/default/component/${service}/argocd`);
    const current = page.getByRole('listitem', {
      name: `deployment of ${commit}`,
    });
    await expect(async () => {
      await page.reload();
      await expect(current.getByText('Current')).toBeVisible({
        timeout: 3_000,
      });
    }).toPass({ timeout: 60_000, intervals: [1_000] });
    await expect(current).toContainText('to 1.0.0');
    await page.screenshot({
      path: screenshotPath('rollback-service-argocd'),
      fullPage: true,
    });
  });

  test('through the API: a stale form, bad input and a non-member are refused with nothing committed', async ({
    request,
  }) => {
    test.setTimeout(120_000);
    const headBefore = git('rev-parse', 'HEAD');
    const stale = await runTemplate(
      request,
      headers,
      'update-service',
      {
        entity: `component:default/${service}`,
        baseRevision: '0'.repeat(40),
        replicas: 4,
      },
      'failed',
    );
    expect(stale).toContain('changed since you opened the form');
    // the form's rules hold for the API (the scaffolder validates the template's schema) ...
    const latest = await request.post('/api/scaffolder/v2/tasks', {
      headers,
      data: {
        templateRef: 'template:default/update-service',
        values: { entity: `component:default/${service}`, tag: 'latest' },
      },
    });
    expect(latest.status()).toBe(400);
    // ... and what only the server knows is checked by the action
    const bad = await runTemplate(
      request,
      headers,
      'update-service',
      { entity: `component:default/${service}`, exposure: 'public' },
      'failed',
    );
    expect(bad).toContain('hostname is required for public exposure');
    const unknown = await runTemplate(
      request,
      headers,
      'update-service',
      { entity: 'component:default/no-such-service', replicas: 2 },
      'failed',
    );
    expect(unknown).toContain(
      "service 'no-such-service' does not exist in the GitOps repository",
    );
    expect(git('rev-parse', 'HEAD')).toBe(headBefore);

    // the guest belongs to team-storefront and the day-2 team, not to team-payments: a
    // platform engineer puts a payments service into the repository (no application.yaml, so
    // ArgoCD generates nothing for it), and the guest's change is refused on the server
    const other = `d2-other-${Date.now().toString(36)}`;
    const dir = mkdtempSync(join(tmpdir(), 'day2-other-'));
    try {
      const sh = (...args: string[]) =>
        execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
      sh('clone', '--quiet', '--depth', '1', sandboxGitopsRemote, '.');
      const svc = join(dir, 'K8s/apps/team-payments', other);
      mkdirSync(svc, { recursive: true });
      writeFileSync(
        join(svc, 'deployment.yaml'),
        deploymentYaml()
          .replaceAll(service, other)
          .replaceAll(team, 'team-payments'),
      );
      sh('add', '--all');
      sh(
        '-c',
        'user.name=Platform',
        '-c',
        'user.email=p@x',
        'commit',
        '-qm',
        `seed ${other}`,
      );
      sh('push', '--quiet', 'origin', 'HEAD:main');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const seeded = git('rev-parse', 'HEAD');
    const stranger = await runTemplate(
      request,
      headers,
      'update-service',
      { entity: `component:default/${other}`, replicas: 3 },
      'failed',
    );
    expect(stranger).toContain("is not a member of team 'team-payments'");
    expect(git('rev-parse', 'HEAD')).toBe(seeded);
  });

  test('add a member from the team page: the Group page lists them', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    await signInAsGuest(page);
    await page.goto(`/catalog/default/group/${team}`);
    await page
      .getByText('Manage team', { exact: true })
      .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]')
      .getByRole('button', { name: 'Members' })
      .click();
    await expect(
      page.getByRole('heading', { name: 'Team members', exact: true }),
    ).toBeVisible();
    await page.getByRole('button', { name: /add/i }).first().click();
    const picker = page.getByRole('textbox').nth(1);
    await picker.click();
    await picker.fill('Liam');
    await page.getByRole('option', { name: /Liam Chen|liam\.chen/ }).click();
    await page.screenshot({
      path: screenshotPath('team-members-form'),
      fullPage: true,
    });
    const headBefore = git('rev-parse', 'HEAD');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('link', { name: 'Open the team' })).toBeVisible(
      { timeout: 90_000 },
    );
    expect(git('rev-parse', 'HEAD^')).toBe(headBefore);
    expect(git('log', '-1', '--format=%an%n%s')).toBe(
      `Guest Developer\nChange members of team ${team} (template team-members)`,
    );
    expect(git('show', '--format=', '--name-only', 'HEAD')).toBe(
      `K8s/teams/${team}/catalog-info.yaml`,
    );

    // the catalog follows the remote
    await expect
      .poll(
        async () =>
          (
            await (
              await request.get(
                `/api/catalog/entities/by-name/group/default/${team}`,
                { headers },
              )
            ).json()
          ).relations?.map(
            (r: { type: string; targetRef: string }) =>
              `${r.type} ${r.targetRef}`,
          ) ?? [],
        { timeout: 60_000, intervals: [1_000] },
      )
      .toContain('hasMember user:default/liam.chen');
    await page.goto(`/catalog/default/group/${team}`);
    await expect(page.getByText('Liam Chen').first()).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({
      path: screenshotPath('team-members-group'),
      fullPage: true,
    });
  });

  test('decommission from the Manage card: Application, pods, policy results and the catalog entity go within 60 s', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const argoHeaders = {
      Authorization: `Bearer ${await argoCdSession(request)}`,
    };
    const kube = async (path: string) => {
      const response = await request.get(`${sandboxKubernetesUrl}${path}`, {
        headers: { Authorization: `Bearer ${sandboxKubernetesToken}` },
      });
      expect(response.ok()).toBeTruthy();
      return (await response.json()).items as Array<{
        metadata: { name: string; labels?: Record<string, string> };
        scope?: { name?: string };
      }>;
    };
    const pods = async () =>
      (await kube(`/api/v1/namespaces/${team}/pods`)).filter(
        p => p.metadata.labels?.['backstage.io/kubernetes-id'] === service,
      ).length;
    const policyReports = async () =>
      (
        await kube(
          `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${team}/policyreports`,
        )
      ).filter(r => r.scope?.name?.startsWith(service)).length;
    const application = async () =>
      (
        await request.get(
          `${sandboxArgoCdUrl}/api/v1/applications/${team}-${service}`,
          { headers: argoHeaders },
        )
      ).status();
    const entity = async () =>
      (
        await request.get(
          `/api/catalog/entities/by-name/component/default/${service}`,
          { headers },
        )
      ).status();
    // all of it exists before
    expect(await application()).toBe(200);
    expect(await pods()).toBe(3);
    expect(await policyReports()).toBeGreaterThan(0);

    // a wrong confirmation through the API is refused, nothing committed
    const headBefore = git('rev-parse', 'HEAD');
    const wrong = await runTemplate(
      request,
      headers,
      'decommission-service',
      { entity: `component:default/${service}`, confirm: 'not-it' },
      'failed',
    );
    expect(wrong).toContain(`type the service's name '${service}'`);
    expect(git('rev-parse', 'HEAD')).toBe(headBefore);

    await signInAsGuest(page);
    await page.goto(`/catalog/default/component/${service}`);
    await page
      .getByText('Manage', { exact: true })
      .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]')
      .getByRole('button', { name: 'Decommission' })
      .click();
    await expect(
      page.getByRole('heading', {
        name: 'Decommission a service',
        exact: true,
      }),
    ).toBeVisible();
    await page.getByLabel("Type the service's name to confirm").fill(service);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByText(/The removal of/)).toBeVisible({
      timeout: 90_000,
    });
    expect(git('log', '-1', '--format=%an%n%s')).toBe(
      `Guest Developer\nDecommission service ${service} of ${team} (template decommission-service)`,
    );
    expect(
      git('ls-tree', '--name-only', 'HEAD', `K8s/apps/${team}/`),
    ).not.toContain(service);

    const removedAt = Date.now();
    await expect
      .poll(
        async () =>
          [
            `application ${await application()}`,
            `pods ${await pods()}`,
            `policy reports ${await policyReports()}`,
            `catalog ${await entity()}`,
          ].join(', '),
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe('application 404, pods 0, policy reports 0, catalog 404');
    test.info().annotations.push({
      type: 'measure',
      description: `decommission commit to everything gone: ${
        Date.now() - removedAt
      } ms`,
    });
    await page.goto(`/catalog/default/component/${service}`);
    await expect(page.getByText(/not found|no entity/i).first()).toBeVisible();
  });

  test('offboard the team once it owns no services: its namespace and Group go', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    await signInAsGuest(page);
    await page.goto(`/catalog/default/group/${team}`);
    await page
      .getByText('Manage team', { exact: true })
      .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]')
      .getByRole('button', { name: 'Offboard' })
      .click();
    await expect(
      page.getByRole('heading', { name: 'Offboard a team', exact: true }),
    ).toBeVisible();
    await page.getByLabel("Type the team's name to confirm").fill(team);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByText(/The removal of/)).toBeVisible({
      timeout: 90_000,
    });
    expect(git('log', '-1', '--format=%s')).toBe(
      `Offboard team ${team} (template offboard-team)`,
    );
    const namespace = async () =>
      (
        await request.get(`${sandboxKubernetesUrl}/api/v1/namespaces/${team}`, {
          headers: { Authorization: `Bearer ${sandboxKubernetesToken}` },
        })
      ).status();
    const group = async () =>
      (
        await request.get(
          `/api/catalog/entities/by-name/group/default/${team}`,
          {
            headers,
          },
        )
      ).status();
    await expect
      .poll(
        async () => `namespace ${await namespace()}, group ${await group()}`,
        {
          timeout: 60_000,
          intervals: [1_000],
        },
      )
      .toBe('namespace 404, group 404');
  });
});

/** Opens the service page and presses Change on its Manage card. */
async function openChangeForm(page: Page, service: string) {
  await page.goto(`/catalog/default/component/${service}`);
  const manage = page
    .getByText('Manage', { exact: true })
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await manage.getByRole('button', { name: 'Change' }).click();
  await expect(
    page.getByRole('heading', { name: 'Change a service', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
}

async function createAndExpectSuccess(
  page: Page,
  result: RegExp = /was committed to main as/,
) {
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  try {
    await expect(
      page.getByRole('link', { name: 'Open the service' }),
    ).toBeVisible({ timeout: 90_000 });
    await expect(page.getByText(result)).toBeVisible();
  } catch (error) {
    const shown = (await page.locator('main').innerText()).slice(-2_000);
    throw new Error(`the task did not succeed; the page shows:\n${shown}`, {
      cause: error,
    });
  }
}
