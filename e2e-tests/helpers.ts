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
