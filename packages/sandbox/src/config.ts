import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import YAML from 'yaml';

/** The sandbox's settings, after defaults, the config file and environment overrides. */
export interface SandboxConfig {
  kubernetes: {
    host: string;
    port: number;
    token: string;
    watch: {
      /** `false` refuses watch requests (405), so clients must poll. */
      enabled: boolean;
      /** How often watches that allow bookmarks get a BOOKMARK event. */
      bookmarkIntervalMs: number;
      /** How many changes are kept for resuming watches and continuing lists (410 Gone beyond). */
      historyLimit: number;
    };
  };
  argocd: {
    host: string;
    port: number;
    username: string;
    password: string;
    token: string;
  };
  gitops: {
    /** A file path (bare repository, created when missing) or a git URL. */
    remote: string;
    /** Directory a new bare remote is seeded from. */
    seedFrom: string;
    workDir: string;
  };
  reconciler: { intervalMs: number };
  reports: { openreports: boolean };
  kubeconfigPath: string;
  /** The monorepo root every relative path was resolved against. */
  repoRoot: string;
}

/** A config file or environment value that is not usable; the message says which and why. */
export class SandboxConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxConfigError';
  }
}

// The sandbox always runs from source inside the monorepo (never as a production build), so
// __dirname reliably points into packages/sandbox/src.
// eslint-disable-next-line no-restricted-syntax
const SOURCE_DIR = __dirname;

/** Finds the monorepo root: the nearest ancestor whose package.json declares workspaces. */
export function findRepoRoot(start: string = SOURCE_DIR): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return dir;
      } catch {
        // not JSON: keep looking upwards
      }
    }
    if (dirname(dir) === dir) {
      throw new SandboxConfigError(
        `no monorepo root (package.json with workspaces) above ${start}`,
      );
    }
  }
}

/** The default config file, next to this package's package.json. */
export const DEFAULT_CONFIG_FILE = resolve(
  SOURCE_DIR,
  '..',
  'sandbox.config.yaml',
);

const DEFAULTS = {
  kubernetes: {
    host: '127.0.0.1',
    port: 7100,
    token: 'sandbox-dev-token-not-a-secret',
    watch: { enabled: true, bookmarkIntervalMs: 30_000, historyLimit: 10_000 },
  },
  argocd: {
    host: '127.0.0.1',
    port: 7101,
    username: 'admin',
    password: 'sandbox-dev-password',
    token: 'sandbox-dev-argocd-token-not-a-secret',
  },
  gitops: {
    remote: '.sandbox/gitops.git',
    seedFrom: 'K8s',
    workDir: '.sandbox/checkout',
  },
  reconciler: { intervalMs: 3000 },
  reports: { openreports: false },
  kubeconfigPath: '.sandbox/kubeconfig',
};

type Raw = Record<string, unknown>;

function section(raw: Raw, key: string, where: string): Raw {
  const value = raw[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SandboxConfigError(`${where}: ${key} must be a mapping`);
  }
  return value as Raw;
}

function readString(
  raw: Raw,
  key: string,
  fallback: string,
  path: string,
  where: string,
): string {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SandboxConfigError(
      `${where}: ${path} must be a non-empty string, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

function readPort(
  raw: Raw,
  key: string,
  fallback: number,
  path: string,
  where: string,
): number {
  const value = raw[key] ?? fallback;
  const port =
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (
    typeof port !== 'number' ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535
  ) {
    throw new SandboxConfigError(
      `${where}: ${path} must be a port number (0-65535), got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return port;
}

function readBoolean(
  raw: Raw,
  key: string,
  fallback: boolean,
  path: string,
  where: string,
): boolean {
  const value = raw[key] ?? fallback;
  if (typeof value !== 'boolean') {
    throw new SandboxConfigError(
      `${where}: ${path} must be true or false, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function readInteger(
  raw: Raw,
  key: string,
  fallback: number,
  range: { min: number; max: number },
  path: string,
  where: string,
): number {
  const value = raw[key] ?? fallback;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < range.min ||
    value > range.max
  ) {
    throw new SandboxConfigError(
      `${where}: ${path} must be an integer from ${range.min} to ${
        range.max
      }, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

// A git URL (https://, ssh://, git@host:path, file://) stays as it is; paths become absolute.
const isUrl = (s: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[^/\s]+@[^/\s]+:/.test(s);
const absolute = (root: string, p: string) =>
  isAbsolute(p) ? p : resolve(root, p);

/**
 * Loads the sandbox config: built-in defaults, then the YAML file (`SANDBOX_CONFIG` or
 * `packages/sandbox/sandbox.config.yaml`; a missing default file is fine), then the environment
 * (`SANDBOX_K8S_PORT`, `SANDBOX_ARGOCD_PORT`, `SANDBOX_GITOPS_REMOTE`, `SANDBOX_GITOPS_WORKDIR`,
 * `SANDBOX_KUBECONFIG`).
 * Relative paths are resolved against the monorepo root.
 *
 * @throws SandboxConfigError naming the bad key and the file or variable it came from.
 */
export function loadSandboxConfig(
  env: NodeJS.ProcessEnv = process.env,
  repoRoot: string = findRepoRoot(),
): SandboxConfig {
  const file = env.SANDBOX_CONFIG
    ? absolute(repoRoot, env.SANDBOX_CONFIG)
    : DEFAULT_CONFIG_FILE;
  let raw: Raw = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = YAML.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SandboxConfigError(
        `${file}: not valid YAML: ${(error as Error).message}`,
      );
    }
    if (
      parsed !== null &&
      parsed !== undefined &&
      (typeof parsed !== 'object' || Array.isArray(parsed))
    ) {
      throw new SandboxConfigError(`${file}: must be a YAML mapping`);
    }
    raw = (parsed as Raw) ?? {};
  } else if (env.SANDBOX_CONFIG) {
    throw new SandboxConfigError(
      `SANDBOX_CONFIG points at ${file}, which does not exist`,
    );
  }

  const where = file;
  const k8s = section(raw, 'kubernetes', where);
  const argo = section(raw, 'argocd', where);
  const gitops = section(raw, 'gitops', where);
  const reconciler = section(raw, 'reconciler', where);
  const reports = section(raw, 'reports', where);
  const watch = section(k8s, 'watch', `${where}: kubernetes`);
  const fromEnv = (name: string, target: Raw, key: string) => {
    if (env[name] !== undefined && env[name] !== '') target[key] = env[name];
  };
  // Environment wins over the file; errors then name the variable.
  const envK8s: Raw = { ...k8s };
  const envArgo: Raw = { ...argo };
  const envGitops: Raw = { ...gitops };
  const envTop: Raw = { ...raw };
  fromEnv('SANDBOX_K8S_PORT', envK8s, 'port');
  fromEnv('SANDBOX_ARGOCD_PORT', envArgo, 'port');
  fromEnv('SANDBOX_GITOPS_REMOTE', envGitops, 'remote');
  fromEnv('SANDBOX_GITOPS_WORKDIR', envGitops, 'workDir');
  fromEnv('SANDBOX_KUBECONFIG', envTop, 'kubeconfigPath');
  const whereOf = (name: string) =>
    env[name] ? `environment variable ${name}` : where;

  const intervalMs = reconciler.intervalMs ?? DEFAULTS.reconciler.intervalMs;
  if (
    typeof intervalMs !== 'number' ||
    !Number.isInteger(intervalMs) ||
    intervalMs < 100
  ) {
    throw new SandboxConfigError(
      `${where}: reconciler.intervalMs must be an integer >= 100, got ${JSON.stringify(
        intervalMs,
      )}`,
    );
  }
  const remote = readString(
    envGitops,
    'remote',
    DEFAULTS.gitops.remote,
    'gitops.remote',
    whereOf('SANDBOX_GITOPS_REMOTE'),
  );

  const config: SandboxConfig = {
    kubernetes: {
      host: readString(
        k8s,
        'host',
        DEFAULTS.kubernetes.host,
        'kubernetes.host',
        where,
      ),
      port: readPort(
        envK8s,
        'port',
        DEFAULTS.kubernetes.port,
        'kubernetes.port',
        whereOf('SANDBOX_K8S_PORT'),
      ),
      token: readString(
        k8s,
        'token',
        DEFAULTS.kubernetes.token,
        'kubernetes.token',
        where,
      ),
      watch: {
        enabled: readBoolean(
          watch,
          'enabled',
          DEFAULTS.kubernetes.watch.enabled,
          'kubernetes.watch.enabled',
          where,
        ),
        bookmarkIntervalMs: readInteger(
          watch,
          'bookmarkIntervalMs',
          DEFAULTS.kubernetes.watch.bookmarkIntervalMs,
          { min: 10, max: 3_600_000 },
          'kubernetes.watch.bookmarkIntervalMs',
          where,
        ),
        historyLimit: readInteger(
          watch,
          'historyLimit',
          DEFAULTS.kubernetes.watch.historyLimit,
          { min: 100, max: 1_000_000 },
          'kubernetes.watch.historyLimit',
          where,
        ),
      },
    },
    argocd: {
      host: readString(
        argo,
        'host',
        DEFAULTS.argocd.host,
        'argocd.host',
        where,
      ),
      port: readPort(
        envArgo,
        'port',
        DEFAULTS.argocd.port,
        'argocd.port',
        whereOf('SANDBOX_ARGOCD_PORT'),
      ),
      username: readString(
        argo,
        'username',
        DEFAULTS.argocd.username,
        'argocd.username',
        where,
      ),
      password: readString(
        argo,
        'password',
        DEFAULTS.argocd.password,
        'argocd.password',
        where,
      ),
      token: readString(
        argo,
        'token',
        DEFAULTS.argocd.token,
        'argocd.token',
        where,
      ),
    },
    gitops: {
      remote: isUrl(remote) ? remote : absolute(repoRoot, remote),
      seedFrom: absolute(
        repoRoot,
        readString(
          gitops,
          'seedFrom',
          DEFAULTS.gitops.seedFrom,
          'gitops.seedFrom',
          where,
        ),
      ),
      workDir: absolute(
        repoRoot,
        readString(
          envGitops,
          'workDir',
          DEFAULTS.gitops.workDir,
          'gitops.workDir',
          whereOf('SANDBOX_GITOPS_WORKDIR'),
        ),
      ),
    },
    reconciler: { intervalMs },
    reports: {
      openreports: readBoolean(
        reports,
        'openreports',
        DEFAULTS.reports.openreports,
        'reports.openreports',
        where,
      ),
    },
    kubeconfigPath: absolute(
      repoRoot,
      readString(
        envTop,
        'kubeconfigPath',
        DEFAULTS.kubeconfigPath,
        'kubeconfigPath',
        whereOf('SANDBOX_KUBECONFIG'),
      ),
    ),
    repoRoot,
  };
  if (
    config.kubernetes.port !== 0 &&
    config.kubernetes.port === config.argocd.port
  ) {
    throw new SandboxConfigError(
      `${where}: kubernetes.port and argocd.port must differ (both ${config.argocd.port})`,
    );
  }
  return config;
}
