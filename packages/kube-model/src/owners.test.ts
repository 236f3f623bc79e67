import type { OwnerReference } from './object';
import {
  controllerReference,
  objectKey,
  ownedObjectOf,
  rollUpToWorkload,
  type ObjectReference,
  type OwnedObject,
} from './owners';

const owner = (
  kind: string,
  name: string,
  uid: string,
  controller = true,
): OwnerReference => ({
  apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
  kind,
  name,
  uid,
  controller,
});

const deployment: OwnedObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'api',
  namespace: 'team-a',
  uid: 'deploy-1',
};
const replicaSet: OwnedObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: 'api-7d4',
  namespace: 'team-a',
  uid: 'rs-1',
  ownerReferences: [owner('Deployment', 'api', 'deploy-1')],
};
const pod: OwnedObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  name: 'api-7d4-x',
  namespace: 'team-a',
  uid: 'pod-1',
  ownerReferences: [owner('ReplicaSet', 'api-7d4', 'rs-1')],
};

function byUid(...objects: OwnedObject[]) {
  const map = new Map(objects.map(o => [o.uid!, o]));
  return (reference: ObjectReference) =>
    reference.uid ? map.get(reference.uid) : undefined;
}

describe('rollUpToWorkload', () => {
  it('rolls a Pod up through its ReplicaSet to the Deployment', () => {
    expect(rollUpToWorkload(pod, byUid(pod, replicaSet, deployment))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
      namespace: 'team-a',
      uid: 'deploy-1',
    });
  });

  it('rolls a Job Pod up to the CronJob', () => {
    const cronJob: OwnedObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'nightly',
      namespace: 'team-a',
      uid: 'cj-1',
    };
    const job: OwnedObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: 'nightly-1',
      namespace: 'team-a',
      uid: 'job-1',
      ownerReferences: [owner('CronJob', 'nightly', 'cj-1')],
    };
    const jobPod: OwnedObject = {
      ...pod,
      uid: 'pod-2',
      ownerReferences: [owner('Job', 'nightly-1', 'job-1')],
    };
    expect(rollUpToWorkload(jobPod, byUid(jobPod, job, cronJob))).toMatchObject(
      { kind: 'CronJob', name: 'nightly', uid: 'cj-1' },
    );
  });

  it('uses an owner the caller did not list from its reference, in the namespace of what it owns', () => {
    expect(rollUpToWorkload(pod, byUid(pod))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'api-7d4',
      namespace: 'team-a',
      uid: 'rs-1',
    });
  });

  it('keeps an object nothing owns, and an object it cannot look up', () => {
    expect(rollUpToWorkload(deployment, byUid(deployment))).toEqual(deployment);
    const { ownerReferences, ...unlisted } = pod;
    expect(ownerReferences).toBeDefined();
    expect(rollUpToWorkload(unlisted, byUid())).toEqual(unlisted);
  });

  it('does not roll static Pods up to their Node, nor follow other owner kinds', () => {
    const staticPod: OwnedObject = {
      ...pod,
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-1' },
      ],
    };
    expect(rollUpToWorkload(staticPod, byUid(staticPod))).toMatchObject({
      kind: 'Pod',
    });
    const rolloutSet: OwnedObject = {
      ...replicaSet,
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: 'api',
          uid: 'ro-1',
          controller: true,
        },
      ],
    };
    expect(rollUpToWorkload(pod, byUid(pod, rolloutSet))).toMatchObject({
      kind: 'ReplicaSet',
      name: 'api-7d4',
    });
  });

  it('prefers the controller reference over other workload owners', () => {
    const adopted: OwnedObject = {
      ...pod,
      ownerReferences: [
        owner('DaemonSet', 'other', 'ds-1', false),
        owner('ReplicaSet', 'api-7d4', 'rs-1'),
      ],
    };
    expect(
      rollUpToWorkload(adopted, byUid(adopted, replicaSet, deployment)),
    ).toMatchObject({ kind: 'Deployment' });
  });

  it('stops at an ownerReference cycle', () => {
    const a: OwnedObject = {
      ...replicaSet,
      uid: 'a',
      name: 'a',
      ownerReferences: [owner('ReplicaSet', 'b', 'b')],
    };
    const b: OwnedObject = {
      ...replicaSet,
      uid: 'b',
      name: 'b',
      ownerReferences: [owner('ReplicaSet', 'a', 'a')],
    };
    const lookup = jest.fn(byUid(a, b));
    expect(rollUpToWorkload(a, lookup)).toMatchObject({ name: 'a' });
    expect(lookup.mock.calls.length).toBeLessThan(10);
  });

  it('rolls up by kind/namespace/name where the data has no UIDs', () => {
    const byName = new Map(
      [pod, replicaSet, deployment].map(o => {
        const { uid, ...rest } = o;
        expect(uid).toBeDefined();
        return [`${o.kind}/${o.namespace}/${o.name}`, rest];
      }),
    );
    expect(
      rollUpToWorkload(byName.get('Pod/team-a/api-7d4-x')!, reference =>
        byName.get(
          `${reference.kind}/${reference.namespace}/${reference.name}`,
        ),
      ),
    ).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
      namespace: 'team-a',
    });
  });
});

describe('controllerReference', () => {
  it('is the controller, else the first reference', () => {
    const a = owner('ReplicaSet', 'a', 'a', false);
    const b = owner('ReplicaSet', 'b', 'b');
    expect(controllerReference([a, b])).toBe(b);
    expect(controllerReference([a])).toBe(a);
    expect(controllerReference([])).toBeUndefined();
    expect(controllerReference(undefined)).toBeUndefined();
  });
});

describe('objectKey / ownedObjectOf', () => {
  it('keys by UID, else by kind, namespace and name', () => {
    expect(objectKey(pod)).toBe('pod-1');
    expect(objectKey({ apiVersion: 'v1', kind: 'Namespace', name: 'a' })).toBe(
      'Namespace//a',
    );
  });

  it('reads the ownership facts of a listed object', () => {
    expect(
      ownedObjectOf({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'api-7d4-x',
          namespace: 'team-a',
          uid: 'pod-1',
          labels: { app: 'api' },
          ownerReferences: pod.ownerReferences as OwnerReference[],
        },
      }),
    ).toEqual(pod);
    expect(ownedObjectOf({ metadata: {} })).toBeUndefined();
  });
});
