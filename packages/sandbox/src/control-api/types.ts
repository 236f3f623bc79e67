/** Where the sandbox logs to; the reconciler uses the same shape. */
export type Logger = {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
};

/** The reconciler's view of the last sync (same shape as the reconciler's `ReconcileStatus`). */
export interface ReconcileStatus {
  lastSyncedRevision?: string;
  lastAttempt?: string;
  lastSuccess?: string;
  error?: string;
  applications: number;
}

/** A workload the control API can break or repair. */
export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
}

/**
 * What the control API drives: the reconciler and the cluster simulator. Declared structurally
 * so the HTTP layer does not depend on their implementations. Node/workload methods throw an
 * error named `NotFoundError` for unknown names.
 */
export interface SandboxControl {
  reconcileStatus(): ReconcileStatus;
  reconcileNow(): Promise<ReconcileStatus>;
  failNode(name: string): void;
  healNode(name: string): void;
  crashWorkload(ref: WorkloadRef): void;
  healWorkload(ref: WorkloadRef): void;
}
