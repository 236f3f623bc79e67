import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterStore } from '../store';
import { KubeApiServer } from './KubeApiServer';
import { writeKubeconfig } from './kubeconfig';
import { populateTestCluster } from './__testUtils__/testCluster';

/** kubectl on PATH: scripts/lib/provision.sh installs it for start.sh and test.sh. */
function findKubectl(): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map(dir => join(dir, 'kubectl'))
    .find(file => existsSync(file));
}
const KUBECTL = findKubectl();
const run = promisify(execFile);

// Not a skip: without kubectl this suite would pass while proving nothing about the API
it('has kubectl to test with', () => {
  expect({
    kubectl: KUBECTL ?? 'not on PATH',
    help: KUBECTL
      ? 'ok'
      : './scripts/start.sh and ./scripts/test.sh install kubectl (scripts/lib/provision.sh, Debian package kubectl); on another system install kubectl and run the tests again',
  }).toEqual({ kubectl: expect.stringMatching(/\/kubectl$/), help: 'ok' });
});

describe('real kubectl against the sandbox', () => {
  const store = new ClusterStore();
  const server = new KubeApiServer({
    store,
    token: 'kubectl-test-token',
    port: 0,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');

  // Async on purpose: the server runs in this process, a sync spawn would block it.
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(
        KUBECTL ?? 'kubectl',
        [
          '--kubeconfig',
          kubeconfig,
          '--cache-dir',
          join(dir, 'cache'),
          ...args,
        ],
        {
          env: { PATH: process.env.PATH, HOME: dir },
          timeout: 30_000,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error: any) {
      return {
        code: error.code as number,
        stdout: String(error.stdout),
        stderr: String(error.stderr),
      };
    }
  };
  const rows = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map(line => line.trim().split(/\s{2,}/));

  beforeAll(async () => {
    populateTestCluster(store);
    await server.start();
    writeKubeconfig(
      kubeconfig,
      server.url,
      'kubectl-test-token',
      server.caCertificate,
    );
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl get pods -A', async () => {
    const { code, stdout, stderr } = await kubectl('get', 'pods', '-A');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const table = rows(stdout);
    expect(table[0]).toEqual([
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(table.slice(1).map(r => r.slice(0, 5))).toEqual([
      ['team-a', 'payments-api-7d9f8-abcde', '1/1', 'Running', '1'],
      ['team-a', 'payments-api-7d9f8-fghij', '1/1', 'Running', '1'],
      ['team-b', 'search-0', '1/1', 'Running', '1'],
    ]);
  });

  it('kubectl get nodes', async () => {
    const { stdout } = await kubectl('get', 'nodes');
    expect(rows(stdout).map(r => r.slice(0, 3))).toEqual([
      ['NAME', 'STATUS', 'ROLES'],
      ['control-plane', 'Ready', 'control-plane'],
      ['worker-apps', 'Ready', '<none>'],
      ['worker-infra', 'Ready', '<none>'],
    ]);
  });

  it('kubectl get polr -A', async () => {
    const { stdout } = await kubectl('get', 'polr', '-A');
    const [header, row] = rows(stdout);
    expect(header).toEqual([
      'NAMESPACE',
      'NAME',
      'KIND',
      'NAME',
      'PASS',
      'FAIL',
      'WARN',
      'ERROR',
      'SKIP',
      'AGE',
    ]);
    expect(row.slice(2, 9)).toEqual([
      'Pod',
      'payments-api-7d9f8-abcde',
      '1',
      '1',
      '0',
      '0',
      '0',
    ]);
    expect(row[1]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('kubectl get applications -n argocd', async () => {
    const { stdout } = await kubectl('get', 'applications', '-n', 'argocd');
    expect(rows(stdout)).toEqual([
      ['NAME', 'SYNC STATUS', 'HEALTH STATUS'],
      ['payments', 'Synced', 'Healthy'],
    ]);
    expect(
      rows(
        (await kubectl('get', 'app', '-n', 'argocd', '-o', 'wide')).stdout,
      )[1],
    ).toEqual(['payments', 'Synced', 'Healthy', 'abc123', 'team-a']);
  });

  it('kubectl get deploy -o json', async () => {
    const empty = JSON.parse(
      (await kubectl('get', 'deploy', '-n', 'argocd', '-o', 'json')).stdout,
    );
    expect(empty).toMatchObject({ apiVersion: 'v1', kind: 'List', items: [] });
    const teamA = JSON.parse(
      (await kubectl('get', 'deploy', '-n', 'team-a', '-o', 'json')).stdout,
    );
    expect(teamA.items).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: expect.objectContaining({ name: 'payments-api' }),
      }),
    ]);
  });

  it('kubectl get pod <name> -n <ns>, also as yaml', async () => {
    const { stdout } = await kubectl('get', 'pod', 'search-0', '-n', 'team-b');
    expect(rows(stdout)[1].slice(0, 4)).toEqual([
      'search-0',
      '1/1',
      'Running',
      '1',
    ]);
    const yaml = (
      await kubectl('get', 'pod', 'search-0', '-n', 'team-b', '-o', 'yaml')
    ).stdout;
    expect(yaml).toContain('nodeName: worker-apps');
  });

  it('selectors, cluster policies and metrics', async () => {
    expect(
      rows(
        (
          await kubectl(
            'get',
            'pods',
            '-A',
            '-l',
            'app.kubernetes.io/name=search',
          )
        ).stdout,
      )
        .slice(1)
        .map(r => r[1]),
    ).toEqual(['search-0']);
    expect(
      rows(
        (
          await kubectl(
            'get',
            'pods',
            '-A',
            '--field-selector',
            'spec.nodeName=worker-infra',
          )
        ).stdout,
      )
        .slice(1)
        .map(r => r[1]),
    ).toEqual(['payments-api-7d9f8-fghij']);
    expect(rows((await kubectl('get', 'cpol')).stdout)[1].slice(0, 4)).toEqual([
      'require-labels',
      'true',
      'true',
      'True',
    ]);
    const top = rows((await kubectl('top', 'pods', '-n', 'team-a')).stdout);
    expect(top[0]).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(top).toHaveLength(3);
  });

  it('reports errors like a real API server', async () => {
    const missing = await kubectl('get', 'pod', 'missing', '-n', 'team-a');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'Error from server (NotFound): pods "missing" not found',
    );
    const badSelector = await kubectl('get', 'pods', '-A', '-l', 'app in');
    expect(badSelector.code).toBe(1);
    const deleted = await kubectl('delete', 'pod', 'search-0', '-n', 'team-b');
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('MethodNotAllowed');
  });

  it('kubectl get pods -A --watch shows a pod added after the watch started', async () => {
    const child = spawn(
      KUBECTL ?? 'kubectl',
      [
        '--kubeconfig',
        kubeconfig,
        '--cache-dir',
        join(dir, 'cache'),
        'get',
        'pods',
        '-A',
        '--watch',
      ],
      { env: { PATH: process.env.PATH, HOME: dir } },
    );
    let stdout = '';
    let stderr = '';
    const waiters: Array<() => void> = [];
    child.stdout.on('data', chunk => {
      stdout += chunk;
      for (const waiter of waiters.splice(0)) waiter();
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    const exited = new Promise(resolve => child.once('exit', resolve));
    const waitForLines = (count: number) =>
      new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `kubectl printed ${JSON.stringify(stdout)} (stderr ${stderr})`,
              ),
            ),
          20_000,
        );
        const check = () => {
          const lines = stdout.split('\n').filter(Boolean);
          if (lines.length >= count) {
            clearTimeout(timer);
            resolve(lines);
          } else waiters.push(check);
        };
        check();
      });
    try {
      const listed = await waitForLines(4);
      expect(rows(listed.join('\n')).map(r => r[1])).toEqual([
        'NAME',
        'payments-api-7d9f8-abcde',
        'payments-api-7d9f8-fghij',
        'search-0',
      ]);
      // The watch request is open once the server counts it.
      const deadline = Date.now() + 10_000;
      while (server.openWatches === 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(server.openWatches).toBe(1);
      store.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'watched-0', namespace: 'team-b' },
        spec: { nodeName: 'worker-apps', containers: [{ name: 'main' }] },
        status: { phase: 'Pending' },
      });
      const lines = await waitForLines(5);
      expect(rows(lines[4])[0].slice(0, 4)).toEqual([
        'team-b',
        'watched-0',
        '0/1',
        'Pending',
      ]);
      expect(stderr).toBe('');
    } finally {
      child.kill('SIGTERM');
      await exited;
      store.delete({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'team-b',
        name: 'watched-0',
      });
    }
  });

  it('kubectl api-resources and version', async () => {
    const resources = (await kubectl('api-resources')).stdout;
    expect(resources).toMatch(
      /policyreports\s+polr\s+wgpolicyk8s.io\/v1alpha2\s+true\s+PolicyReport/,
    );
    expect(resources).toMatch(
      /applications\s+app,apps\s+argoproj.io\/v1alpha1\s+true\s+Application/,
    );
    expect((await kubectl('version', '-o', 'json')).stdout).toContain(
      'v1.31.0-sandbox',
    );
  });
});
