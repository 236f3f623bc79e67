import fs from 'node:fs';
import path from 'node:path';
import { GitopsRemote } from './git/GitopsRemote';
import { RepoState } from './repoState';

/**
 * Runs `fn` on a fresh shallow checkout of the GitOps repository inside the task workspace
 * (so it is per task and never shared), removed afterwards. Reading the real remote rather
 * than a cache means "already exists" checks see the latest commits.
 */
export async function withCheckout<T>(
  remote: GitopsRemote,
  branch: string,
  workspacePath: string,
  fn: (repo: RepoState) => Promise<T> | T,
): Promise<T> {
  fs.mkdirSync(workspacePath, { recursive: true });
  const dir = fs.mkdtempSync(path.join(workspacePath, '.gitops-checkout-'));
  try {
    const repoDir = path.join(dir, 'repo');
    await remote.clone(repoDir, branch, true);
    return await fn(new RepoState(repoDir));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
