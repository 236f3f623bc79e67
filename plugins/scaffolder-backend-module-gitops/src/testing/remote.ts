import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createSeededBareRemote,
  gitAuthArgs,
  GitRepository,
  GitRepositoryOptions,
  readGitopsConfig,
  runGit,
  WriteAuthorizer,
} from '@internal/gitops-repo';
import { GitopsActionDeps } from '../core';

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
  await createSeededBareRemote({
    remotePath: remote,
    seedFrom: REPO_K8S,
    author: { name: 'Seed', email: 'seed@x' },
    message: 'seed',
  });
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

/** The actions' dependencies as module.ts makes them, from a `gitops` config (tests only). */
export function testDeps(
  gitops: Record<string, any>,
  catalog: CatalogService,
  extra: {
    integrations?: Record<string, any>;
    fetchImpl?: typeof fetch;
    repository?: Partial<GitRepositoryOptions>;
  } = {},
): GitopsActionDeps {
  const rootConfig = new ConfigReader({
    gitops,
    ...(extra.integrations ? { integrations: extra.integrations } : {}),
  });
  const config = readGitopsConfig(rootConfig);
  const integrations = ScmIntegrations.fromConfig(rootConfig);
  return {
    config,
    repository: new GitRepository({
      remote: config.remote,
      branch: config.branch,
      authArgs: gitAuthArgs(integrations, config.remote),
      pushDeadlineMs: config.pushDeadlineSeconds * 1000,
      integrations,
      ...extra.repository,
    }),
    authorizer: WriteAuthorizer.fromConfig(config, catalog),
    catalog,
    integrations,
    fetchImpl: extra.fetchImpl,
  };
}
