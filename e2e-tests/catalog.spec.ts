import { expect, test } from '@playwright/test';
import { guestToken, screenshotPath, signInAsGuest } from './helpers';

test.describe('the platform catalog', () => {
  test('a developer finds ArgoCD, its owner and system, and the system lists its components', async ({
    page,
  }) => {
    await signInAsGuest(page);

    await page
      .getByRole('link', { name: 'Catalog', exact: true })
      .first()
      .click();
    await page.getByPlaceholder('Search').fill('argocd');
    const argocdLink = page.getByRole('link', { name: 'Argo CD', exact: true });
    await expect(argocdLink).toBeVisible();
    await page.screenshot({ path: screenshotPath('catalog'), fullPage: true });
    await argocdLink.click();

    await expect(page).toHaveURL(/\/catalog\/default\/component\/argocd/);
    const about = page.locator('article, [class*="Card"]').filter({
      hasText: 'About',
    });
    await expect(
      about.getByRole('link', { name: 'Platform Team' }).first(),
    ).toBeVisible();
    const systemLink = about
      .getByRole('link', { name: 'Platform infrastructure' })
      .first();
    await expect(systemLink).toBeVisible();
    await page.screenshot({ path: screenshotPath('argocd'), fullPage: true });

    await systemLink.click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/system\/platform-infrastructure/,
    );
    for (const component of ['Argo CD', 'Cilium', 'cert-manager']) {
      await expect(
        page.getByRole('link', { name: component, exact: true }).first(),
      ).toBeVisible();
    }
    await page.screenshot({ path: screenshotPath('system'), fullPage: true });
  });

  test('every catalog entity is loaded without processing errors', async ({
    request,
  }) => {
    const token = await guestToken(request);
    type CatalogEntity = {
      kind: string;
      metadata: { name: string };
      status?: { items?: Array<{ level: string; message: string }> };
    };
    // the catalog ingests the GitOps repo's entities in the background after start
    let entities: CatalogEntity[] = [];
    await expect
      .poll(
        async () => {
          const response = await request.get('/api/catalog/entities', {
            headers: { Authorization: `Bearer ${token}` },
          });
          expect(response.ok()).toBeTruthy();
          entities = await response.json();
          return entities.filter(e => e.kind === 'Component').length;
        },
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(14);

    const errors = entities.flatMap(entity =>
      (entity.status?.items ?? [])
        .filter(item => item.level === 'error')
        .map(item => `${entity.kind}:${entity.metadata.name}: ${item.message}`),
    );
    expect(errors).toEqual([]);

    const names = (kind: string) =>
      entities.filter(e => e.kind === kind).map(e => e.metadata.name);
    expect(names('Component')).toEqual(
      expect.arrayContaining([
        'idp-portal',
        'argocd',
        'kyverno',
        'policy-reporter',
        'prometheus',
        'grafana',
        'loki',
        'fluent-bit',
        'vault',
        'external-secrets',
        'cert-manager',
        'cilium',
        'argo-workflows',
        'argo-events',
      ]),
    );
    expect(names('Group')).toEqual(
      expect.arrayContaining([
        'platform-team',
        'team-storefront',
        'team-payments',
      ]),
    );
    expect(names('User')).toContain('guest');
  });

  test('the guest is a real user who belongs to a team', async ({
    request,
  }) => {
    const token = await guestToken(request);
    const response = await request.get(
      '/api/catalog/entities/by-name/user/default/guest',
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(response.ok()).toBeTruthy();
    const guest = await response.json();
    expect(guest.spec.memberOf).toContain('team-storefront');
  });
});
