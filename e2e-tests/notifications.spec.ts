import { APIRequestContext, expect, test } from '@playwright/test';
import { guestToken, screenshotPath, signInAsGuest } from './helpers';
import {
  argoCdSession,
  sandboxArgoCdUrl,
  sandboxKubernetesToken,
  sandboxKubernetesUrl,
} from './sandbox';

/**
 * A team hears when something of theirs goes wrong: the guest onboards a team and scaffolds a
 * service into it (through the scaffolder API), the sandbox crashes the service's workload, and
 * the portal's notification appears in the bell without a reload; healing it resolves the same
 * notification. app-config.yaml makes the sandbox's grace time 15 s (production: 2 min).
 */
test.describe.serial('notifications to the owning team', () => {
  const id = Date.now().toString(36);
  const team = `e2e-n-${id}`;
  const service = `crash-${id}`;
  const application = `${team}-${service}`;

  test('a Degraded Application shows in the bell live, and its recovery resolves it', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
    const headers = { Authorization: `Bearer ${await guestToken(request)}` };
    await runTemplate(request, headers, 'onboard-team', {
      team,
      displayName: `Notify ${id}`,
      businessUnit: 'commerce',
      environment: 'development',
      quotaSize: 'small',
      costCenter: 'CC-13',
    });
    // the guest is the new team's first member once the catalog has read the commit
    await expect
      .poll(async () => relations(request, headers, `group/default/${team}`), {
        timeout: 60_000,
        intervals: [1_000],
      })
      .toContain('hasMember user:default/guest');
    await runTemplate(request, headers, 'new-service', {
      name: service,
      owner: `group:default/${team}`,
      description: 'Crashed on purpose by the notifications journey',
      image: `registry.example.com/${team}/${service}`,
      imageUpdate: 'none',
      tag: '1.0.0',
      port: 8080,
      replicas: 1,
      tier: 4,
      exposure: 'none',
    });
    await expect
      .poll(
        async () => relations(request, headers, `component/default/${service}`),
        { timeout: 60_000, intervals: [1_000] },
      )
      .toContain(`ownedBy group:default/${team}`);
    await expect
      .poll(() => applicationStatus(request, application), {
        timeout: 60_000,
        intervals: [1_000],
      })
      .toBe('Synced/Healthy');

    // the person who ran the templates hears that they finished, with the commit's link
    await expect
      .poll(async () => notificationTitles(request, headers), {
        timeout: 30_000,
        intervals: [1_000],
      })
      .toEqual(
        expect.arrayContaining([
          'Onboard a team finished',
          'New service finished',
        ]),
      );

    await signInAsGuest(page);
    const bell = page.getByLabel('Unread notifications');
    const unreadBefore = await unreadCount(request, headers);

    await control(request, `workloads/${team}/Deployment/${service}/crash`);
    await expect
      .poll(() => applicationStatus(request, application), {
        timeout: 30_000,
        intervals: [500],
      })
      .toBe('Synced/Degraded');
    const degradedAt = Date.now();

    // signals push it: the snackbar names it and the bell counts it, without a reload
    const title = `Application ${application} is Degraded`;
    await expect(page.getByText(`Application ${application}`)).toBeVisible({
      timeout: 60_000,
    });
    test.info().annotations.push({
      type: 'measure',
      description: `Application Degraded to the snackbar: ${
        Date.now() - degradedAt
      } ms (grace 15 s, detection every 5 s)`,
    });
    // (the crash also turns the cluster Yellow, which is broadcast: at least one more)
    await expect
      .poll(async () => Number(await bell.textContent()))
      .toBeGreaterThan(unreadBefore);
    await page
      .getByRole('link', { name: /Notifications/ })
      .first()
      .click();
    await expect(page.getByText(title)).toBeVisible();
    await page.screenshot({
      path: screenshotPath('notifications'),
      fullPage: true,
    });

    await control(request, `workloads/${team}/Deployment/${service}/heal`);
    // the same notification is updated in place: resolved, not a second one
    await expect(
      page.getByText(
        `Resolved: Application ${application} is Healthy and Synced`,
      ),
    ).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(title)).toHaveCount(0);

    const list = await (
      await request.get('/api/notifications/notifications?limit=100', {
        headers,
      })
    ).json();
    const ours = list.notifications.filter(
      (n: { payload: { scope?: string } }) =>
        n.payload.scope?.endsWith(`:${application}`),
    );
    expect(ours).toHaveLength(1);
    expect(ours[0].payload.link).toBe(
      `/catalog/default/component/${service}/argocd`,
    );
  });
});

async function notificationTitles(
  request: APIRequestContext,
  headers: Record<string, string>,
): Promise<string[]> {
  const list = await (
    await request.get('/api/notifications/notifications?limit=100', { headers })
  ).json();
  return list.notifications.map(
    (n: { payload: { title: string } }) => n.payload.title,
  );
}

async function unreadCount(
  request: APIRequestContext,
  headers: Record<string, string>,
): Promise<number> {
  const status = await (
    await request.get('/api/notifications/status', { headers })
  ).json();
  return status.unread;
}

async function runTemplate(
  request: APIRequestContext,
  headers: Record<string, string>,
  template: string,
  values: Record<string, unknown>,
) {
  const response = await request.post('/api/scaffolder/v2/tasks', {
    headers,
    data: { templateRef: `template:default/${template}`, values },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { id } = await response.json();
  await expect
    .poll(
      async () =>
        (
          await (
            await request.get(`/api/scaffolder/v2/tasks/${id}`, { headers })
          ).json()
        ).status,
      { timeout: 90_000, intervals: [500] },
    )
    .toBe('completed');
}

async function relations(
  request: APIRequestContext,
  headers: Record<string, string>,
  path: string,
): Promise<string[]> {
  const response = await request.get(`/api/catalog/entities/by-name/${path}`, {
    headers,
  });
  if (!response.ok()) return [];
  const entity = await response.json();
  return (entity.relations ?? []).map(
    (r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`,
  );
}

async function applicationStatus(
  request: APIRequestContext,
  name: string,
): Promise<string> {
  const token = await argoCdSession(request);
  const response = await request.get(
    `${sandboxArgoCdUrl}/api/v1/applications/${name}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  if (!response.ok()) return `HTTP ${response.status()}`;
  const app = await response.json();
  return `${app.status.sync.status}/${app.status.health.status}`;
}

async function control(request: APIRequestContext, path: string) {
  const response = await request.post(
    `${sandboxKubernetesUrl}/sandbox/${path}`,
    {
      headers: { Authorization: `Bearer ${sandboxKubernetesToken}` },
    },
  );
  expect(response.ok(), await response.text()).toBeTruthy();
}
