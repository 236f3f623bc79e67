import { expect, test } from '@playwright/test';
import { guestToken, screenshotPath, signInAsGuest } from './helpers';

/**
 * The sandbox (cluster and ArgoCD) stops while the portal runs. scripts/test.sh runs this last
 * (`yarn test:e2e:sandbox-stopped`) with SANDBOX_STOP_PID set to the sandbox's process group,
 * which the journey stops itself so it knows when the outage began.
 * Tagged @sandbox-stopped: `yarn test:e2e` leaves it out.
 */
/**
 * kubernetesCache.pollIntervalSeconds of app-config.local.yaml: the cluster cache's unit of
 * staleness (data not known current for two of them is outdated)
 */
const CLUSTER_CACHE_INTERVAL_MS = 5_000;
/** How often the open page re-reads the backend (plugins/tier-health usePolling) */
const PAGE_POLL_MS = 5_000;

test('with the sandbox stopped, Platform health says Unknown and the ArgoCD tab names the instance @sandbox-stopped', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const pid = Number(process.env.SANDBOX_STOP_PID);
  if (!pid) {
    throw new Error(
      'SANDBOX_STOP_PID is not set: this journey stops the sandbox itself; scripts/test.sh runs it',
    );
  }
  await signInAsGuest(page);
  await page.goto('/platform-health');
  const banner = page.getByRole('status', { name: 'cluster sandbox state' });
  await expect(banner).toContainText(/sandbox: (Green|Yellow|Red|Black)/, {
    timeout: 60_000,
  });
  const lastSeen = /sandbox: (\w+)/.exec((await banner.innerText()) ?? '')![1];

  process.kill(-pid, 'SIGTERM');
  const stoppedAt = Date.now();

  // two refresh intervals without an answer make the backend say Unknown; the page shows it
  // at its next poll
  await expect(banner).toContainText(
    `sandbox: Unknown (last seen ${lastSeen}`,
    { timeout: 2 * CLUSTER_CACHE_INTERVAL_MS + PAGE_POLL_MS + 3_000 },
  );
  test.info().annotations.push({
    type: 'measure',
    description: `sandbox stopped → Platform health Unknown: ${
      Date.now() - stoppedAt
    } ms (refresh interval ${CLUSTER_CACHE_INTERVAL_MS} ms)`,
  });
  await page.screenshot({
    path: screenshotPath('sandbox-stopped-platform-health'),
    fullPage: true,
  });

  // the API says the same, and the ArgoCD routes name the instance (503, no stack)
  const headers = { Authorization: `Bearer ${await guestToken(request)}` };
  const summary = await (
    await request.get('/api/tier-health/summary', { headers })
  ).json();
  expect(summary.clusters[0]).toMatchObject({
    cluster: 'sandbox',
    state: 'Unknown',
    lastSeenState: lastSeen,
    outdated: true,
    stale: true,
  });
  // policy reports say so too: the shared cluster cache marks the cluster stale once its watch fails
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get('/api/policy-reports/overview', { headers })
          ).json()
        ).clusters?.find((c: { cluster: string }) => c.cluster === 'sandbox')
          ?.stale,
      { timeout: 2 * 10_000, intervals: [1_000] },
    )
    .toBe(true);
  const argo = await request.get(
    '/api/argocd/argoInstance/sandbox/applications/name/infrastructure-argocd',
    { headers },
  );
  expect(argo.status()).toBe(503);
  const body = await argo.json();
  expect(body.error.message).toMatch(
    /^ArgoCD instance "sandbox" \(http:\/\/[^)]+\) is unreachable: /,
  );
  expect(JSON.stringify(body)).not.toMatch(/"stack"|\/node_modules\/|\/work\//);

  await page.goto('/catalog/default/component/argocd/argocd');
  await expect(
    page.getByText(/ArgoCD instance "sandbox" is unreachable/).first(),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({
    path: screenshotPath('sandbox-stopped-argocd-tab'),
    fullPage: true,
  });
});
