import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { runGit } from '@internal/gitops-repo';

/** /work/main/K8s, the GitOps content the tests seed their remotes with. */
// test-only helper, never bundled: __dirname is the source tree here
// eslint-disable-next-line no-restricted-syntax
export const REPO_K8S = path.resolve(__dirname, '../../../../K8s');

/**
 * A real bare git remote in a temp dir, seeded with a copy of K8s/ on `main` — the same shape
 * the sandbox creates.
 */
export async function createSeededRemote(
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-remote-')),
): Promise<{ root: string; remote: string; cleanup(): void }> {
  const remote = path.join(root, 'gitops.git');
  const seed = path.join(root, 'seed');
  await runGit(['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  await runGit(['init', '--quiet', '--initial-branch=main', seed]);
  fs.cpSync(REPO_K8S, path.join(seed, 'K8s'), { recursive: true });
  await runGit(['add', '--all'], { cwd: seed });
  await runGit(
    [
      '-c',
      'user.name=Seed',
      '-c',
      'user.email=seed@x',
      'commit',
      '--quiet',
      '-m',
      'seed',
    ],
    { cwd: seed },
  );
  await runGit(['push', '--quiet', remote, 'HEAD:refs/heads/main'], {
    cwd: seed,
  });
  fs.rmSync(seed, { recursive: true, force: true });
  return {
    root,
    remote,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export async function remoteHead(remote: string): Promise<string> {
  return (await runGit(['--git-dir', remote, 'rev-parse', 'main'])).trim();
}

export function userEntity(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {
      profile: { displayName: `${name} Display`, email: `${name}@example.com` },
      memberOf,
    },
    relations: memberOf.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  };
}
