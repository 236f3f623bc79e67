import type { KubernetesObject } from '@internal/kube-model';
import { isClusterScoped } from '../cluster/resourceScope';
import { stableStringify } from '../cluster/hashing';
import { timestamp } from '../cluster/objects';
import type { ClusterSimulator } from '../cluster/ClusterSimulator';
import type { GitRemote } from '../git/GitRemote';
import type { ClusterStore } from '../store/ClusterStore';
import type { ObjectRef } from '../store/types';
import { Admission } from './admission';
import { ManagedObjects, ObjectApplier } from './applier';
import {
  ApplicationStatus,
  ApplyFailure,
  comparisonErrorStatus,
  LiveView,
  syncedStatus,
} from './applicationStatus';
import {
  ARGOCD_NAMESPACE,
  Bootstrap,
  expandAll,
  Expansion,
  readBootstrap,
} from './bootstrap';
import { PolicyReporter } from './reports';
import { AppTarget, appSpec, loadTarget } from './targets';
import { objectKey, refOf, trackedBy } from './tracking';
import type { Logger } from './types';

/** Owner name under which bootstrap objects (ApplicationSets, AppProjects) are tracked. */
const BOOTSTRAP_OWNER = '\0bootstrap';
/** ArgoCD refreshes an unchanged Application's `reconciledAt` this often (timeout.reconciliation). */
const RECONCILED_AT_REFRESH_MS = 180_000;

/** What lives across passes. */
export interface PassState {
  store: ClusterStore;
  git: GitRemote;
  simulator: ClusterSimulator;
  applier: ObjectApplier;
  managed: ManagedObjects;
  reporter: PolicyReporter;
  logger: Logger;
  now: () => Date;
  /** Last logged load error per Application, so each distinct error is logged once. */
  appErrors: Map<string, string>;
  /** What was read from the checkout at `revision` (reused while the revision stays). */
  sources: SourceCache;
}

/** Parsed repository content of one revision; it only changes with the revision. */
export interface SourceCache {
  revision?: string;
  bootstrap?: Bootstrap;
  expansions?: Expansion[];
  /** By Application name and spec. */
  targets: Map<string, AppTarget>;
}

/** The result of one pass. */
export interface PassResult {
  revision: string;
  applications: number;
}

function isKyvernoClusterPolicy(obj: KubernetesObject): boolean {
  return (
    obj.kind === 'ClusterPolicy' && obj.apiVersion.startsWith('kyverno.io/')
  );
}

function isOwnedByApplicationSet(
  app: KubernetesObject,
  appSetName?: string,
): boolean {
  return (app.metadata.ownerReferences ?? []).some(
    o =>
      o.kind === 'ApplicationSet' &&
      (appSetName === undefined || o.name === appSetName),
  );
}

/** One reconciliation of the GitOps repository into the cluster (see Reconciler). */
export class SyncPass {
  private readonly changedApps = new Set<string>();
  private readonly failures = new Map<string, ApplyFailure[]>();
  private readonly warnings = new Map<string, string[]>();

  constructor(private readonly s: PassState) {}

  async run(): Promise<PassResult> {
    const { revision, checkoutDir } = await this.s.git.sync();
    const startedAt = timestamp(this.s.now());
    const sources = this.s.sources;
    if (sources.revision !== revision) {
      sources.revision = undefined;
      sources.targets.clear();
      sources.bootstrap = readBootstrap(checkoutDir);
      sources.expansions = expandAll(
        sources.bootstrap.applicationSets,
        checkoutDir,
      );
      sources.revision = revision;
    }
    const bootstrap = sources.bootstrap!;
    const expansions = sources.expansions!;
    this.applyBootstrap([
      ...bootstrap.applicationSets,
      ...bootstrap.appProjects,
    ]);
    this.reportApplicationSetErrors(expansions);

    const applications = this.desiredApplications(expansions);
    const targets = applications.map(app => {
      const key = `${app.metadata.name}\0${stableStringify(app.spec)}`;
      let target = sources.targets.get(key);
      if (!target) {
        target = loadTarget(app, checkoutDir);
        sources.targets.set(key, target);
      }
      return { ...target, app };
    });
    this.logTargetErrors(targets);
    const loaded = targets.filter(
      (t): t is AppTarget & { objects: KubernetesObject[] } => !!t.objects,
    );

    const policies = this.applyPolicies(loaded);
    this.applyObjects(loaded, policies);
    this.prune(
      loaded,
      new Set(applications.map(a => a.metadata.name)),
      new Set(targets.map(t => t.name)),
    );
    this.s.simulator.reconcileWorkloads();
    const finishedAt = timestamp(this.s.now());
    await this.writeStatuses(targets, revision, startedAt, finishedAt);
    this.s.reporter.update(policies, this.s.now());
    return { revision, applications: applications.length };
  }

  /** ApplicationSets and AppProjects, as the root bootstrap applies them; removed ones are pruned. */
  private applyBootstrap(objects: KubernetesObject[]): void {
    const refs = new Map<string, ObjectRef>();
    for (const obj of objects) {
      refs.set(objectKey(obj), refOf(obj));
      const live = this.s.applier.live(obj);
      if (this.s.applier.needsApply(obj, live)) this.s.applier.apply(obj, live);
    }
    for (const [key, ref] of this.s.managed.of(BOOTSTRAP_OWNER)) {
      if (!refs.has(key)) this.s.applier.delete(ref);
    }
    this.s.managed.set(BOOTSTRAP_OWNER, refs);
  }

  private reportApplicationSetErrors(
    expansions: ReturnType<typeof expandAll>,
  ): void {
    for (const { applicationSet, error } of expansions) {
      const ref = refOf(applicationSet);
      const live = this.s.store.get(ref);
      const previous = (
        live?.status as
          | {
              conditions?: Array<{
                type: string;
                message: string;
                lastTransitionTime: string;
              }>;
            }
          | undefined
      )?.conditions?.[0];
      const message =
        error ?? 'All applications have been generated successfully';
      if (previous?.message === message) continue;
      const key = `ApplicationSet/${applicationSet.metadata.name}`;
      if (error && this.s.appErrors.get(key) !== error)
        this.s.logger.error(
          `ApplicationSet ${applicationSet.metadata.name}: ${error}`,
        );
      if (error) this.s.appErrors.set(key, error);
      else this.s.appErrors.delete(key);
      this.s.store.updateStatus(ref, {
        conditions: [
          {
            type: error ? 'ErrorOccurred' : 'ResourcesUpToDate',
            status: 'True',
            reason: error
              ? 'ApplicationGenerationFromParamsError'
              : 'ApplicationSetUpToDate',
            message,
            lastTransitionTime: timestamp(this.s.now()),
          },
        ],
      });
    }
  }

  /**
   * The Applications the ApplicationSets generate, applied into the store with an
   * ownerReference to their ApplicationSet. An ApplicationSet that failed keeps the
   * Applications it generated before.
   */
  private desiredApplications(
    expansions: ReturnType<typeof expandAll>,
  ): KubernetesObject[] {
    const result = new Map<string, KubernetesObject>();
    const existing = this.s.store.list({
      kind: 'Application',
      apiVersion: 'argoproj.io/v1alpha1',
    });
    for (const { applicationSet, applications, error } of expansions) {
      const appSet = this.s.store.get(refOf(applicationSet));
      if (error) {
        for (const app of existing.filter(a =>
          isOwnedByApplicationSet(a, applicationSet.metadata.name),
        )) {
          if (!result.has(app.metadata.name))
            result.set(app.metadata.name, { ...app, status: undefined });
        }
        continue;
      }
      for (const generated of applications) {
        if (result.has(generated.metadata.name)) {
          this.s.logger.warn(
            `Application ${generated.metadata.name} is generated twice; keeping the first`,
          );
          continue;
        }
        const app: KubernetesObject = {
          ...generated,
          metadata: {
            ...generated.metadata,
            namespace: generated.metadata.namespace ?? ARGOCD_NAMESPACE,
            ownerReferences: [
              {
                apiVersion: 'argoproj.io/v1alpha1',
                kind: 'ApplicationSet',
                name: applicationSet.metadata.name,
                uid: appSet?.metadata.uid ?? '',
                controller: true,
              },
            ],
          },
        };
        const live = this.s.applier.live(app);
        if (this.s.applier.needsApply(app, live))
          this.s.applier.apply(app, live);
        result.set(app.metadata.name, app);
      }
    }
    return [...result.values()].map(app => {
      const { status: _status, ...withoutStatus } = app;
      return withoutStatus as KubernetesObject;
    });
  }

  private logTargetErrors(targets: AppTarget[]): void {
    for (const target of targets) {
      const before = this.s.appErrors.get(target.name);
      if (target.error && before !== target.error) {
        this.s.logger.error(`Application ${target.name}: ${target.error}`);
        this.s.appErrors.set(target.name, target.error);
      } else if (!target.error && before) {
        this.s.logger.info(`Application ${target.name}: manifests load again`);
        this.s.appErrors.delete(target.name);
      }
    }
  }

  /**
   * Applies the Kyverno ClusterPolicies of all Applications first (Kyverno must know them before
   * it admits anything) and returns the active set: every ClusterPolicy in the cluster except
   * those their Application no longer contains. Policies of an Application that failed to load
   * stay active, as they stay in the cluster.
   */
  private applyPolicies(
    loaded: Array<AppTarget & { objects: KubernetesObject[] }>,
  ): KubernetesObject[] {
    const desired = new Set<string>();
    for (const target of loaded) {
      for (const policy of target.objects.filter(isKyvernoClusterPolicy)) {
        desired.add(objectKey(policy));
        const live = this.s.applier.live(policy);
        if (this.s.applier.needsApply(policy, live)) {
          this.s.applier.apply(policy, live);
          this.changedApps.add(target.name);
        }
      }
    }
    const loadedNames = new Set(loaded.map(t => t.name));
    return this.s.store
      .list({ kind: 'ClusterPolicy', apiVersion: 'kyverno.io/v1' })
      .filter(
        p => desired.has(objectKey(p)) || !loadedNames.has(trackedBy(p) ?? ''),
      );
  }

  /** Namespaces first (as ArgoCD's sync waves do), then everything else, through admission. */
  private applyObjects(
    loaded: Array<AppTarget & { objects: KubernetesObject[] }>,
    policies: KubernetesObject[],
  ): void {
    const batchNamespaces = new Map<string, Record<string, string>>();
    for (const target of loaded) {
      for (const obj of target.objects) {
        if (obj.kind === 'Namespace')
          batchNamespaces.set(obj.metadata.name, obj.metadata.labels ?? {});
      }
    }
    const storeNamespaceLabels = (name: string) =>
      this.s.store.get({ apiVersion: 'v1', kind: 'Namespace', name })?.metadata
        .labels;
    const admission = new Admission(
      policies,
      ns => batchNamespaces.get(ns) ?? storeNamespaceLabels(ns),
    );
    const claimedBy = new Map<string, string>();
    const isNamespace = (o: KubernetesObject) => o.kind === 'Namespace';

    for (const target of loaded) this.createManagedNamespace(target, admission);
    for (const phase of [
      isNamespace,
      (o: KubernetesObject) => !isNamespace(o) && !isKyvernoClusterPolicy(o),
    ]) {
      for (const target of loaded) {
        for (const obj of target.objects.filter(phase)) {
          const key = objectKey(obj);
          const owner = claimedBy.get(key);
          if (owner && owner !== target.name) {
            this.warn(
              target.name,
              `${obj.kind}/${obj.metadata.name} is part of applications ${owner} and ${target.name}`,
            );
            continue;
          }
          claimedBy.set(key, target.name);
          this.applyOne(target.name, obj, admission);
        }
      }
    }
  }

  /** `CreateNamespace=true`: ArgoCD creates the destination namespace (with managed metadata). */
  private createManagedNamespace(
    target: AppTarget,
    admission: Admission,
  ): void {
    const syncPolicy = appSpec(target.app).syncPolicy;
    if (!syncPolicy?.syncOptions?.includes('CreateNamespace=true')) return;
    const name = target.destinationNamespace;
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (
      this.s.store.get(ref) ||
      target.objects?.some(
        o => o.kind === 'Namespace' && o.metadata.name === name,
      )
    )
      return;
    const namespace: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          'kubernetes.io/metadata.name': name,
          ...(syncPolicy.managedNamespaceMetadata?.labels ?? {}),
        },
        ...(syncPolicy.managedNamespaceMetadata?.annotations
          ? { annotations: syncPolicy.managedNamespaceMetadata.annotations }
          : {}),
      },
    };
    const denial = admission.review(namespace, 'CREATE');
    if (denial)
      this.fail(target.name, { object: namespace, message: denial.message });
    else {
      this.s.applier.apply(namespace, undefined);
      this.changedApps.add(target.name);
    }
  }

  private applyOne(
    appName: string,
    obj: KubernetesObject,
    admission: Admission,
  ): void {
    const live = this.s.applier.live(obj);
    if (!this.s.applier.needsApply(obj, live)) return;
    const namespace = obj.metadata.namespace;
    if (
      namespace &&
      !isClusterScoped(obj.kind) &&
      !this.s.store.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
      })
    ) {
      this.fail(appName, {
        object: obj,
        message: `namespaces "${namespace}" not found`,
      });
      return;
    }
    const denial = admission.review(obj, live ? 'UPDATE' : 'CREATE', live);
    if (denial) {
      this.fail(appName, { object: obj, message: denial.message });
      return;
    }
    this.s.applier.apply(obj, live);
    this.changedApps.add(appName);
  }

  private fail(appName: string, failure: ApplyFailure): void {
    this.failures.set(appName, [
      ...(this.failures.get(appName) ?? []),
      failure,
    ]);
  }

  private warn(appName: string, warning: string): void {
    this.warnings.set(appName, [
      ...(this.warnings.get(appName) ?? []),
      warning,
    ]);
  }

  /**
   * Deletes what an Application applied before but no longer contains, and everything of
   * Applications that are gone (the Application too). Applications whose manifests failed to
   * load keep everything.
   */
  private prune(
    loaded: Array<AppTarget & { objects: KubernetesObject[] }>,
    desiredApps: Set<string>,
    allTargets: Set<string>,
  ): void {
    for (const target of loaded) {
      const desired = new Map(
        target.objects.map(o => [objectKey(o), refOf(o)]),
      );
      for (const [key, ref] of this.s.managed.of(target.name)) {
        if (desired.has(key)) continue;
        const live = this.s.store.get(ref);
        if (live && trackedBy(live) === target.name) {
          this.s.applier.delete(ref);
          this.changedApps.add(target.name);
        }
      }
      this.s.managed.set(target.name, desired);
    }
    for (const owner of this.s.managed.owners()) {
      if (
        owner === BOOTSTRAP_OWNER ||
        desiredApps.has(owner) ||
        allTargets.has(owner)
      )
        continue;
      this.deleteApplicationResources(owner);
    }
    for (const app of this.s.store.list({
      kind: 'Application',
      apiVersion: 'argoproj.io/v1alpha1',
    })) {
      if (isOwnedByApplicationSet(app) && !desiredApps.has(app.metadata.name)) {
        this.deleteApplicationResources(app.metadata.name);
        this.s.applier.delete(refOf(app));
        this.s.logger.info(
          `Application ${app.metadata.name} removed with its resources`,
        );
      }
    }
  }

  private deleteApplicationResources(appName: string): void {
    for (const ref of this.s.managed.of(appName).values()) {
      const live = this.s.store.get(ref);
      if (live && trackedBy(live) === appName) this.s.applier.delete(ref);
    }
    this.s.managed.drop(appName);
    this.s.appErrors.delete(appName);
  }

  private liveView(): LiveView {
    const podsByOwner = new Map<string, KubernetesObject[]>();
    for (const pod of this.s.store.listShared({ kind: 'Pod' })) {
      for (const owner of pod.metadata.ownerReferences ?? []) {
        podsByOwner.set(owner.uid, [
          ...(podsByOwner.get(owner.uid) ?? []),
          pod,
        ]);
      }
    }
    const replicaSetsByOwner = new Map<string, string[]>();
    for (const rs of this.s.store.listShared({ kind: 'ReplicaSet' })) {
      for (const owner of rs.metadata.ownerReferences ?? []) {
        replicaSetsByOwner.set(owner.uid, [
          ...(replicaSetsByOwner.get(owner.uid) ?? []),
          rs.metadata.uid ?? '',
        ]);
      }
    }
    return {
      get: obj => this.s.store.get(refOf(obj)),
      podsOf: obj => {
        const uid = obj.metadata.uid ?? '';
        const direct = podsByOwner.get(uid) ?? [];
        const viaReplicaSets = (replicaSetsByOwner.get(uid) ?? []).flatMap(
          rs => podsByOwner.get(rs) ?? [],
        );
        return [...direct, ...viaReplicaSets];
      },
    };
  }

  private async writeStatuses(
    targets: AppTarget[],
    headRevision: string,
    startedAt: string,
    finishedAt: string,
  ): Promise<void> {
    const live = this.liveView();
    const now = finishedAt;
    for (const target of targets) {
      const ref = refOf(target.app);
      const stored = this.s.store.get(ref);
      if (!stored) continue;
      const previous = stored.status as ApplicationStatus | undefined;
      const revision = target.path
        ? await this.s.git.lastRevisionForPath(target.path, headRevision)
        : headRevision;
      const next = target.objects
        ? syncedStatus(
            previous,
            {
              target: target as AppTarget & { objects: KubernetesObject[] },
              revision,
              failures: this.failures.get(target.name) ?? [],
              changed: this.changedApps.has(target.name),
              warnings: this.warnings.get(target.name) ?? [],
              startedAt,
              finishedAt,
            },
            live,
            now,
          )
        : comparisonErrorStatus(previous, target, revision, now);
      if (next.conditions === undefined) delete next.conditions;
      if (this.statusChanged(previous, next))
        this.s.store.updateStatus(ref, next);
    }
  }

  /** Whether to write: something besides reconciledAt changed, or reconciledAt is stale. */
  private statusChanged(
    previous: ApplicationStatus | undefined,
    next: ApplicationStatus,
  ): boolean {
    if (!previous) return true;
    const { reconciledAt: before, ...restBefore } = previous;
    const { reconciledAt: after, ...restAfter } = next;
    if (stableStringify(restBefore) !== stableStringify(restAfter)) return true;
    return (
      !before ||
      !after ||
      Date.parse(after) - Date.parse(before) >= RECONCILED_AT_REFRESH_MS
    );
  }
}
