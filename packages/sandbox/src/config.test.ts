import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findRepoRoot, loadSandboxConfig, SandboxConfigError } from './config';

describe('loadSandboxConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-config-'));
  const root = findRepoRoot(__dirname);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withFile = (yaml: string) => {
    const file = join(
      dir,
      `config-${Math.random().toString(36).slice(2)}.yaml`,
    );
    writeFileSync(file, yaml);
    return file;
  };

  it('finds the monorepo root', () => {
    expect(root).toBe(resolve(__dirname, '../../..'));
  });

  it('loads the checked-in sandbox.config.yaml with paths under the repo root', () => {
    const config = loadSandboxConfig({}, root);
    expect(config).toMatchObject({
      kubernetes: {
        host: '127.0.0.1',
        port: 7100,
        watch: {
          enabled: true,
          bookmarkIntervalMs: 30000,
          historyLimit: 10000,
        },
      },
      argocd: { host: '127.0.0.1', port: 7101, username: 'admin' },
      gitops: {
        remote: join(root, '.sandbox/gitops.git'),
        seedFrom: join(root, 'K8s'),
        workDir: join(root, '.sandbox/checkout'),
      },
      reconciler: { intervalMs: 3000 },
      reports: { openreports: false },
      kubeconfigPath: join(root, '.sandbox/kubeconfig'),
      repoRoot: root,
    });
    expect(config.kubernetes.token).toMatch(/dev/);
  });

  it('applies environment overrides', () => {
    const config = loadSandboxConfig(
      {
        SANDBOX_K8S_PORT: '0',
        SANDBOX_ARGOCD_PORT: '17101',
        SANDBOX_GITOPS_REMOTE: 'https://git.example.com/org/gitops.git',
        SANDBOX_KUBECONFIG: '/tmp/kc',
        SANDBOX_CONFIG: withFile(
          'reports:\n  openreports: true\nreconciler:\n  intervalMs: 500\nkubernetes:\n  watch:\n    enabled: false\n    bookmarkIntervalMs: 1000\n',
        ),
      },
      root,
    );
    expect(config.kubernetes.port).toBe(0);
    expect(config.argocd.port).toBe(17101);
    expect(config.gitops.remote).toBe('https://git.example.com/org/gitops.git');
    expect(config.kubeconfigPath).toBe('/tmp/kc');
    expect(config.reports.openreports).toBe(true);
    expect(config.reconciler.intervalMs).toBe(500);
    expect(config.kubernetes.watch).toEqual({
      enabled: false,
      bookmarkIntervalMs: 1000,
      historyLimit: 10000,
    });
  });

  it.each([
    [
      'kubernetes:\n  port: 70000\n',
      {},
      /kubernetes.port must be a port number/,
    ],
    [
      'kubernetes:\n  token: ""\n',
      {},
      /kubernetes.token must be a non-empty string/,
    ],
    ['argocd: [1]\n', {}, /argocd must be a mapping/],
    ['kubernetes:\n  watch: 1\n', {}, /watch must be a mapping/],
    [
      'kubernetes:\n  watch:\n    historyLimit: 5\n',
      {},
      /kubernetes.watch.historyLimit must be an integer from 100 to 1000000, got 5/,
    ],
    [
      'kubernetes:\n  watch:\n    bookmarkIntervalMs: "fast"\n',
      {},
      /kubernetes.watch.bookmarkIntervalMs must be an integer/,
    ],
    [
      'reports:\n  openreports: "yes"\n',
      {},
      /reports.openreports must be true or false/,
    ],
    [
      'reconciler:\n  intervalMs: 5\n',
      {},
      /intervalMs must be an integer >= 100/,
    ],
    ['kubernetes:\n  port: 7100\nargocd:\n  port: 7100\n', {}, /must differ/],
    ['- a list\n', {}, /must be a YAML mapping/],
    ['a: [\n', {}, /not valid YAML/],
    [
      '{}\n',
      { SANDBOX_K8S_PORT: 'abc' },
      /environment variable SANDBOX_K8S_PORT: kubernetes.port/,
    ],
  ])('rejects %j %j', (yaml, env, message) => {
    expect(() =>
      loadSandboxConfig({ SANDBOX_CONFIG: withFile(yaml), ...env }, root),
    ).toThrow(message);
    expect(() =>
      loadSandboxConfig({ SANDBOX_CONFIG: withFile(yaml), ...env }, root),
    ).toThrow(SandboxConfigError);
  });

  it('names a missing SANDBOX_CONFIG file', () => {
    expect(() =>
      loadSandboxConfig({ SANDBOX_CONFIG: join(dir, 'nope.yaml') }, root),
    ).toThrow(/does not exist/);
  });
});
