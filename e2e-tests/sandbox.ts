import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIRequestContext, expect } from '@playwright/test';
import { parse } from 'yaml';

/** The sandbox's development config, the same file app-config.local.yaml reads its tokens from. */
const sandboxConfig = parse(
  readFileSync(
    join(__dirname, '..', 'packages', 'sandbox', 'sandbox.config.yaml'),
    'utf8',
  ),
);

export const sandboxKubernetesUrl = `http://127.0.0.1:${
  process.env.SANDBOX_K8S_PORT ?? sandboxConfig.kubernetes.port
}`;
export const sandboxKubernetesToken: string = sandboxConfig.kubernetes.token;
export const sandboxArgoCdUrl = `http://127.0.0.1:${
  process.env.SANDBOX_ARGOCD_PORT ?? sandboxConfig.argocd.port
}`;
/** scripts/test.sh points the sandbox at a throwaway remote; start.sh uses the default. */
export const sandboxGitopsRemote =
  process.env.SANDBOX_GITOPS_REMOTE ??
  join(__dirname, '..', '.sandbox', 'gitops.git');

/** Signs in to the sandbox's ArgoCD API as the Roadie backend does. */
export async function argoCdSession(
  request: APIRequestContext,
): Promise<string> {
  const response = await request.post(`${sandboxArgoCdUrl}/api/v1/session`, {
    data: {
      username: sandboxConfig.argocd.username,
      password: sandboxConfig.argocd.password,
    },
  });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).token;
}
