import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Commits to the sandbox's GitOps remote and makes the sandbox reconcile it. */
export async function commitToGitops(
  request: APIRequestContext,
  message: string,
  change: (checkout: string) => void,
) {
  const checkout = mkdtempSync(join(tmpdir(), 'gitops-policy-e2e-'));
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: checkout,
        encoding: 'utf8',
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      });
    git('clone', '--quiet', sandboxGitopsRemote, '.');
    change(checkout);
    git('add', '-A');
    git(
      '-c',
      'user.name=E2E Test',
      '-c',
      'user.email=e2e@example.com',
      'commit',
      '--quiet',
      '-m',
      message,
    );
    git('push', '--quiet', 'origin', 'HEAD');
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
  const reconciled = await request.post(
    `${sandboxKubernetesUrl}/sandbox/reconcile`,
    { headers: { Authorization: `Bearer ${sandboxKubernetesToken}` } },
  );
  expect(reconciled.ok()).toBeTruthy();
}

/**
 * Calls the sandbox's control API (`POST /sandbox/<path>`), e.g.
 * `workloads/<namespace>/Deployment/<name>/crash` or `.../heal`.
 */
export async function sandboxControl(
  request: APIRequestContext,
  path: string,
): Promise<void> {
  const response = await request.post(
    `${sandboxKubernetesUrl}/sandbox/${path}`,
    { headers: { Authorization: `Bearer ${sandboxKubernetesToken}` } },
  );
  expect(response.ok(), await response.text()).toBeTruthy();
}
