import { APIRequestContext, expect, test } from '@playwright/test';
import { guestToken, screenshotPath, signInAsGuest } from './helpers';

/**
 * Fault journeys, run by scripts/test.sh against a portal whose cluster and ArgoCD instance point
 * at ports nothing listens on (e2e-tests/app-config.unreachable.yaml): every view that depends on
 * them must name what is unreachable, never show an empty card as if all were well.
 * Tagged @unreachable: `yarn test:e2e` leaves them out, `yarn test:e2e:unreachable` runs only them.
 */
test.describe('a portal whose cluster and ArgoCD are down @unreachable', () => {
  test.beforeAll(async ({ request }) => {
    await waitForEntity(request, 'component/default/argocd');
  });

  test('the ArgoCD tab names the unreachable ArgoCD instance @unreachable', async ({
    page,
  }) => {
    await signInAsGuest(page);
    await page.goto('/catalog/default/component/argocd/argocd');
    await expect(
      page.getByText(/ArgoCD instance "sandbox" is unreachable/).first(),
    ).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('No deployments yet')).toHaveCount(0);
    await page.screenshot({
      path: screenshotPath('argocd-tab'),
      fullPage: true,
    });
  });

  test('the Kubernetes, Policies and Platform health views name the unreachable cluster @unreachable', async ({
    page,
  }) => {
    await signInAsGuest(page);

    await page.goto('/catalog/default/component/argocd/kubernetes');
    await expect(
      page.getByText('There was a problem retrieving Kubernetes objects'),
    ).toBeVisible({ timeout: 30_000 });
    await page.screenshot({
      path: screenshotPath('kubernetes-tab'),
      fullPage: true,
    });

    await page.goto('/catalog/default/component/argocd/policies');
    await expect(page.getByTestId('cluster-unreachable').first()).toContainText(
      'Cluster sandbox is unreachable',
      { timeout: 30_000 },
    );
    await expect(page.getByText(/is Kyverno running\?/)).toHaveCount(0);
    await page.screenshot({
      path: screenshotPath('policies-tab'),
      fullPage: true,
    });

    await page.goto('/platform-health');
    await expect(
      page.getByText('Cluster sandbox is unreachable').first(),
    ).toBeVisible({ timeout: 30_000 });
    await page.screenshot({
      path: screenshotPath('platform-health'),
      fullPage: true,
    });
  });

  test("the Overview's status glance says Unknown and names what is unreachable @unreachable", async ({
    page,
  }) => {
    await signInAsGuest(page);
    await page.goto('/catalog/default/component/argocd');
    const glance = page.getByLabel('status at a glance');
    const unreachable = glance.getByRole('list', {
      name: 'unreachable sources',
    });
    await expect(unreachable).toContainText(
      'ArgoCD instance "sandbox" is unreachable',
      { timeout: 30_000 },
    );
    await expect(unreachable).toContainText('cluster "sandbox" (Kubernetes)');
    await expect(
      glance.getByLabel('Unknown (unknown)', { exact: true }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^ArgoCD: Unknown/ }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Pods: cluster unreachable/ }),
    ).toBeVisible();
    await expect(glance.getByText('Healthy')).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('glance-unreachable') });
  });
});

/** A fresh database ingests the catalog first; the journeys start once the entity is there. */
async function waitForEntity(request: APIRequestContext, ref: string) {
  const token = await guestToken(request);
  await expect
    .poll(
      async () =>
        (
          await request.get(`/api/catalog/entities/by-name/${ref}`, {
            headers: { Authorization: `Bearer ${token}` },
          })
        ).status(),
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBe(200);
}
