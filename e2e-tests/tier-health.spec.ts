import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { screenshotPath, signInAsGuest } from './helpers';
import { sandboxKubernetesToken, sandboxKubernetesUrl } from './sandbox';

/**
 * The tier-health journey of issue 6 against the started portal and sandbox: the platform is
 * Green; losing worker-apps makes it Yellow with that reason; losing worker-infra too makes it
 * Red with ArgoCD and Prometheus on the control plane; healing returns it to Green.
 */
const WORKERS = ['worker-apps', 'worker-infra'];
/** The bound on how fast a node loss shows (backend and page both refresh every 5 s). */
const NODE_LOSS_VISIBLE_WITHIN_MS = 15_000;

async function sandboxNode(
  request: APIRequestContext,
  name: string,
  action: 'fail' | 'heal',
) {
  const response = await request.post(
    `${sandboxKubernetesUrl}/sandbox/nodes/${name}/${action}`,
    {
      headers: { Authorization: `Bearer ${sandboxKubernetesToken}` },
    },
  );
  expect(response.status(), `${action} ${name}`).toBe(200);
}

const banner = (page: Page) =>
  page.getByRole('status', { name: 'cluster sandbox state' });

test.describe('platform tier health', () => {
  test.afterEach(async ({ request }) => {
    // Whatever failed, leave the sandbox whole for the next journey.
    for (const node of WORKERS) await sandboxNode(request, node, 'heal');
  });

  test('shows Green, Yellow on a worker loss, Red in limp-home mode, and Green again after healing', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    await signInAsGuest(page);
    await page.getByRole('link', { name: 'Platform health' }).first().click();
    await expect(page).toHaveURL(/\/platform-health/);

    await expect(banner(page)).toContainText('sandbox: Green', {
      timeout: 60_000,
    });
    await expect(
      page.getByRole('region', { name: 'tier 2' }).getByText(/^Argo CD/),
    ).toBeVisible();
    await page.screenshot({
      path: screenshotPath('platform-health-green'),
      fullPage: true,
    });

    await sandboxNode(request, 'worker-apps', 'fail');
    await expect(banner(page)).toContainText('sandbox: Yellow', {
      timeout: NODE_LOSS_VISIBLE_WITHIN_MS,
    });
    await expect(banner(page)).toContainText(
      'worker worker-apps (pool apps) lost',
    );
    await expect(
      page
        .getByRole('region', { name: 'node worker-apps' })
        .getByText('NotReady'),
    ).toBeVisible();
    await page.screenshot({
      path: screenshotPath('platform-health-yellow'),
      fullPage: true,
    });

    await sandboxNode(request, 'worker-infra', 'fail');
    await expect(banner(page)).toContainText('sandbox: Red', {
      timeout: NODE_LOSS_VISIBLE_WITHIN_MS,
    });
    await expect(banner(page)).toContainText('all workers lost');
    await expect(banner(page)).toContainText(
      'Argo CD (tier 2) runs on the control plane only (control-plane)',
    );
    // the control plane is the lifeboat: Prometheus must be running there, not Pending
    await expect(banner(page)).toContainText(
      'Prometheus (tier 2) runs on the control plane only (control-plane)',
    );
    await page.screenshot({
      path: screenshotPath('platform-health'),
      fullPage: true,
    });

    for (const node of WORKERS) await sandboxNode(request, node, 'heal');
    await expect(banner(page)).toContainText('sandbox: Green', {
      timeout: NODE_LOSS_VISIBLE_WITHIN_MS,
    });
    await page.screenshot({
      path: screenshotPath('platform-health-healed'),
      fullPage: true,
    });
  });

  test('the ArgoCD entity card shows tier 2 and what each node loss would mean', async ({
    page,
  }) => {
    await signInAsGuest(page);
    await page.goto('/catalog/default/component/argocd');
    const card = page.getByRole('region', { name: 'tier status in sandbox' });
    await expect(
      card.getByText('Tier 2 · critical infrastructure'),
    ).toBeVisible({ timeout: 30_000 });
    await expect(card.getByText(/ready$/).first()).toBeVisible();
    await expect(card.getByText('If a node fails')).toBeVisible();
    await page.screenshot({
      path: screenshotPath('platform-health-argocd-card'),
      fullPage: true,
    });
  });
});
