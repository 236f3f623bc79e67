import type { KubernetesObject } from '@internal/kube-model';
import { get as httpGet } from 'node:http';
import { ClusterStore } from '../store';
import { ClusterSimulator } from '../cluster/ClusterSimulator';
import { KubeApiServer } from './KubeApiServer';
import { request } from './__testUtils__/request';

const TOKEN = 'test-token';
const START = new Date('2026-03-01T10:00:00Z');

function deployment(
  name: string,
  image: string,
  containers = [{ name, image }],
): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name, app: name } },
        spec: {
          containers: containers.map(c => ({
            ...c,
            ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: '50m', memory: '64Mi' } },
          })),
        },
      },
    },
  };
}

describe('GET /api/v1/namespaces/{ns}/pods/{name}/log', () => {
  let clock = START;
  const store = new ClusterStore();
  const simulator = new ClusterSimulator({ store, now: () => clock });
  const server = new KubeApiServer({
    store,
    token: TOKEN,
    port: 0,
    now: () => clock,
    followPollMs: 20,
  });
  let base: string;
  const get = (path: string) =>
    request(`${base}${path}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
  const podName = (app: string) =>
    store
      .list({ kind: 'Pod', namespace: 'shop' })
      .find(p => p.metadata.labels?.app === app)!.metadata.name;
  const logPath = (app: string, query = '') =>
    `/api/v1/namespaces/shop/pods/${podName(app)}/log${query}`;
  const advance = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    simulator.createDefaultTopology();
    store.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    store.apply(deployment('checkout', 'ghcr.io/acme/checkout:1.4.2'));
    store.apply(deployment('orders', 'ghcr.io/acme/orders:2.0.0'));
    store.apply(
      deployment('cart', 'ghcr.io/acme/cart:1.0.0', [
        { name: 'cart', image: 'ghcr.io/acme/cart:1.0.0' },
        { name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' },
      ]),
    );
    store.apply(
      deployment('prometheus', 'quay.io/prometheus/prometheus:v3.4.2'),
    );
    simulator.reconcileWorkloads();
    advance(120);
    await server.start();
    base = server.httpUrl;
  });
  afterAll(() => server.stop());

  it('serves the startup lines and the steady lines of a running container, the same on every call', async () => {
    const res = await get(logPath('checkout'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    const lines = res.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^2026-03-01T10:00:00\.\d{3}Z INFO {2}\[checkout\] Starting checkout$/,
    );
    expect(res.text).toContain('version 1.4.2');
    expect(res.text).toContain('Listening on 0.0.0.0:8080');
    expect(res.text).toMatch(
      /"GET \/[a-z0-9/]+ HTTP\/1\.1" \d{3} \d+ "-" "[^"]+" \d+ms/,
    );
    expect(lines.length).toBeGreaterThan(10);
    expect((await get(logPath('checkout'))).text).toBe(res.text);
  });

  it('formats lines in the style of the workload', async () => {
    const res = await get(logPath('prometheus', '?tailLines=1'));
    expect(res.text).toMatch(
      /^ts=2026-03-01T10:0\d:\d\d\.\d{3}Z caller=\S+ level=(info|warn) msg=".+"\n$/,
    );
  });

  it('applies tailLines, sinceSeconds, timestamps and limitBytes', async () => {
    const all = (await get(logPath('checkout'))).text.trimEnd().split('\n');
    const tail = await get(logPath('checkout', '?tailLines=3'));
    expect(tail.text.trimEnd().split('\n')).toEqual(all.slice(-3));
    expect((await get(logPath('checkout', '?tailLines=0'))).text).toBe('');

    const recent = (await get(logPath('checkout', '?sinceSeconds=30'))).text
      .trimEnd()
      .split('\n');
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(all.slice(-recent.length)).toEqual(recent);

    const stamped = await get(
      logPath('checkout', '?tailLines=2&timestamps=true'),
    );
    for (const line of stamped.text.trimEnd().split('\n'))
      expect(line).toMatch(/^2026-03-01T10:0\d:\d\d\.\d{9}Z /);

    const limited = await get(logPath('checkout', '?limitBytes=10'));
    expect(limited.text).toBe(all.join('\n').slice(0, 10));
  });

  it('answers like the API server when the pod, container or previous instance is missing', async () => {
    const missing = await get('/api/v1/namespaces/shop/pods/nope/log');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });

    const wrong = await get(logPath('checkout', '?container=sidecar'));
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: `container sidecar is not valid for pod ${podName('checkout')}`,
    });

    const ambiguous = await get(logPath('cart'));
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.json.message).toBe(
      `a container name must be specified for pod ${podName(
        'cart',
      )}, choose one of: [cart proxy]`,
    );
    expect((await get(logPath('cart', '?container=proxy'))).status).toBe(200);

    const previous = await get(logPath('checkout', '?previous=true'));
    expect(previous.status).toBe(400);
    expect(previous.json.message).toBe(
      `previous terminated container "checkout" in pod "${podName(
        'checkout',
      )}" not found`,
    );
  });

  it('refuses invalid options with 422 and unparsable ones with 400', async () => {
    const negative = await get(logPath('checkout', '?tailLines=-1'));
    expect(negative.status).toBe(422);
    expect(negative.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      message: `PodLogOptions "${podName(
        'checkout',
      )}" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0`,
    });
    const both = await get(
      logPath('checkout', '?sinceSeconds=5&sinceTime=2026-03-01T10:00:00Z'),
    );
    expect(both.status).toBe(422);
    const garbage = await get(logPath('checkout', '?tailLines=ten'));
    expect(garbage.status).toBe(400);
    expect(garbage.json.reason).toBe('BadRequest');
  });

  it('shows the errors of a crashed workload, then the crashed run as the previous container after it heals', async () => {
    simulator.crashWorkload({
      namespace: 'shop',
      kind: 'Deployment',
      name: 'orders',
    });

    const crashing = await get(logPath('orders'));
    expect(crashing.status).toBe(200);
    expect(crashing.text).toContain('connect: connection refused');
    expect(crashing.text.trimEnd().split('\n').pop()).toMatch(
      /FATAL \[orders\] unrecoverable error, exiting with code 1/,
    );
    // the run before the crash loop: the healthy run, ending in the first crash
    const beforeCrash = await get(logPath('orders', '?previous'));
    expect(beforeCrash.status).toBe(200);
    expect(beforeCrash.text).toContain('HTTP/1.1');
    expect(beforeCrash.text).toContain('unrecoverable error');
    // the next attempt crashes too: now the previous container is a crashed attempt as well
    advance(10);
    simulator.reconcileWorkloads();
    const loop = await get(logPath('orders', '?previous'));
    expect(loop.text).not.toContain('HTTP/1.1');
    expect(loop.text).toContain('unrecoverable error');

    simulator.healWorkload({
      namespace: 'shop',
      kind: 'Deployment',
      name: 'orders',
    });
    advance(30);
    const healed = await get(logPath('orders'));
    expect(healed.text).toContain('Ready to accept requests');
    expect(healed.text).not.toContain('unrecoverable error');
    const previous = await get(logPath('orders', '?previous=true'));
    expect(previous.status).toBe(200);
    expect(previous.text).toContain('connection refused');
    expect(previous.text).toContain('exiting with code 1');
  });

  it('follows a running container with a chunked stream until it stops', async () => {
    const chunks: string[] = [];
    const ended = new Promise<{ encoding?: string }>((resolve, reject) => {
      httpGet(
        `${base}${logPath('checkout', '?follow=true&tailLines=1')}`,
        { headers: { Authorization: `Bearer ${TOKEN}` }, agent: false },
        res => {
          res.setEncoding('utf8');
          res.on('data', chunk => {
            chunks.push(chunk);
            if (chunks.length === 1) advance(60);
            if (chunks.length === 2)
              simulator.crashWorkload({
                namespace: 'shop',
                kind: 'Deployment',
                name: 'checkout',
              });
          });
          res.on('end', () =>
            resolve({ encoding: res.headers['transfer-encoding'] }),
          );
        },
      ).on('error', reject);
    });
    const { encoding } = await ended;
    expect(encoding).toBe('chunked');
    expect(chunks[0].trimEnd().split('\n')).toHaveLength(1);
    // a minute of steady lines came in while following
    expect(
      chunks.slice(1).join('').trimEnd().split('\n').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('cannot reach the logs on a failed node', async () => {
    const path = '/api/v1/namespaces/kube-system/pods/etcd-control-plane/log';
    expect((await get(path)).text).toMatch(
      /^I0301 10:00:00\.\d{6} {7}1 main\.go:88\] "Starting etcd"/,
    );
    simulator.failNode('control-plane');
    try {
      const res = await get(path);
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({
        kind: 'Status',
        reason: 'InternalError',
      });
      expect(res.json.message).toMatch(
        /:10250\/containerLogs\/kube-system\/etcd-control-plane\/etcd": dial tcp .*connect: no route to host/,
      );
    } finally {
      simulator.healNode('control-plane');
    }
  });
});
