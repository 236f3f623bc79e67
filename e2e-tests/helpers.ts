import { APIRequestContext, Page, expect } from '@playwright/test';

/** Signs in through the sign-in page's guest option, as a person would. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page.getByRole('link', { name: 'Catalog', exact: true }).first(),
  ).toBeVisible();
}

/** A Backstage token for the guest user, for API-level checks. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.get('/api/auth/guest/refresh');
  expect(response.ok()).toBeTruthy();
  const body = await response.json();
  return body.backstageIdentity.token;
}

/** Where journeys save the screenshots people look at (git-ignored; the HTML reporter empties its own folder). */
export const screenshotPath = (name: string) =>
  `node_modules/.cache/e2e-screenshots/${
    process.env.PORTAL_DATABASE ?? 'local'
  }-${name}.png`;

/** Request headers carrying a Backstage token. */
export type AuthHeaders = Record<string, string>;

const FINISHED = ['completed', 'failed', 'cancelled'];

/**
 * Runs a template through the scaffolder API and waits for the task to end; throws (with the end
 * of the task's log) unless it ended `expected`. Returns the log text. Uses no Playwright
 * `expect`, so the load scripts and benchmarks call it too (with `request.newContext`).
 */
export async function runTemplate(
  request: APIRequestContext,
  headers: AuthHeaders,
  template: string,
  values: Record<string, unknown>,
  expected: 'completed' | 'failed' = 'completed',
  timeoutMs = 120_000,
): Promise<string> {
  const response = await request.post('/api/scaffolder/v2/tasks', {
    headers,
    data: { templateRef: `template:default/${template}`, values },
  });
  if (response.status() !== 201) {
    throw new Error(
      `${template}: the scaffolder answered ${response.status()} ${await response.text()}`,
    );
  }
  const { id: taskId } = await response.json();
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (!FINISHED.includes(status)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${template}: task ${taskId} still ${status} after ${timeoutMs} ms`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
    const task = await request.get(`/api/scaffolder/v2/tasks/${taskId}`, {
      headers,
    });
    status = task.ok() ? (await task.json()).status : status;
  }
  const events: Array<{ body: { message?: string } }> = await (
    await request.get(`/api/scaffolder/v2/tasks/${taskId}/events`, { headers })
  ).json();
  const log = events.map(e => e.body.message ?? '').join('\n');
  if (status !== expected) {
    throw new Error(
      `${template}: task ${taskId} ended ${status}, expected ${expected}:\n${log.slice(
        -2_000,
      )}`,
    );
  }
  return log;
}

/**
 * Form values of the onboard-team template for a team a test makes. Such teams are named
 * `e2e-…`, so they are told apart from the platform's own in the shared GitOps remote.
 */
export function onboardValues(
  team: string,
  values: Record<string, unknown> = {},
): Record<string, unknown> {
  if (!team.startsWith('e2e-')) {
    throw new Error(`teams made by tests are named e2e-…, not ${team}`);
  }
  return {
    team,
    displayName: `E2E ${team}`,
    description: 'Onboarded by a test',
    businessUnit: 'commerce',
    environment: 'development',
    quotaSize: 'small',
    costCenter: 'CC-0',
    ...values,
  };
}

/** Form values of the new-service template for a service a test scaffolds into `team`. */
export function serviceValues(
  name: string,
  team: string,
  values: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    owner: `group:default/${team}`,
    description: 'Scaffolded by a test',
    image: `registry.example.com/${team}/${name}`,
    imageUpdate: 'none',
    tag: '1.0.0',
    port: 8080,
    replicas: 1,
    tier: 4,
    exposure: 'none',
    ...values,
  };
}

/**
 * Waits until the catalog shows `member` in `group:default/<team>`: the catalog follows the
 * GitOps remote, and only a member may scaffold into the team.
 */
export async function waitForMembership(
  request: APIRequestContext,
  headers: AuthHeaders,
  team: string,
  { member = 'user:default/guest', timeoutMs = 90_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request.get(
      `/api/catalog/entities/by-name/group/default/${team}`,
      { headers },
    );
    const group = response.ok() ? await response.json() : undefined;
    if (
      group?.relations?.some(
        (r: { type: string; targetRef: string }) =>
          r.type === 'hasMember' && r.targetRef === member,
      )
    ) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the catalog does not show ${member} as a member of group:default/${team} after ${timeoutMs} ms`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 1_000));
  }
}

/**
 * Onboards `team` through the scaffolder API as the caller of `headers` (who becomes its first
 * member) and waits until the catalog knows the Group with that member.
 */
export async function onboardTeam(
  request: APIRequestContext,
  headers: AuthHeaders,
  team: string,
  values: Record<string, unknown> = {},
  member = 'user:default/guest',
): Promise<void> {
  await runTemplate(
    request,
    headers,
    'onboard-team',
    onboardValues(team, values),
  );
  await waitForMembership(request, headers, team, { member });
}
