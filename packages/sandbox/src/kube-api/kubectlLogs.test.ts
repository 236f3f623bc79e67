import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClusterStore } from '../store';
import { ClusterSimulator } from '../cluster/ClusterSimulator';
import { KubeApiServer } from './KubeApiServer';
import { writeKubeconfig } from './kubeconfig';

// scripts/lib/provision.sh installs kubectl; without it this test fails rather than skips
const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

describe('kubectl logs against the sandbox', () => {
  let clock = new Date('2026-03-01T10:00:00Z');
  const store = new ClusterStore();
  const simulator = new ClusterSimulator({ store, now: () => clock });
  const server = new KubeApiServer({
    store,
    token: 'kubectl-logs-token',
    port: 0,
    now: () => clock,
    followPollMs: 20,
  });
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-kubectl-logs-'));
  const kubeconfig = join(dir, 'kubeconfig');
  let pod: string;

  // async on purpose: the server runs in this process
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(
        KUBECTL,
        [
          '--kubeconfig',
          kubeconfig,
          '--cache-dir',
          join(dir, 'cache'),
          ...args,
        ],
        { env: { PATH: process.env.PATH, HOME: dir }, timeout: 30_000 },
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

  beforeAll(async () => {
    simulator.createDefaultTopology();
    store.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'checkout', namespace: 'shop' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'checkout' } },
        template: {
          metadata: { labels: { app: 'checkout' } },
          spec: {
            containers: [
              {
                name: 'checkout',
                image: 'ghcr.io/acme/checkout:1.4.2',
                resources: { requests: { cpu: '50m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    });
    simulator.reconcileWorkloads();
    pod = store.list({ kind: 'Pod', namespace: 'shop' })[0].metadata.name;
    clock = new Date(clock.getTime() + 90_000);
    await server.start();
    writeKubeconfig(
      kubeconfig,
      server.url,
      'kubectl-logs-token',
      server.caCertificate,
    );
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl logs --tail --timestamps', async () => {
    const { code, stdout, stderr } = await kubectl(
      'logs',
      '-n',
      'shop',
      pod,
      '--tail=2',
      '--timestamps',
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^2026-03-01T10:01:\d\d\.\d{9}Z \S+ - - \[01\/Mar\/2026:10:01:\d\d \+0000\] "/,
    );
  });

  it('kubectl logs deployment/checkout finds the pod through the Deployment', async () => {
    const { code, stdout } = await kubectl(
      'logs',
      '-n',
      'shop',
      'deployment/checkout',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Starting checkout');
  });

  it('kubectl logs reports missing pods, containers and previous instances as the API server does', async () => {
    expect((await kubectl('logs', '-n', 'shop', 'nope')).stderr).toContain(
      '(NotFound): pods "nope" not found',
    );
    expect(
      (await kubectl('logs', '-n', 'shop', pod, '-c', 'sidecar')).stderr,
    ).toContain(`container sidecar is not valid for pod ${pod}`);
    expect(
      (await kubectl('logs', '-n', 'shop', pod, '--previous')).stderr,
    ).toContain(
      `Error from server (BadRequest): previous terminated container "checkout" in pod "${pod}" not found`,
    );
  });

  it('kubectl logs -f streams until the container crashes; --previous then shows the crash', async () => {
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')].concat([
        'logs',
        '-n',
        'shop',
        pod,
        '-f',
        '--tail=1',
      ]),
      { env: { PATH: process.env.PATH, HOME: dir } },
    );
    let stdout = '';
    let chunks = 0;
    const exited = new Promise<number | null>(resolve =>
      child.on('exit', code => resolve(code)),
    );
    child.stdout.on('data', data => {
      stdout += String(data);
      chunks += 1;
      // first the tail; then half a minute passes; then the workload crashes
      if (chunks === 1) clock = new Date(clock.getTime() + 30_000);
      if (chunks === 2)
        simulator.crashWorkload({
          namespace: 'shop',
          kind: 'Deployment',
          name: 'checkout',
        });
    });
    expect(await exited).toBe(0);
    expect(stdout.trimEnd().split('\n').length).toBeGreaterThan(2);

    const crashed = await kubectl(
      'logs',
      '-n',
      'shop',
      pod,
      '--previous',
      '--tail=1',
    );
    expect(crashed.stdout).toMatch(
      /FATAL \[checkout\] unrecoverable error, exiting with code 1/,
    );
  });
});
