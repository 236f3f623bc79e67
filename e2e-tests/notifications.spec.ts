import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIRequestContext, Page, expect, test } from '@playwright/test';
import {
  AuthHeaders,
  guestToken,
  onboardTeam,
  onboardValues,
  runTemplate,
  screenshotPath,
  serviceValues,
  signInAsGuest,
} from './helpers';
import {
  argoCdSession,
  commitToGitops,
  sandboxArgoCdUrl,
  sandboxKubernetesToken,
  sandboxKubernetesUrl,
  sandboxControl,
} from './sandbox';

/**
 * A team hears when something of theirs goes wrong: the guest onboards a team and scaffolds
 * services into it (through the scaffolder API). The sandbox crashes one service's workload and
 * the portal's notification appears in the bell without a reload; healing it resolves the same
 * notification. A high-severity Audit policy the other service's three pods fail gives one
 * notification naming the count. On the notifications page the guest filters by kind and team
 * and mutes a kind, after which a new event of that kind does not reach them.
 * app-config.local.yaml makes the grace time 15 s and detection every 5 s (production: 2 min, 15 s).
 */
test.describe.serial('notifications to the owning team', () => {
  const id = Date.now().toString(36);
  const team = `e2e-n-${id}`;
  const displayName = `Notify ${id}`;
  const service = `crash-${id}`;
  const application = `${team}-${service}`;
  const audited = `audited-${id}`;
  const policy = `e2e-require-probe-label-${id}`;
  let headers: AuthHeaders;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(240_000);
    headers = { Authorization: `Bearer ${await guestToken(request)}` };
    await onboardTeam(request, headers, team, {
      displayName,
      costCenter: 'CC-13',
    });
    await runTemplate(
      request,
      headers,
      'new-service',
      serviceValues(service, team, {
        description: 'Crashed on purpose by the notifications journey',
      }),
    );
    await runTemplate(
      request,
      headers,
      'new-service',
      serviceValues(audited, team, {
        description: 'Fails an audit-only policy with every pod',
        replicas: 3,
      }),
    );
  });

  test('a Degraded Application shows in the bell live, and its recovery resolves it', async ({
    page,
    request,
  }) => {
    test.setTimeout(300_000);
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
      .poll(
        async () => (await notifications(request, headers)).map(n => n.title),
        {
          timeout: 30_000,
          intervals: [1_000],
        },
      )
      .toEqual(
        expect.arrayContaining([
          'Onboard a team finished',
          'New service finished',
        ]),
      );

    await signInAsGuest(page);
    const bell = page.getByLabel('Unread notifications');
    const unreadBefore = await unreadCount(request, headers);

    await sandboxControl(
      request,
      `workloads/${team}/Deployment/${service}/crash`,
    );
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

    await sandboxControl(
      request,
      `workloads/${team}/Deployment/${service}/heal`,
    );
    // the same notification is updated in place: resolved, not a second one
    await expect(
      page.getByText(
        `Resolved: Application ${application} is Healthy and Synced`,
      ),
    ).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(title)).toHaveCount(0);

    const ours = (await notifications(request, headers)).filter(n =>
      n.scope?.endsWith(`:${application}`),
    );
    expect(ours).toHaveLength(1);
    expect(ours[0].link).toBe(`/catalog/default/component/${service}/argocd`);
  });

  test('a new high-severity Audit failure on three pods gives one notification with the count', async ({
    request,
  }) => {
    test.setTimeout(300_000);
    // every pod runs before the policy exists: the first report then covers all of them
    await expect
      .poll(() => runningPods(request, team, audited), {
        timeout: 90_000,
        intervals: [1_000],
      })
      .toBe(3);

    // a platform engineer adds an audit-only (Enforce-less) high-severity policy the team's pods
    // fail; it admits them, Kyverno's background scan reports them
    const policyFile = `K8s/policies/kyverno-policies/${policy}.yaml`;
    const kustomization = 'K8s/policies/kyverno-policies/kustomization.yaml';
    let originalKustomization = '';
    await commitToGitops(request, `e2e: add audit policy ${policy}`, dir => {
      writeFileSync(join(dir, policyFile), auditPolicy(policy, team, audited));
      originalKustomization = readFileSync(join(dir, kustomization), 'utf8');
      writeFileSync(
        join(dir, kustomization),
        `${originalKustomization.trimEnd()}\n  - ${policy}.yaml\n`,
      );
    });
    try {
      const scope = `policy:component:default/${audited}:${policy}`;
      await expect
        .poll(
          async () =>
            (
              await notifications(request, headers)
            ).filter(n => n.scope === scope).length,
          { timeout: 120_000, intervals: [1_000] },
        )
        .toBe(1);
      // what the policy-reports backend counts for the component, computed independently
      const failing = await failingResults(request, headers, audited, policy);
      expect(failing).toBeGreaterThanOrEqual(3);
      // a few more detection runs: still one notification for the policy, none per pod
      await new Promise(resolve => setTimeout(resolve, 12_000));
      const ours = (await notifications(request, headers)).filter(n =>
        n.title.includes(policy),
      );
      expect(ours.map(n => n.scope)).toEqual([scope]);
      expect(ours[0].title).toBe(
        `Policy ${policy} fails on ${audited} (${failing} results, high)`,
      );
      expect(ours[0].topic).toBe('policy-failure');
      expect(ours[0].description).toContain(`(team group:default/${team})`);
    } finally {
      await commitToGitops(
        request,
        `e2e: remove audit policy ${policy}`,
        dir => {
          writeFileSync(join(dir, kustomization), originalKustomization);
          rmSync(join(dir, policyFile));
        },
      );
    }
  });

  test('the notifications page filters by kind and team, and a muted kind stops reaching the person', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    await signInAsGuest(page);
    await page.goto('/notifications');
    await choose(page, 'View', 'All');
    await choose(page, 'Kind', 'Policy failure');
    await choose(page, 'Team', displayName);
    await expect(
      page.getByText(`Policy ${policy} fails on ${audited}`),
    ).toBeVisible();
    await expect(page.getByText(`Application ${application}`)).toHaveCount(0);
    await page.screenshot({
      path: screenshotPath('notifications-filters'),
      fullPage: true,
    });
    await choose(page, 'Kind', 'ArgoCD Application unhealthy');
    await expect(
      page.getByText(`Resolved: Application ${application} is Healthy`),
    ).toBeVisible();
    await expect(page.getByText(`Policy ${policy}`)).toHaveCount(0);
    // another team's notifications are not this team's
    await choose(page, 'Team', 'Every team');
    await choose(page, 'Kind', 'Every kind');

    // mute finished and failed template runs: the switch says so, the settings keep it
    const templateRuns = page.getByRole('switch', {
      name: 'Template run finished',
    });
    await expect(templateRuns).toBeChecked();
    await templateRuns.click({ force: true });
    await expect(templateRuns).not.toBeChecked();
    expect(await topicEnabled(request, headers, 'scaffolder-task')).toBe(false);

    // a template run that fails (the team exists) is an event of the muted kind
    const failedTitle = 'Onboard a team failed';
    const before = await titleCount(request, headers, failedTitle);
    await runTemplate(
      request,
      headers,
      'onboard-team',
      onboardValues(team, { displayName: 'Taken' }),
      'failed',
    );
    // three detection runs (every 5 s) pass it by: nothing reaches the guest
    await new Promise(resolve => setTimeout(resolve, 15_000));
    expect(await titleCount(request, headers, failedTitle)).toBe(before);

    // unmuted, the next one arrives (so the detector did see the first and dropped it for them)
    await templateRuns.click({ force: true });
    await expect(templateRuns).toBeChecked();
    expect(await topicEnabled(request, headers, 'scaffolder-task')).toBe(true);
    await runTemplate(
      request,
      headers,
      'onboard-team',
      onboardValues(team, { displayName: 'Taken' }),
      'failed',
    );
    await expect
      .poll(() => titleCount(request, headers, failedTitle), {
        timeout: 30_000,
        intervals: [1_000],
      })
      .toBe(before + 1);
    await new Promise(resolve => setTimeout(resolve, 6_000));
    expect(await titleCount(request, headers, failedTitle)).toBe(before + 1);
  });
});

/** An audit-only ClusterPolicy of severity high that only one workload of the journey fails. */
function auditPolicy(
  name: string,
  namespace: string,
  workload: string,
): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
  annotations:
    policies.kyverno.io/title: E2E probe label
    policies.kyverno.io/category: E2E
    policies.kyverno.io/severity: high
    policies.kyverno.io/subject: Pod
spec:
  validationFailureAction: Audit
  background: true
  rules:
    - name: require-probe-label
      match:
        any:
          - resources:
              kinds:
                - Pod
              namespaces:
                - ${namespace}
              selector:
                matchLabels:
                  backstage.io/kubernetes-id: ${workload}
      validate:
        message: Pods of ${workload} carry the label e2e-probe.
        pattern:
          metadata:
            labels:
              e2e-probe: '?*'
`;
}

/** Picks `option` in the page's select labelled `label`. */
async function choose(page: Page, label: string, option: string) {
  // the select's button is named by its value, then its label
  await page.getByRole('button', { name: new RegExp(` ${label}$`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

type Listed = {
  title: string;
  description?: string;
  scope?: string;
  topic?: string;
  link?: string;
};

async function notifications(
  request: APIRequestContext,
  headers: AuthHeaders,
): Promise<Listed[]> {
  const response = await request.get(
    '/api/notifications/notifications?limit=500',
    { headers },
  );
  expect(response.ok(), await response.text()).toBeTruthy();
  const list = await response.json();
  return list.notifications.map((n: { payload: Listed }) => n.payload);
}

async function titleCount(
  request: APIRequestContext,
  headers: AuthHeaders,
  title: string,
): Promise<number> {
  return (await notifications(request, headers)).filter(n => n.title === title)
    .length;
}

async function topicEnabled(
  request: APIRequestContext,
  headers: AuthHeaders,
  topic: string,
): Promise<boolean | undefined> {
  const settings = await (
    await request.get('/api/notifications/settings', { headers })
  ).json();
  const web = settings.channels.find((c: { id: string }) => c.id === 'Web');
  const topics = web.origins.flatMap(
    (o: { topics?: Array<{ id: string; enabled: boolean }> }) => o.topics ?? [],
  );
  return topics.find((t: { id: string }) => t.id === topic)?.enabled;
}

async function unreadCount(
  request: APIRequestContext,
  headers: AuthHeaders,
): Promise<number> {
  const status = await (
    await request.get('/api/notifications/status', { headers })
  ).json();
  return status.unread;
}

async function failingResults(
  request: APIRequestContext,
  headers: AuthHeaders,
  component: string,
  policyName: string,
): Promise<number> {
  const response = await request.get(
    `/api/policy-reports/entity/default/component/${component}/results?result=fail&severity=high`,
    { headers },
  );
  expect(response.ok(), await response.text()).toBeTruthy();
  const body = await response.json();
  return body.resources
    .flatMap((r: { results: Array<{ policy: string }> }) => r.results)
    .filter((r: { policy: string }) => r.policy === policyName).length;
}

async function relations(
  request: APIRequestContext,
  headers: AuthHeaders,
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

async function runningPods(
  request: APIRequestContext,
  namespace: string,
  name: string,
): Promise<number> {
  const response = await request.get(
    `${sandboxKubernetesUrl}/api/v1/namespaces/${namespace}/pods?labelSelector=backstage.io/kubernetes-id%3D${name}`,
    { headers: { Authorization: `Bearer ${sandboxKubernetesToken}` } },
  );
  if (!response.ok()) return 0;
  const { items } = await response.json();
  return items.filter(
    (p: { status?: { phase?: string } }) => p.status?.phase === 'Running',
  ).length;
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
