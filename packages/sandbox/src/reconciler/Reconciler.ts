import type { ClusterSimulator } from '../cluster/ClusterSimulator';
import { timestamp } from '../cluster/objects';
import type { GitRemote } from '../git/GitRemote';
import type { ClusterStore } from '../store/ClusterStore';
import { ManagedObjects, ObjectApplier } from './applier';
import { PolicyReporter, ReportApiGroup } from './reports';
import { PassState, SyncPass } from './syncPass';
import { Logger, silentLogger } from './types';

export type { Logger } from './types';

/** What the reconciler last did. */
export interface ReconcileStatus {
  /** HEAD commit of the last successful pass. */
  lastSyncedRevision?: string;
  /** When the last pass started. */
  lastAttempt?: string;
  /** When the last successful pass finished. */
  lastSuccess?: string;
  /** Why the last pass failed (absent after a successful pass). */
  error?: string;
  /** How many Applications the ApplicationSets generate. */
  applications: number;
}

/** Options of {@link Reconciler}. */
export interface ReconcilerOptions {
  store: ClusterStore;
  git: GitRemote;
  simulator: ClusterSimulator;
  /** Pause between the end of one pass and the start of the next. */
  intervalMs: number;
  /** Which report API groups Kyverno writes. */
  reportApiGroups: ReportApiGroup[];
  logger?: Logger;
  /** The clock (tests pin it). */
  now?: () => Date;
}

/**
 * ArgoCD (ApplicationSet and application controllers) plus Kyverno's admission and background
 * scan for the sandbox: polls the GitOps remote, expands ApplicationSets into Applications,
 * applies their manifests through Kyverno admission, prunes what left Git, lets the cluster
 * simulator run the workloads and writes Application status and policy reports.
 *
 * Passes never overlap: the timer waits for the running pass, and reconcileNow queues at most
 * one pass behind the running one. When the remote is unreachable the cluster keeps its last
 * state, the status carries the error (logged once per distinct error) and the next successful
 * pass logs the recovery.
 */
export class Reconciler {
  private readonly state: PassState;
  private readonly intervalMs: number;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private current: ReconcileStatus = { applications: 0 };
  private running?: Promise<ReconcileStatus>;
  private queued?: Promise<ReconcileStatus>;
  private timer?: NodeJS.Timeout;
  private started = false;
  private loggedError?: string;

  constructor(opts: ReconcilerOptions) {
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.intervalMs = opts.intervalMs;
    this.state = {
      store: opts.store,
      git: opts.git,
      simulator: opts.simulator,
      applier: new ObjectApplier(opts.store),
      managed: new ManagedObjects(),
      reporter: new PolicyReporter(opts.store, opts.reportApiGroups),
      logger: this.logger,
      now: this.now,
      appErrors: new Map(),
      sources: { targets: new Map() },
    };
  }

  /** Starts polling: a pass now, then one every intervalMs after the previous finished. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const loop = () => {
      this.reconcileNow()
        .catch(() => undefined)
        .finally(() => {
          if (!this.started) return;
          this.timer = setTimeout(loop, this.intervalMs);
          this.timer.unref?.();
        });
    };
    loop();
  }

  /** Stops polling and waits for a running pass to finish. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.queued?.catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  /**
   * Runs a pass as soon as possible: right away when idle, or right after the running one
   * (callers arriving meanwhile share that queued pass). Never rejects: failures are in the
   * returned status.
   */
  reconcileNow(): Promise<ReconcileStatus> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running.then(() => {
        this.queued = undefined;
        return this.runPass();
      });
      return this.queued;
    }
    return this.runPass();
  }

  /** A copy of the last pass's outcome. */
  status(): ReconcileStatus {
    return { ...this.current };
  }

  private runPass(): Promise<ReconcileStatus> {
    const pass = this.execute().finally(() => {
      if (this.running === pass) this.running = undefined;
    });
    this.running = pass;
    return pass;
  }

  private async execute(): Promise<ReconcileStatus> {
    const lastAttempt = timestamp(this.now());
    try {
      const result = await new SyncPass(this.state).run();
      if (this.loggedError) {
        this.logger.info(
          `GitOps reconciliation recovered at ${result.revision.slice(0, 7)}`,
        );
        this.loggedError = undefined;
      }
      this.current = {
        lastSyncedRevision: result.revision,
        lastAttempt,
        lastSuccess: timestamp(this.now()),
        applications: result.applications,
      };
    } catch (e) {
      const error = (e as Error).message;
      if (this.loggedError !== error) {
        this.logger.error(
          `GitOps reconciliation failed, keeping the last state: ${error}`,
        );
        this.loggedError = error;
      }
      this.current = { ...this.current, lastAttempt, error };
    }
    return this.status();
  }
}
