import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { normalizeGitRemote } from '../git';
import { APPS_DIR, TEAMS_DIR } from './layout';

/**
 * The `gitops` config section as every reader of it sees it (see config.d.ts for each key):
 * read once, with one set of defaults, by {@link readGitopsConfig}.
 *
 * @public
 */
export interface GitopsConfig {
  /** The remote, a local path made absolute against the backend's working directory. */
  remote: string;
  branch: string;
  mode: 'push' | 'pull-request';
  browseUrlTemplate?: string;
  selfServiceOnboarding: boolean;
  platformGroup: string;
  /** Prefixes an onboarding `ownerGroup` may carry (e.g. `oidc:`); none by default. */
  ownerGroupPrefixes: string[];
  /** How long a commit keeps retrying a push the remote rejected (another writer was first). */
  pushDeadlineSeconds: number;
  /** What the pre-commit policy check does with an Enforce rule it cannot evaluate. */
  unverifiableEnforcePolicies: 'fail' | 'warn';
  fallbackAuthor: { name: string; email: string };
  catalog: {
    paths: string[];
    refreshIntervalSeconds: number;
    workDir: string;
  };
}

/** The catalog files the portal's templates write. */
export const DEFAULT_CATALOG_PATHS = [
  `${TEAMS_DIR}/*/catalog-info.yaml`,
  `${APPS_DIR}/*/*/catalog-info.yaml`,
];

/** A configuration mistake found at startup: the message names the key to fix. */
export class GitopsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitopsConfigError';
  }
}

function positive(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0)) {
    throw new GitopsConfigError(`${key} must be positive, got ${value}`);
  }
  return value;
}

/**
 * Reads and checks `gitops.*`. The one reader: the scaffolder actions, the catalog provider and
 * the permission policy all call it, so a default is decided in one place.
 *
 * @public
 * @param config - the root config
 * @param cwd - what a local remote path is resolved against (the backend's working directory)
 * @throws GitopsConfigError naming the key when a value is missing or wrong
 */
export function readGitopsConfig(
  config: Config,
  cwd: string = process.cwd(),
): GitopsConfig {
  const rawRemote = config.getOptionalString('gitops.remote');
  if (!rawRemote) {
    throw new GitopsConfigError(
      'gitops.remote is not set: give the GitOps repository the portal writes to (GITOPS_REMOTE_URL in app-config.production.yaml)',
    );
  }
  const mode = config.getOptionalString('gitops.mode') ?? 'push';
  if (mode !== 'push' && mode !== 'pull-request') {
    throw new GitopsConfigError(
      `gitops.mode must be 'push' or 'pull-request', got '${mode}'`,
    );
  }
  // a plain local path is made absolute so that a clone from any directory still finds it
  const remote = normalizeGitRemote(rawRemote, cwd);
  const paths =
    config.getOptionalStringArray('gitops.catalog.paths') ??
    DEFAULT_CATALOG_PATHS;
  for (const p of paths) {
    if (p.startsWith('/') || p.split('/').includes('..')) {
      throw new GitopsConfigError(
        `gitops.catalog.paths must be relative to the repository root, got '${p}'`,
      );
    }
  }
  // one catalog checkout per remote, so backends with different remotes never share one
  const remoteId = crypto
    .createHash('sha256')
    .update(remote)
    .digest('hex')
    .slice(0, 12);
  const ownerGroupPrefixes =
    config.getOptionalStringArray('gitops.ownerGroupPrefixes') ?? [];
  for (const prefix of ownerGroupPrefixes) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*[:/]$/.test(prefix)) {
      throw new GitopsConfigError(
        `gitops.ownerGroupPrefixes entries must be a name followed by ':' or '/', e.g. 'oidc:', got '${prefix}'`,
      );
    }
  }
  const unverifiable =
    config.getOptionalString('gitops.unverifiableEnforcePolicies') ?? 'fail';
  if (unverifiable !== 'fail' && unverifiable !== 'warn') {
    throw new GitopsConfigError(
      `gitops.unverifiableEnforcePolicies must be 'fail' or 'warn', got '${unverifiable}'`,
    );
  }
  return {
    remote,
    branch: config.getOptionalString('gitops.branch') || 'main',
    mode,
    browseUrlTemplate:
      config.getOptionalString('gitops.browseUrlTemplate') || undefined,
    selfServiceOnboarding:
      config.getOptionalBoolean('gitops.selfServiceOnboarding') ?? false,
    platformGroup:
      config.getOptionalString('gitops.platformGroup') ??
      'group:default/platform-team',
    ownerGroupPrefixes,
    pushDeadlineSeconds: positive(config, 'gitops.pushDeadlineSeconds', 120),
    unverifiableEnforcePolicies: unverifiable,
    fallbackAuthor: {
      name:
        config.getOptionalString('gitops.fallbackAuthor.name') ?? 'IDP Portal',
      email:
        config.getOptionalString('gitops.fallbackAuthor.email') ??
        'idp-portal@noreply.local',
    },
    catalog: {
      paths,
      refreshIntervalSeconds: positive(
        config,
        'gitops.catalog.refreshIntervalSeconds',
        5,
      ),
      workDir: path.resolve(
        cwd,
        config.getOptionalString('gitops.catalog.workDir') ??
          path.join(os.tmpdir(), 'idp-portal-gitops-catalog', remoteId),
      ),
    },
  };
}

/**
 * Startup check of what writing needs: in `pull-request` mode the remote must be an https URL
 * of a host that an `integrations.github` entry covers, and that entry must carry a token.
 * Push mode needs nothing more (a local or ssh remote authenticates itself).
 *
 * @public
 * @throws GitopsConfigError: one sentence naming the config key and the environment variable
 */
export function assertGitopsWritable(
  config: GitopsConfig,
  integrations: ScmIntegrationRegistry,
): void {
  if (config.mode !== 'pull-request') return;
  if (!/^https:\/\/[^/]+\/[^/]+\/[^/]+?(\.git)?\/?$/i.test(config.remote)) {
    throw new GitopsConfigError(
      `gitops.mode is 'pull-request' but gitops.remote (GITOPS_REMOTE_URL) is '${config.remote}', not an https URL of a repository such as https://github.com/acme/gitops.git`,
    );
  }
  const github = integrations.github.byUrl(config.remote);
  if (!github) {
    const host = new URL(config.remote).host;
    throw new GitopsConfigError(
      `gitops.mode is 'pull-request' but gitops.remote (GITOPS_REMOTE_URL) is on ${host}, which no integrations.github entry covers, so no pull request can be opened there`,
    );
  }
  if (!github.config.token) {
    throw new GitopsConfigError(
      `gitops.mode is 'pull-request' but integrations.github (host ${github.config.host}) has no token: set GITHUB_TOKEN to a token that may push to and open pull requests on ${config.remote}`,
    );
  }
}
