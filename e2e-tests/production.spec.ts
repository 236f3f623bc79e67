import { execFileSync } from 'node:child_process';
import { Page, expect, test } from '@playwright/test';
import { screenshotPath } from './helpers';

/**
 * The production path (scripts/test.sh, production stage): the image's file tree started with
 * NODE_ENV=production and only app-config.yaml + app-config.production.yaml, on PostgreSQL,
 * signing in through a real OpenID provider (e2e-tests/production/oidc-provider.mjs) and writing
 * pull requests to a git server that speaks GitHub's API (e2e-tests/production/fake-github.mjs).
 * Tagged @production: `yarn test:e2e` leaves these out, `yarn test:e2e:production` runs them.
 */
const fakeGithubUrl = process.env.FAKE_GITHUB_URL ?? 'https://127.0.0.1:7191';
const fakeGithubToken = process.env.FAKE_GITHUB_TOKEN ?? '';
const gitopsRepo = process.env.FAKE_GITHUB_REPO ?? 'acme/gitops';

/**
 * Signs in as a person would: the sign-in page's single sign-on button opens the provider's
 * login form in a popup; the provider asks for consent (offline_access), then the popup closes.
 */
async function signInWithOidc(page: Page, login: string) {
  await page.goto('/');
  const card = page.locator('li, [class*="Card"]').filter({
    hasText: 'Single sign-on',
  });
  const popupPromise = page.waitForEvent('popup');
  await card
    .getByRole('button', { name: /sign in/i })
    .first()
    .click();
  const popup = await popupPromise;
  await popup.waitForLoadState();
  await popup.locator('input[name="login"]').fill(login);
  await popup.locator('input[name="password"]').fill('any');
  await popup.getByRole('button', { name: /sign-?in/i }).click();
  // the consent screen: offline_access (a refresh token) needs an explicit grant
  const consent = popup.getByRole('button', { name: /continue/i });
  await consent.click();
  await popup.waitForEvent('close', { timeout: 30_000 });
}

/** Fills and submits the onboard-team template as a person would. */
async function onboardTeam(page: Page, team: string) {
  await page
    .getByRole('link', { name: 'Create...' })
    .or(page.getByRole('link', { name: 'Create', exact: true }))
    .first()
    .click();
  const card = page
    .getByText('Onboard a team', { exact: true })
    .first()
    .locator('xpath=ancestor::*[.//button[contains(., "Choose")]][1]');
  await card.getByRole('button', { name: /choose/i }).click();
  await page.getByLabel('Team name').fill(team);
  await page.getByLabel('Display name').fill(`Production ${team}`);
  await page
    .getByLabel('Description')
    .fill('Onboarded by the production stage');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Business unit').fill('commerce');
  await page.getByLabel('Cost centre').fill('CC-4711');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
}

const signedIn = (page: Page) =>
  expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible({ timeout: 30_000 });

test.describe('the production image @production', () => {
  test('guest sign-in is off: its route answers 403', async ({ request }) => {
    const response = await request.get('/api/auth/guest/refresh');
    expect(response.status()).toBe(403);
  });

  test('a person the catalog does not know is refused at sign-in', async ({
    page,
  }) => {
    await signInWithOidc(page, 'outsider');
    await expect(
      page.getByText(/unable to resolve user identity/i),
    ).toBeVisible({ timeout: 30_000 });
    await expect(
      page.getByRole('link', { name: 'Catalog', exact: true }),
    ).toHaveCount(0);
  });

  test('a catalog user signs in through the provider, stays signed in across a reload and sees the catalog, a component and platform health', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signInWithOidc(page, 'liam.chen');
    await signedIn(page);
    // offline_access was granted: the provider issued a refresh token, kept in the portal's cookie
    const cookies = await page.context().cookies();
    expect(cookies.map(c => c.name)).toContain('oidc-refresh-token');
    await page.reload();
    await signedIn(page);
    await expect(page.getByRole('button', { name: /sign in/i })).toHaveCount(0);

    // the catalog is loaded from the files inside the image
    await page.getByPlaceholder('Search').fill('argocd');
    const argocd = page.getByRole('link', { name: 'Argo CD', exact: true });
    await expect(argocd).toBeVisible({ timeout: 60_000 });
    await argocd.click();
    await expect(page).toHaveURL(/\/catalog\/default\/component\/argocd/);
    // the entity page's tabs are links
    const tab = (name: string) =>
      page.getByRole('link', { name, exact: true }).first();
    for (const name of ['Overview', 'Kubernetes', 'Policies', 'ArgoCD']) {
      await expect(tab(name)).toBeVisible();
    }
    await tab('Kubernetes').click();
    await expect(page).toHaveURL(/\/component\/argocd\/kubernetes/);
    // the cluster over https, verified with K8S_CLUSTER_CA_DATA, read with the token
    await expect(page.getByText(/^\d+ pods$/).first()).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByText('No pods with errors')).toBeVisible();
    await tab('ArgoCD').click();
    await expect(page).toHaveURL(/\/component\/argocd\/argocd/);
    await expect(page.getByText('Synced').first()).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({
      path: screenshotPath('production-component'),
      fullPage: true,
    });

    await page.getByRole('link', { name: 'Platform health' }).first().click();
    await expect(
      page.getByRole('status', { name: 'cluster sandbox state' }),
    ).toContainText('sandbox: Green', { timeout: 60_000 });
    await page.screenshot({
      path: screenshotPath('production-platform-health'),
      fullPage: true,
    });
  });

  test('a platform engineer onboards a team: a pull request, its branch on the remote, main untouched', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const team = `e2e-prod-${Date.now().toString(36)}`;
    const remote = `${fakeGithubUrl}/${gitopsRepo}.git`;
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        [
          '-c',
          `http.extraHeader=Authorization: Basic ${Buffer.from(
            `x-access-token:${fakeGithubToken}`,
          ).toString('base64')}`,
          ...args,
        ],
        { encoding: 'utf8' },
      ).trim();
    const mainBefore = git('ls-remote', remote, 'refs/heads/main');

    await signInWithOidc(page, 'maria.garcia');
    await signedIn(page);
    await onboardTeam(page, team);

    const prLink = page.getByRole('link', {
      name: 'Commit in the GitOps repository',
    });
    try {
      await expect(prLink).toBeVisible({ timeout: 90_000 });
    } catch (error) {
      const shown = (await page.locator('main').innerText()).slice(-2_000);
      throw new Error(`the task did not succeed; the page shows:\n${shown}`, {
        cause: error,
      });
    }
    await page.screenshot({
      path: screenshotPath('production-onboard-team'),
      fullPage: true,
    });
    const prUrl = await prLink.getAttribute('href');
    expect(prUrl).toMatch(
      new RegExp(`^${fakeGithubUrl}/${gitopsRepo}/pull/\\d+$`),
    );

    // the pull request as GitHub's API reports it, and its branch on the remote
    const pulls = await request.get(
      `${fakeGithubUrl}/api/v3/repos/${gitopsRepo}/pulls`,
      { headers: { Authorization: `Bearer ${fakeGithubToken}` } },
    );
    expect(pulls.status()).toBe(200);
    const pr = ((await pulls.json()) as any[]).find(p => p.html_url === prUrl);
    expect(pr).toBeDefined();
    expect(pr.base.ref).toBe('main');
    expect(pr.head.ref).toMatch(new RegExp(`^idp/onboard-team-${team}-`));
    const branch = git('ls-remote', remote, `refs/heads/${pr.head.ref}`);
    expect(branch.split(/\s+/)[0]).toBe(pr.head.sha);

    // the branch holds one commit by the signed-in person, confined to the team's directory;
    // main does not move until someone merges
    const clone = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    git('clone', '--quiet', '--branch', pr.head.ref, remote, clone);
    const show = (...args: string[]) =>
      execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8' }).trim();
    expect(show('log', '-1', '--format=%an <%ae>')).toBe(
      'María García <maria.garcia@example.com>',
    );
    for (const file of show('show', '--format=', '--name-only', 'HEAD').split(
      '\n',
    )) {
      expect(file).toMatch(new RegExp(`^K8s/teams/${team}/[^/]+$`));
    }
    expect(git('ls-remote', remote, 'refs/heads/main')).toBe(mainBefore);
    execFileSync('rm', ['-rf', clone]);
  });

  test('onboarding by someone outside platform-team fails with one sentence in the task log, no stack trace', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signInWithOidc(page, 'liam.chen');
    await signedIn(page);
    await onboardTeam(page, `prod-refused-${Date.now().toString(36)}`);
    // the task log's line for the failed step is the error's name and message only
    await expect(
      page
        .getByText(
          /^\S+ NotAllowedError: onboarding team '[^']+' requires membership of group:default\/platform-team \(gitops\.selfServiceOnboarding is off\)$/,
        )
        .first(),
    ).toBeVisible({ timeout: 90_000 });
    const shown = await page.locator('body').innerText();
    // what users see of a failure: the sentence, not the server's stack or internal addresses
    expect(shown).not.toMatch(/\n\s*at .+:\d+:\d+/);
    expect(shown).not.toMatch(/(127\.0\.0\.1|localhost):\d+/);
    await page.screenshot({
      path: screenshotPath('production-onboard-refused'),
      fullPage: true,
    });
  });
});
