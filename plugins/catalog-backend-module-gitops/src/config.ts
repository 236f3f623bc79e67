import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { normalizeGitRemote } from '@internal/gitops-repo';

/** The catalog files the portal's templates write; see config.d.ts. */
export const DEFAULT_CATALOG_PATHS = [
  'K8s/teams/*/catalog-info.yaml',
  'K8s/apps/*/*/catalog-info.yaml',
];

/** The `gitops` config as this module reads it (see config.d.ts for each key). */
export interface GitopsCatalogConfig {
  remote: string;
  branch: string;
  browseUrlTemplate?: string;
  paths: string[];
  refreshIntervalSeconds: number;
  workDir: string;
}

export function readGitopsCatalogConfig(
  config: Config,
  cwd = process.cwd(),
): GitopsCatalogConfig {
  // a plain local path is made absolute against the backend's working directory, as the
  // scaffolder's GitOps actions do, so both resolve `gitops.remote` to the same repository
  const remote = normalizeGitRemote(config.getString('gitops.remote'), cwd);
  const branch = config.getOptionalString('gitops.branch') ?? 'main';
  const paths =
    config.getOptionalStringArray('gitops.catalog.paths') ??
    DEFAULT_CATALOG_PATHS;
  for (const p of paths) {
    if (p.startsWith('/') || p.split('/').includes('..')) {
      throw new InputError(
        `gitops.catalog.paths must be relative to the repository root, got '${p}'`,
      );
    }
  }
  const refreshIntervalSeconds =
    config.getOptionalNumber('gitops.catalog.refreshIntervalSeconds') ?? 5;
  if (!(refreshIntervalSeconds > 0)) {
    throw new InputError(
      `gitops.catalog.refreshIntervalSeconds must be positive, got ${refreshIntervalSeconds}`,
    );
  }
  // one checkout per remote, so two backends on one machine with different remotes never share
  const remoteId = crypto
    .createHash('sha256')
    .update(remote)
    .digest('hex')
    .slice(0, 12);
  const workDir = path.resolve(
    cwd,
    config.getOptionalString('gitops.catalog.workDir') ??
      path.join(os.tmpdir(), 'idp-portal-gitops-catalog', remoteId),
  );
  return {
    remote,
    branch,
    browseUrlTemplate: config.getOptionalString('gitops.browseUrlTemplate'),
    paths,
    refreshIntervalSeconds,
    workDir,
  };
}

/**
 * `git -c` arguments that authenticate an http(s) remote with the token (or password) of the
 * `integrations` entry for its host, the same entry the scaffolder's actions use. The secret
 * travels as an HTTP header, never in the URL, so it cannot reach `.git/config` or a log.
 */
export function gitAuthArgs(config: Config, remote: string): string[] {
  if (!/^https?:\/\//i.test(remote)) {
    return [];
  }
  const host = new URL(remote).host;
  const defaultUser: Record<string, string> = {
    github: 'x-access-token',
    gitlab: 'oauth2',
  };
  const integrations = config.getOptionalConfig('integrations');
  for (const type of integrations?.keys() ?? []) {
    for (const entry of integrations!.getOptionalConfigArray(type) ?? []) {
      const entryHost =
        entry.getOptionalString('host') ??
        (type === 'github' ? 'github.com' : undefined);
      const secret =
        entry.getOptionalString('token') ?? entry.getOptionalString('password');
      if (entryHost === host && secret) {
        const user =
          entry.getOptionalString('username') ?? defaultUser[type] ?? 'git';
        const basic = Buffer.from(`${user}:${secret}`).toString('base64');
        return ['-c', `http.extraHeader=Authorization: Basic ${basic}`];
      }
    }
  }
  return [];
}
