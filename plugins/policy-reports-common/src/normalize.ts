import type {
  KubernetesObjectReference,
  PolicyResult,
  PolicyResultStatus,
  PolicySeverity,
  RawPolicyReport,
  RawReportResult,
  ReportedResource,
} from './types';
import { POLICY_RESULT_STATUSES, POLICY_SEVERITIES } from './types';
import { rollUpToWorkload, type OwnedObject } from '@internal/kube-model';

/**
 * The ownership facts of one object that owner roll-up needs (from the kube-model package).
 *
 * @public
 */
export type { OwnedObject } from '@internal/kube-model';
export { WORKLOAD_OWNER_KINDS } from '@internal/kube-model';

/** Looks an object up by UID; `undefined` when the cluster did not list it. @public */
export type OwnedObjectLookup = (uid: string) => OwnedObject | undefined;

/**
 * Follows controller ownerReferences from `resource` to its top-level workload
 * (Pod → ReplicaSet → Deployment, Pod → Job → CronJob, Pod → StatefulSet);
 * reports identify objects by UID, so owners are looked up by UID. See
 * `rollUpToWorkload` of the kube-model package.
 *
 * @public
 */
export function rollUpToOwner(
  resource: ReportedResource,
  lookup: OwnedObjectLookup,
): ReportedResource {
  return rollUpToWorkload(resource, reference =>
    reference.uid ? lookup(reference.uid) : undefined,
  );
}

function asStatus(value: string | undefined): PolicyResultStatus {
  return POLICY_RESULT_STATUSES.includes(value as PolicyResultStatus)
    ? (value as PolicyResultStatus)
    : // Kyverno never writes anything else; an unknown value is most honestly an error.
      'error';
}

function asSeverity(value: string | undefined): PolicySeverity {
  const lower = value?.toLowerCase();
  return POLICY_SEVERITIES.includes(lower as PolicySeverity)
    ? (lower as PolicySeverity)
    : 'info';
}

function toIsoTimestamp(timestamp: RawReportResult['timestamp']): string {
  const seconds = Number(timestamp?.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  return new Date(
    seconds * 1000 + Math.floor((timestamp?.nanos ?? 0) / 1e6),
  ).toISOString();
}

function toResource(
  reference: KubernetesObjectReference,
  reportNamespace: string | undefined,
): ReportedResource | undefined {
  if (!reference.kind || !reference.name) return undefined;
  const namespace = reference.namespace ?? reportNamespace;
  return {
    apiVersion: reference.apiVersion ?? '',
    kind: reference.kind,
    name: reference.name,
    ...(namespace && reference.kind !== 'Namespace' ? { namespace } : {}),
    ...(reference.uid ? { uid: reference.uid } : {}),
  };
}

/** The API group a report belongs to; `undefined` for anything that is not a policy report. @public */
export function reportApiGroupOf(
  apiVersion: string,
): PolicyResult['reportApiGroup'] | undefined {
  const group = apiVersion.split('/')[0];
  return group === 'wgpolicyk8s.io' || group === 'openreports.io'
    ? group
    : undefined;
}

/**
 * Flattens one report of either API group and either scope into one
 * {@link PolicyResult} per result and resource. Reports written per resource
 * carry `scope`; older aggregated reports list the resources on each result
 * instead, and both are handled. Results about no identifiable resource are
 * dropped because nothing could be shown for them.
 *
 * @public
 */
export function normalizeReport(
  report: RawPolicyReport,
  cluster: string,
  lookup: OwnedObjectLookup = () => undefined,
): PolicyResult[] {
  const reportApiGroup = reportApiGroupOf(report.apiVersion);
  if (!reportApiGroup) return [];
  const reportNamespace = report.metadata.namespace;
  const scoped = report.scope
    ? toResource(report.scope, reportNamespace)
    : undefined;
  // One owner object per resource, shared by its results: reports carry about
  // 20 results each, and indexes hold hundreds of thousands of them.
  const owners = new Map<ReportedResource, ReportedResource>();
  const ownerOf = (resource: ReportedResource) => {
    let owner = owners.get(resource);
    if (!owner) {
      owner = rollUpToOwner(resource, lookup);
      owners.set(resource, owner);
    }
    return owner;
  };
  const normalized: PolicyResult[] = [];
  for (const raw of report.results ?? []) {
    const resources = scoped
      ? [scoped]
      : (raw.resources ?? [])
          .map(reference => toResource(reference, reportNamespace))
          .filter((resource): resource is ReportedResource => !!resource);
    for (const resource of resources) {
      normalized.push({
        cluster,
        policy: raw.policy ?? '',
        rule: raw.rule ?? '',
        result: asStatus(raw.result),
        severity: asSeverity(raw.severity),
        category: raw.category ?? '',
        message: raw.message ?? '',
        timestamp: toIsoTimestamp(raw.timestamp),
        resource,
        owner: ownerOf(resource),
        reportApiGroup,
      });
    }
  }
  return normalized;
}

/**
 * The namespace a result belongs to: the resource's namespace, or the
 * Namespace itself for the ClusterPolicyReport of a Namespace; `undefined`
 * for other cluster-scoped objects.
 *
 * @public
 */
export function namespaceOfResult(result: PolicyResult): string | undefined {
  if (result.resource.namespace) return result.resource.namespace;
  return result.resource.kind === 'Namespace'
    ? result.resource.name
    : undefined;
}
