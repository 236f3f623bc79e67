import type { KubernetesObject } from '@internal/kube-model';
import { ClusterStore } from '../store/ClusterStore';
import { generateSyntheticCluster } from '../synthetic';
import { ClusterSimulator, WorkloadRef } from './ClusterSimulator';

/*
 * Crash and heal update only the workload's pods and their controllers' statuses. These tests run
 * the same steps on two identical clusters, one with the targeted path and one with the full pass
 * after every control call (the behaviour before), and require the two stores to be equal object
 * for object, resourceVersions included.
 */

/** A clock that moves one second per reading, so changed conditions get distinct times. */
function tickingClock() {
  let seconds = 0;
  return () => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds++));
}

const template = (name: string) => ({
  metadata: { labels: { app: name } },
  spec: {
    containers: [
      {
        name,
        image: `example/${name}:1.0.0`,
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
      },
    ],
  },
});

function defaultTopologyWithWorkloads(store: ClusterStore) {
  return (simulator: ClusterSimulator) => {
    simulator.createDefaultTopology();
    for (const [namespace, name, replicas] of [
      ['team-a', 'api', 3],
      ['team-a', 'web', 2],
      ['team-b', 'api', 1],
    ] as const) {
      store.apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: template(name),
        },
      });
    }
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'team-a' },
      spec: { replicas: 2, template: template('db') },
    });
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'obs' },
      spec: {
        template: {
          ...template('agent'),
          spec: {
            ...template('agent').spec,
            tolerations: [{ operator: 'Exists' }],
          },
        },
      },
    });
    store.apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'team-a' },
      spec: { template: template('migrate') },
    });
    // a Deployment that does not fit: its pods stay Pending
    store.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'huge', namespace: 'team-b' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'huge' } },
        template: {
          ...template('huge'),
          spec: {
            containers: [
              {
                name: 'huge',
                image: 'example/huge:1',
                resources: { requests: { cpu: '64' } },
              },
            ],
          },
        },
      },
    });
    simulator.reconcileWorkloads();
  };
}

function syntheticCluster(store: ClusterStore) {
  generateSyntheticCluster(store, {
    nodes: 6,
    namespaces: 4,
    pods: 90,
    reports: 5,
  });
  return (simulator: ClusterSimulator) => simulator.reconcileWorkloads();
}

/** Two identical clusters: `targeted` as shipped, `full` reconciling everything per control call. */
function twins(build: (store: ClusterStore) => (s: ClusterSimulator) => void) {
  const make = (fullPassOnWorkloadControl: boolean) => {
    const store = new ClusterStore();
    const start = build(store);
    const simulator = new ClusterSimulator({
      store,
      now: tickingClock(),
      fullPassOnWorkloadControl,
    });
    start(simulator);
    return { store, simulator };
  };
  return { targeted: make(false), full: make(true) };
}

const keyOf = (o: KubernetesObject) =>
  `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Every object, sorted, with what differs between two stores built the same way by design:
 * uids (random) become the owning object's key, creation timestamps (wall clock) are dropped.
 */
function snapshot(store: ClusterStore) {
  const objects = store.all().sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  let text = JSON.stringify(
    objects.map(o => {
      const { creationTimestamp: _created, ...metadata } = o.metadata;
      return { ...o, metadata };
    }),
  );
  for (const o of objects) {
    if (o.metadata.uid)
      text = text.split(o.metadata.uid).join(`uid:${keyOf(o)}`);
  }
  return {
    resourceVersion: store.resourceVersion,
    objects: JSON.parse(text) as KubernetesObject[],
  };
}

const podsOf = (store: ClusterStore, namespace: string, prefix: string) =>
  store
    .list({ kind: 'Pod', namespace })
    .filter(p => p.metadata.name.startsWith(prefix));

type Clusters = ReturnType<typeof twins>;

function step(clusters: Clusters, action: 'crash' | 'heal', ref: WorkloadRef) {
  for (const { simulator } of [clusters.targeted, clusters.full]) {
    if (action === 'crash') simulator.crashWorkload(ref);
    else simulator.healWorkload(ref);
  }
}

describe('ClusterSimulator crash and heal (targeted path)', () => {
  it('writes exactly what the full pass writes on the default topology', () => {
    const clusters = twins(defaultTopologyWithWorkloads);
    expect(snapshot(clusters.targeted.store)).toEqual(
      snapshot(clusters.full.store),
    );
    const refs: WorkloadRef[] = [
      { namespace: 'team-a', kind: 'Deployment', name: 'api' },
      { namespace: 'team-a', kind: 'StatefulSet', name: 'db' },
      { namespace: 'obs', kind: 'DaemonSet', name: 'agent' },
      { namespace: 'team-a', kind: 'Job', name: 'migrate' },
      { namespace: 'team-b', kind: 'Deployment', name: 'huge' },
    ];
    const api = podsOf(clusters.targeted.store, 'team-a', 'api-');
    const rsName = api[0].metadata.ownerReferences![0].name;
    refs.push(
      { namespace: 'team-a', kind: 'rs', name: rsName },
      { namespace: 'team-a', kind: 'pod', name: api[1].metadata.name },
    );
    for (const ref of refs) {
      for (const action of ['crash', 'heal'] as const) {
        const before = clusters.targeted.store.resourceVersion;
        step(clusters, action, ref);
        expect({ ref, action, ...snapshot(clusters.targeted.store) }).toEqual({
          ref,
          action,
          ...snapshot(clusters.full.store),
        });
        // a crash or heal changes running pods; Pending ones and a finished Job's stay as they are
        const changed = clusters.targeted.store.resourceVersion !== before;
        expect({ ref, changed }).toEqual({
          ref,
          changed: !['huge', 'migrate'].includes(ref.name),
        });
      }
    }
    // the crash really showed: restart counts grew, the Deployment lost its ready replicas
    const restarted = podsOf(clusters.targeted.store, 'team-a', 'api-');
    expect(
      restarted.map(
        p =>
          (p.status as { containerStatuses: Array<{ restartCount: number }> })
            .containerStatuses[0].restartCount,
      ),
    ).toEqual(
      // one restart from the Deployment's crash, one from its ReplicaSet's, one more for the pod
      restarted.map(p => (p.metadata.name === api[1].metadata.name ? 3 : 2)),
    );
  });

  it('writes exactly what the full pass writes on a synthetic cluster', () => {
    const clusters = twins(syntheticCluster);
    expect(snapshot(clusters.targeted.store)).toEqual(
      snapshot(clusters.full.store),
    );
    const deployments = clusters.targeted.store.list({ kind: 'Deployment' });
    expect(deployments.length).toBeGreaterThan(3);
    for (const d of deployments.slice(0, 3)) {
      const ref = {
        namespace: d.metadata.namespace!,
        kind: 'Deployment',
        name: d.metadata.name,
      };
      step(clusters, 'crash', ref);
      expect(snapshot(clusters.targeted.store)).toEqual(
        snapshot(clusters.full.store),
      );
      const status = clusters.targeted.store.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: ref.namespace,
        name: ref.name,
      })!.status as { readyReplicas: number };
      expect(status.readyReplicas).toBe(0);
      step(clusters, 'heal', ref);
      expect(snapshot(clusters.targeted.store)).toEqual(
        snapshot(clusters.full.store),
      );
    }
  });

  it('leaves other crashed workloads alone (the full pass bumps their restart counts)', () => {
    const clusters = twins(defaultTopologyWithWorkloads);
    const api = { namespace: 'team-a', kind: 'Deployment', name: 'api' };
    const web = { namespace: 'team-a', kind: 'Deployment', name: 'web' };
    step(clusters, 'crash', api);
    const apiPodsBefore = podsOf(clusters.targeted.store, 'team-a', 'api-');
    step(clusters, 'crash', web);
    // the targeted path did not touch api's pods ...
    expect(podsOf(clusters.targeted.store, 'team-a', 'api-')).toEqual(
      apiPodsBefore,
    );
    // ... and otherwise agrees with the full pass, apart from resourceVersions (fewer writes)
    // and what the full pass does to api's pods on every call
    const normalize = (store: ClusterStore) =>
      snapshot(store).objects.map(o => {
        const { resourceVersion: _rv, ...metadata } = o.metadata;
        const copy = { ...o, metadata };
        if (o.kind === 'Pod' && o.metadata.name.startsWith('api-')) {
          const { containerStatuses: _c, ...status } = o.status as Record<
            string,
            unknown
          >;
          return { ...copy, status };
        }
        return copy;
      });
    expect(normalize(clusters.targeted.store)).toEqual(
      normalize(clusters.full.store),
    );
    // the next periodic pass brings the restart counts level again
    clusters.targeted.simulator.reconcileWorkloads();
    clusters.full.simulator.reconcileWorkloads();
    const webPods = (store: ClusterStore) =>
      snapshot(store).objects.filter(
        o => o.kind === 'Pod' && o.metadata.name.startsWith('web-'),
      );
    expect(webPods(clusters.targeted.store).map(p => p.status)).toEqual(
      webPods(clusters.full.store).map(p => p.status),
    );
  });
});
