import { Locator, expect, test } from '@playwright/test';
import { screenshotPath, signInAsGuest } from './helpers';
import { sandboxControl } from './sandbox';

/**
 * Status at a glance: a component's Overview opens with one card that says how it is (ArgoCD,
 * policies, tier and cluster, pods), each chip linking to its tab; crashing its workload in the
 * sandbox turns the card Degraded without a reload, and healing it turns it back. The team's
 * page lists its components worst first; a system's page its components.
 */
test.describe.serial('status at a glance', () => {
  const team = 'team-payments';
  const service = 'checkout-api';
  const workload = `workloads/${team}/Deployment/${service}`;

  test.afterAll(async ({ request }) => {
    // leave the seeded world as the other journeys expect it, even when this one failed
    await sandboxControl(request, `${workload}/heal`);
  });

  test("a component's Overview opens with its status; a crash turns it Degraded, healing clears it", async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    await signInAsGuest(page);
    await page.goto(`/catalog/default/component/${service}`);

    const glance = page.getByLabel('status at a glance');
    await expect(
      glance.getByRole('link', { name: /^ArgoCD: Healthy/ }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Sync: Synced/ }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Pods: \d+\/\d+ ready/ }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Tier: Tier 4/ }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Cluster sandbox: / }),
    ).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Policies: / }),
    ).toBeVisible();
    await expect(glance.getByLabel('deployed revision')).toContainText(
      /Deployed [0-9a-f]{7} .*ago by /,
    );
    // the glance is the first card, above the component's other cards; the stock relation
    // tables are gone where empty
    const glanceTop = await top(
      page.getByText('Status at a glance', { exact: true }),
    );
    const main = page.getByRole('main');
    for (const title of ['Tier health', 'Observability', 'Relations']) {
      expect(glanceTop).toBeLessThan(
        await top(main.getByText(title, { exact: true })),
      );
    }
    await expect(
      page.getByText('No component is a dependency of this component'),
    ).toHaveCount(0);
    // no second, never-refreshed ArgoCD status on the Overview to contradict the glance
    await expect(
      main.getByText('ArgoCD overview', { exact: true }),
    ).toHaveCount(0);
    // each chip links to its tab
    await expect(
      glance.getByRole('link', { name: /^ArgoCD: / }),
    ).toHaveAttribute('href', `/catalog/default/component/${service}/argocd`);
    await expect(
      glance.getByRole('link', { name: /^Policies: / }),
    ).toHaveAttribute('href', `/catalog/default/component/${service}/policies`);
    await expect(glance.getByRole('link', { name: /^Pods: / })).toHaveAttribute(
      'href',
      `/catalog/default/component/${service}/kubernetes`,
    );
    // above the fold, as a person opening the page sees it
    await page.screenshot({ path: screenshotPath('glance-overview') });

    await sandboxControl(request, `${workload}/crash`);
    const crashedAt = Date.now();
    // no reload: the card asks again every 10 s
    await expect(
      glance.getByRole('link', { name: /^ArgoCD: Degraded/ }),
    ).toBeVisible({
      timeout: 60_000,
    });
    await expect(glance.getByLabel(/^Degraded \(failing\)$/)).toBeVisible();
    await expect(
      glance.getByRole('link', { name: /^Pods: 0\/\d+ ready/ }),
    ).toBeVisible({
      timeout: 30_000,
    });
    test.info().annotations.push({
      type: 'measure',
      description: `workload crashed to the glance card showing Degraded: ${
        Date.now() - crashedAt
      } ms (card refresh every 10 s)`,
    });
    await page.screenshot({ path: screenshotPath('glance-degraded') });

    // the team's page: every component it owns, worst first
    await page.goto(`/catalog/default/group/${team}`);
    const table = page.getByRole('table', {
      name: 'Status of owned components',
    });
    await expect(table.getByRole('row').nth(1)).toContainText(service);
    await expect(table.getByRole('row').nth(1)).toContainText('Degraded');
    await expect(table.getByRole('row')).toHaveCount(3);
    await page.screenshot({ path: screenshotPath('glance-team') });

    await sandboxControl(request, `${workload}/heal`);
    await page.goto(`/catalog/default/component/${service}`);
    await expect(
      glance.getByRole('link', { name: /^ArgoCD: Healthy/ }),
    ).toBeVisible({
      timeout: 60_000,
    });
    await expect(glance.getByLabel(/^Degraded \(failing\)$/)).toHaveCount(0);
  });

  test("a system's page lists its components with the same chips", async ({
    page,
  }) => {
    await signInAsGuest(page);
    await page.goto('/catalog/default/system/platform-observability');
    const table = page.getByRole('table', {
      name: "Status of the system's components",
    });
    await expect(table.getByRole('row').nth(1)).toBeVisible();
    await expect(
      table.getByRole('link', { name: /^ArgoCD: / }).first(),
    ).toBeVisible();
    await page.screenshot({ path: screenshotPath('glance-system') });
  });
});

/** How far down the page an element starts. */
async function top(locator: Locator): Promise<number> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box`);
  return box.y;
}
