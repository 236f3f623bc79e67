import type { KubernetesObject } from '@internal/kube-model';
import { humanAge } from './age';

/** A `meta.k8s.io/v1` Table column definition. */
interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
  cell: (obj: KubernetesObject) => string | number;
}

type Obj = Record<string, any>;

const col = (
  name: string,
  cell: Column['cell'],
  opts: Partial<Omit<Column, 'name' | 'cell'>> = {},
): Column => ({
  name,
  type: 'string',
  description: name,
  priority: 0,
  cell,
  ...opts,
});

const nameCol = col('Name', o => o.metadata.name, { format: 'name' });
const ageCol = col('Age', o => humanAge(o.metadata.creationTimestamp), {
  type: 'date',
});
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const orNone = (v: unknown) =>
  v === undefined || v === null || v === '' ? '<none>' : String(v);

function podReady(pod: Obj): string {
  const statuses: Obj[] = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  return `${statuses.filter(s => s.ready).length}/${total}`;
}

// What `kubectl get pods` shows as STATUS: a waiting/terminated reason beats the phase.
function podStatus(pod: Obj): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  for (const s of (pod.status?.containerStatuses ?? []) as Obj[]) {
    const reason = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
    if (reason && !s.ready) return reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
}

function podRestarts(pod: Obj): number {
  return ((pod.status?.containerStatuses ?? []) as Obj[]).reduce(
    (sum, s) => sum + num(s.restartCount),
    0,
  );
}

function nodeStatus(node: Obj): string {
  const ready = ((node.status?.conditions ?? []) as Obj[]).find(
    c => c.type === 'Ready',
  );
  let base = 'Unknown';
  if (ready) base = ready.status === 'True' ? 'Ready' : 'NotReady';
  return node.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(node: Obj): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter(k => k.startsWith('node-role.kubernetes.io/'))
    .map(k => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

function servicePorts(svc: Obj): string {
  const ports: Obj[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports
    .map(
      p =>
        `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`,
    )
    .join(',');
}

function conditionStatus(obj: Obj, type: string): string {
  const c = ((obj.status?.conditions ?? []) as Obj[]).find(
    x => x.type === type,
  );
  return c ? String(c.status) : '';
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    nameCol,
    col('Ready', o => podReady(o)),
    col('Status', o => podStatus(o)),
    col('Restarts', o => podRestarts(o), { type: 'integer' }),
    ageCol,
    col('IP', o => orNone((o as Obj).status?.podIP), { priority: 1 }),
    col('Node', o => orNone((o as Obj).spec?.nodeName), { priority: 1 }),
  ],
  Node: [
    nameCol,
    col('Status', o => nodeStatus(o)),
    col('Roles', o => nodeRoles(o)),
    ageCol,
    col('Version', o => orNone((o as Obj).status?.nodeInfo?.kubeletVersion)),
  ],
  Namespace: [
    nameCol,
    col('Status', o => (o as Obj).status?.phase ?? 'Active'),
    ageCol,
  ],
  Deployment: [
    nameCol,
    col(
      'Ready',
      o =>
        `${num((o as Obj).status?.readyReplicas)}/${num(
          (o as Obj).spec?.replicas ?? 1,
        )}`,
    ),
    col('Up-to-date', o => num((o as Obj).status?.updatedReplicas), {
      type: 'integer',
    }),
    col('Available', o => num((o as Obj).status?.availableReplicas), {
      type: 'integer',
    }),
    ageCol,
  ],
  ReplicaSet: [
    nameCol,
    col('Desired', o => num((o as Obj).spec?.replicas ?? 1), {
      type: 'integer',
    }),
    col('Current', o => num((o as Obj).status?.replicas), { type: 'integer' }),
    col('Ready', o => num((o as Obj).status?.readyReplicas), {
      type: 'integer',
    }),
    ageCol,
  ],
  StatefulSet: [
    nameCol,
    col(
      'Ready',
      o =>
        `${num((o as Obj).status?.readyReplicas)}/${num(
          (o as Obj).spec?.replicas ?? 1,
        )}`,
    ),
    ageCol,
  ],
  DaemonSet: [
    nameCol,
    col('Desired', o => num((o as Obj).status?.desiredNumberScheduled), {
      type: 'integer',
    }),
    col('Current', o => num((o as Obj).status?.currentNumberScheduled), {
      type: 'integer',
    }),
    col('Ready', o => num((o as Obj).status?.numberReady), { type: 'integer' }),
    ageCol,
  ],
  Service: [
    nameCol,
    col('Type', o => (o as Obj).spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', o => orNone((o as Obj).spec?.clusterIP)),
    col('Port(s)', o => servicePorts(o)),
    ageCol,
  ],
  PriorityClass: [
    nameCol,
    col('Value', o => num((o as Obj).value), { type: 'integer' }),
    col('Global-Default', o => String(Boolean((o as Obj).globalDefault))),
    ageCol,
  ],
  PolicyReport: reportColumns(),
  ClusterPolicyReport: reportColumns(),
  Report: reportColumns(),
  ClusterReport: reportColumns(),
  ClusterPolicy: policyColumns(),
  Policy: policyColumns(),
  Application: [
    nameCol,
    col('Sync Status', o => orNone((o as Obj).status?.sync?.status)),
    col('Health Status', o => orNone((o as Obj).status?.health?.status)),
    col('Revision', o => orNone((o as Obj).status?.sync?.revision), {
      priority: 10,
    }),
    col('Project', o => orNone((o as Obj).spec?.project), { priority: 10 }),
  ],
};

// The printer columns of Kyverno's report CRDs.
function reportColumns(): Column[] {
  const summary = (key: string) =>
    col(
      key[0].toUpperCase() + key.slice(1),
      o => num((o as Obj).summary?.[key]),
      { type: 'integer' },
    );
  return [
    nameCol,
    col('Kind', o => (o as Obj).scope?.kind ?? ''),
    col('Name', o => (o as Obj).scope?.name ?? ''),
    summary('pass'),
    summary('fail'),
    summary('warn'),
    summary('error'),
    summary('skip'),
    ageCol,
  ];
}

function policyColumns(): Column[] {
  return [
    nameCol,
    col('Admission', o => String((o as Obj).spec?.admission ?? true)),
    col('Background', o => String((o as Obj).spec?.background ?? true)),
    col('Ready', o => conditionStatus(o, 'Ready')),
    ageCol,
  ];
}

/** Whether a request's Accept header asks for a server-side `meta.k8s.io` Table (as kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/**
 * Renders objects as a `meta.k8s.io/v1` Table with kubectl's usual columns for the kind; each
 * row carries the object's metadata as PartialObjectMetadata (kubectl reads the namespace from it
 * for `-A`).
 */
export function toTable(
  kind: string,
  objects: ReadonlyArray<KubernetesObject>,
  resourceVersion: string,
) {
  const columns = COLUMNS[kind] ?? [nameCol, ageCol];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(({ cell: _cell, ...definition }) => ({
      ...definition,
      format: definition.format ?? '',
    })),
    rows: objects.map(obj => ({
      cells: columns.map(c => c.cell(obj)),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: obj.metadata,
      },
    })),
  };
}
