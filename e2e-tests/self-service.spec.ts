import { execFileSync } from 'node:child_process';
import { APIRequestContext, Page, expect, test } from '@playwright/test';
import {
  guestToken,
  screenshotPath,
  signInAsGuest,
  waitForMembership,
} from './helpers';
import {
  argoCdSession,
  sandboxArgoCdUrl,
  sandboxGitopsRemote,
} from './sandbox';

/**
 * The portal's write path, end to end: the templates commit to the GitOps remote, the catalog
 * follows the remote, and the sandbox's ArgoCD deploys what was committed. The journeys share
 * one team (onboarded first), so they run in order.
 */
test.describe.serial('self-service through the GitOps repository', () => {
  const id = Date.now().toString(36);
  const team = `e2e-team-${id}`;
  const displayName = `E2E Team ${id}`;
  const service = `e2e-svc-${id}`;

  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', sandboxGitopsRemote, ...args], {
      encoding: 'utf8',
    }).trim();

  test('a developer onboards a team from the browser and the catalog shows it', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const headBefore = git('rev-parse', 'HEAD');
    await signInAsGuest(page);
    await chooseTemplate(page, 'Onboard a team');

    await page.getByLabel('Team name').fill(team);
    await page.getByLabel('Display name').fill(displayName);
    // YAML-significant characters are data, not structure: the action serializes them
    await page
      .getByLabel('Description')
      .fill('Created by the e2e journey: "self-service" # 1');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Business unit').fill('commerce');
    await page.getByLabel('Cost centre').fill('CC-4711');
    await createAndExpectSuccess(page, 'onboard-team', 'Open the team');

    // one new commit, by the signed-in user, touching only the team's directory
    expect(git('rev-parse', 'HEAD^')).toBe(headBefore);
    expect(git('log', '-1', '--format=%an%n%s')).toBe(
      `Guest Developer\nOnboard team ${team} (template onboard-team)`,
    );
    const files = git('show', '--format=', '--name-only', 'HEAD').split('\n');
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      expect(file).toMatch(new RegExp(`^K8s/teams/${team}/[^/]+$`));
    }
    expect(files).toEqual(
      expect.arrayContaining([
        `K8s/teams/${team}/namespace.yaml`,
        `K8s/teams/${team}/kustomization.yaml`,
        `K8s/teams/${team}/catalog-info.yaml`,
        `K8s/teams/${team}/README.md`,
      ]),
    );
    test.info().annotations.push({
      type: 'commit',
      description: git('show', '--stat', '--format=%H %an <%ae>%n%s', 'HEAD'),
    });

    // the catalog follows the remote: the Group appears without registration, and the
    // onboarding user is its first member (which is what lets them scaffold into it next)
    await waitForMembership(
      request,
      { Authorization: `Bearer ${await guestToken(request)}` },
      team,
      { timeoutMs: 60_000 },
    );

    await page.getByRole('link', { name: 'Open the team' }).click();
    await expect(page).toHaveURL(new RegExp(`/catalog/default/group/${team}`));
    await expect(page.getByText(displayName).first()).toBeVisible();
    // the members card lists the onboarding user
    await expect(page.getByText('Guest Developer').first()).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({
      path: screenshotPath('onboard-team-group'),
      fullPage: true,
    });
  });

  test('the team scaffolds a service, whose page turns Synced/Healthy in ArgoCD', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    await signInAsGuest(page);
    await chooseTemplate(page, 'New service');

    await page.getByLabel('Service name').fill(service);
    // only the user's own groups are offered; the team onboarded above is one of them
    const owner = page.getByRole('textbox', { name: 'Owner team' });
    await owner.click();
    await owner.fill(displayName);
    await page.getByRole('option', { name: displayName }).click();
    await page
      .getByLabel('Description')
      .fill('Answers hello: the e2e journey service');
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByLabel('Container image')
      .fill(`registry.example.com/${team}/${service}`);
    await page.getByLabel('Image tag').fill('1.0.0');
    await page.getByRole('button', { name: 'Next' }).click();
    await createAndExpectSuccess(page, 'new-service', 'Open the service');
    const commit = git('rev-parse', 'HEAD');
    expect(git('log', '-1', '--format=%an%n%s')).toBe(
      `Guest Developer\nAdd service ${service} for ${team} (template new-service)`,
    );
    for (const file of git('show', '--format=', '--name-only', 'HEAD').split(
      '\n',
    )) {
      expect(file).toMatch(
        new RegExp(`^K8s/apps/${team}/${service}/(docs/)?[^/]+$`),
      );
    }

    const token = await guestToken(request);
    await expect
      .poll(
        async () =>
          (
            await catalogEntity(request, token, `component/default/${service}`)
          )?.spec?.owner ?? 'missing',
        { timeout: 60_000, intervals: [1_000] },
      )
      .toBe(`group:default/${team}`);
    await page.getByRole('link', { name: 'Open the service' }).click();
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/component/${service}`),
    );

    // the sandbox's ArgoCD deploys the commit; the ArgoCD card follows within 30 s
    const startedAt = Date.now();
    await page.goto(`/catalog/default/component/${service}/argocd`);
    await expect(async () => {
      await page.reload();
      await expect(page.getByText('Synced').first()).toBeVisible({
        timeout: 3_000,
      });
      await expect(page.getByText('Healthy').first()).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 30_000, intervals: [1_000] });
    test.info().annotations.push({
      type: 'measure',
      description: `component page to ArgoCD Synced/Healthy: ${
        Date.now() - startedAt
      } ms`,
    });
    await page.screenshot({
      path: screenshotPath('new-service-argocd'),
      fullPage: true,
    });

    // and it is the scaffolder's commit that ArgoCD deployed
    const argoToken = await argoCdSession(request);
    const app = await (
      await request.get(
        `${sandboxArgoCdUrl}/api/v1/applications/${team}-${service}`,
        { headers: { Authorization: `Bearer ${argoToken}` } },
      )
    ).json();
    expect(`${app.status.sync.status}/${app.status.health.status}`).toBe(
      'Synced/Healthy',
    );
    expect(app.status.sync.revision).toBe(commit);
  });

  test('bad input is refused with a clear message and leaves the remote untouched', async ({
    request,
  }) => {
    test.setTimeout(120_000);
    const token = await guestToken(request);
    const headers = { Authorization: `Bearer ${token}` };
    const headBefore = git('rev-parse', 'HEAD');
    const values = {
      displayName: 'Bad input',
      businessUnit: 'commerce',
      environment: 'development',
      quotaSize: 'small',
      costCenter: 'CC-1',
    };

    // the template's JSON Schema is enforced by the scaffolder API before any task exists
    for (const bad of ['Bad_Name', 'kube-system', 'default']) {
      const response = await request.post('/api/scaffolder/v2/tasks', {
        headers,
        data: {
          templateRef: 'template:default/onboard-team',
          values: { ...values, team: bad },
        },
      });
      expect(response.status(), bad).toBe(400);
      const { errors } = await response.json();
      expect(
        errors.map((e: { property: string }) => e.property),
        bad,
      ).toContain('instance.team');
    }

    // a name that passes the form but is taken is refused by the action on the server
    const response = await request.post('/api/scaffolder/v2/tasks', {
      headers,
      data: {
        templateRef: 'template:default/onboard-team',
        values: { ...values, team },
      },
    });
    expect(response.status()).toBe(201);
    const { id: taskId } = await response.json();
    const log = await finishedTaskLog(request, headers, taskId);
    expect(log.status).toBe('failed');
    expect(log.text).toContain(team);
    expect(log.text).toMatch(/exist|taken/i);

    expect(git('rev-parse', 'HEAD')).toBe(headBefore);
  });

  test('a user outside a team cannot scaffold into it through the API', async ({
    request,
  }) => {
    test.setTimeout(120_000);
    // the guest belongs to team-storefront (K8s/catalog-info.yaml), not to team-payments
    const token = await guestToken(request);
    const headers = { Authorization: `Bearer ${token}` };
    const headBefore = git('rev-parse', 'HEAD');
    const response = await request.post('/api/scaffolder/v2/tasks', {
      headers,
      data: {
        templateRef: 'template:default/new-service',
        values: {
          name: `intruder-${id}`,
          owner: 'group:default/team-payments',
          description: 'Scaffolded by someone outside the team',
          image: 'registry.example.com/team-payments/intruder',
          imageUpdate: 'none',
          tag: '1.0.0',
          port: 8080,
          replicas: 1,
          tier: 4,
          exposure: 'none',
        },
      },
    });
    expect(response.status()).toBe(201);
    const { id: taskId } = await response.json();
    const log = await finishedTaskLog(request, headers, taskId);
    expect(log.status).toBe('failed');
    expect(log.text).toContain("is not a member of team 'team-payments'");
    expect(git('rev-parse', 'HEAD')).toBe(headBefore);
    expect(
      git('ls-tree', '--name-only', 'HEAD', 'K8s/apps/team-payments/'),
    ).not.toContain(`intruder-${id}`);
  });
});

test('the guest scaffolds into its own team, team-storefront, without onboarding it first', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // K8s/teams/team-storefront is part of the first-run world: no onboarding needed
  const service = `first-svc-${Date.now().toString(36)}`;
  await signInAsGuest(page);
  await chooseTemplate(page, 'New service');
  await page.getByLabel('Service name').fill(service);
  const owner = page.getByRole('textbox', { name: 'Owner team' });
  await owner.click();
  await owner.fill('Storefront');
  await page.getByRole('option', { name: 'Storefront' }).click();
  await page
    .getByLabel('Description')
    .fill('Scaffolded by the guest on a fresh start');
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByLabel('Container image')
    .fill(`registry.example.com/team-storefront/${service}`);
  await page.getByLabel('Image tag').fill('1.0.0');
  await page.getByRole('button', { name: 'Next' }).click();
  await createAndExpectSuccess(
    page,
    'new-service-storefront',
    'Open the service',
  );
  const files = execFileSync(
    'git',
    [
      '--git-dir',
      sandboxGitopsRemote,
      'show',
      '--format=',
      '--name-only',
      'HEAD',
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n');
  expect(files).toContain(
    `K8s/apps/team-storefront/${service}/deployment.yaml`,
  );
});

/** Waits until a scaffolder task ends; returns its status and the text of its log. */
async function finishedTaskLog(
  request: APIRequestContext,
  headers: Record<string, string>,
  taskId: string,
): Promise<{ status: string; text: string }> {
  let status = '';
  await expect
    .poll(
      async () => {
        status = (
          await (
            await request.get(`/api/scaffolder/v2/tasks/${taskId}`, { headers })
          ).json()
        ).status;
        return ['completed', 'failed', 'cancelled'].includes(status);
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(true);
  const events: Array<{ body: { message?: string } }> = await (
    await request.get(`/api/scaffolder/v2/tasks/${taskId}/events`, { headers })
  ).json();
  return { status, text: events.map(e => e.body.message ?? '').join('\n') };
}

/** Opens Create and picks a template by its title, as a person would. */
async function chooseTemplate(page: Page, title: string) {
  await page
    .getByRole('link', { name: 'Create...' })
    .or(page.getByRole('link', { name: 'Create', exact: true }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/create/);
  // the card is the nearest ancestor of the title that holds a Choose button
  const card = page
    .getByText(title, { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//button[contains(., "Choose")]][1]');
  await card.getByRole('button', { name: /choose/i }).click();
  await expect(
    page.getByRole('heading', { name: title, exact: true }),
  ).toBeVisible();
}

/**
 * Screenshots the filled form, reviews and creates, then waits for the task page to show the
 * template's output link, which appears only when every step succeeded; on a timeout the error
 * carries what the page shows (the failing step's log).
 */
async function createAndExpectSuccess(
  page: Page,
  template: string,
  outputLink: string,
) {
  await page.screenshot({
    path: screenshotPath(`${template}-form`),
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  try {
    await expect(page.getByRole('link', { name: outputLink })).toBeVisible({
      timeout: 90_000,
    });
  } catch (error) {
    const shown = (await page.locator('main').innerText()).slice(-2_000);
    throw new Error(`the task did not succeed; the page shows:\n${shown}`, {
      cause: error,
    });
  }
  await page.screenshot({
    path: screenshotPath(`${template}-result`),
    fullPage: true,
  });
}

type CatalogEntity = {
  spec?: { owner?: string };
  relations?: Array<{ type: string; targetRef: string }>;
};

async function catalogEntity(
  request: APIRequestContext,
  token: string,
  ref: string,
): Promise<CatalogEntity | undefined> {
  const response = await request.get(`/api/catalog/entities/by-name/${ref}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return response.ok() ? response.json() : undefined;
}
