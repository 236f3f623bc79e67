import type { KubernetesObject } from '@internal/kube-model';

/** What a write did to one object, as a watch reports it. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One change of the store. Every store revision is exactly one change, so `revision` numbers are
 * consecutive. The objects are the store's own (never mutated after the change): serialize, do not
 * mutate.
 */
export interface ChangeEvent {
  type: ChangeType;
  /**
   * The object after the change, with `metadata.resourceVersion` = `revision`. For DELETED, the
   * last stored state carrying the deletion's new resourceVersion (as the API server reports it).
   */
  object: KubernetesObject;
  /** The object before the change (MODIFIED and DELETED), to tell selector transitions. */
  previous?: KubernetesObject;
  /** The store revision this change created. */
  revision: number;
}

/**
 * The last `limit` changes in revision order, in a ring buffer: the sandbox's etcd compaction
 * window. Resuming a watch from a revision needs every change after it, so a revision older than
 * the window is "too old" (410 Gone).
 */
export class ChangeHistory {
  private readonly ring: Array<ChangeEvent | undefined>;
  /** Index in `ring` of the oldest kept change. */
  private head = 0;
  private size = 0;
  /** Changes after this revision are all kept (or none happened yet). */
  private resumableFrom: number;

  constructor(readonly limit: number, initialRevision: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(
        `the change history needs a positive integer limit, got ${limit}`,
      );
    }
    this.ring = new Array(limit);
    this.resumableFrom = initialRevision;
  }

  /** Appends the next change (its revision must follow the previous one); drops the oldest when full. */
  push(event: ChangeEvent): void {
    if (this.size === this.limit) {
      const dropped = this.ring[this.head]!;
      this.resumableFrom = dropped.revision;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.limit;
      this.size -= 1;
    }
    this.ring[(this.head + this.size) % this.limit] = event;
    this.size += 1;
  }

  /** The oldest revision a watch can resume from: every change after it is kept. */
  get oldestResumableRevision(): number {
    return this.resumableFrom;
  }

  /**
   * The changes after `revision` (oldest first), or `undefined` when some of them were already
   * dropped (or `revision` predates the store).
   */
  since(revision: number): ChangeEvent[] | undefined {
    if (revision < this.resumableFrom) return undefined;
    const skip = revision - this.resumableFrom;
    const result: ChangeEvent[] = [];
    for (let i = skip; i < this.size; i++) {
      result.push(this.ring[(this.head + i) % this.limit]!);
    }
    return result;
  }
}
