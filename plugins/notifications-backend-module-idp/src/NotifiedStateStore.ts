import type { Knex } from 'knex';

const TABLE = 'idp_notification_state';

/** What the store remembers about one watched thing (an Application, a policy of a component, a cluster). */
export interface WatchedState {
  key: string;
  /** The condition seen in the latest detection run. */
  condition: string;
  /** Epoch ms since when `condition` has been seen without interruption. */
  since: number;
  /** The condition the owners were last told about; `undefined` before the first notification. */
  notified?: string;
}

/**
 * The last-seen and last-notified condition of every watched thing, in the portal's database,
 * shared by every backend replica. `claim` is a compare-and-set, so when two replicas decide on
 * the same transition only one of them sends the notification.
 */
export class NotifiedStateStore {
  private constructor(private readonly db: Knex) {}

  static async create(db: Knex): Promise<NotifiedStateStore> {
    if (!(await db.schema.hasTable(TABLE))) {
      try {
        await db.schema.createTable(TABLE, table => {
          table.string('key', 512).primary();
          table.string('condition', 255).notNullable();
          table.bigInteger('since').notNullable();
          table.string('notified', 255).nullable();
        });
      } catch (error) {
        // another replica created it between the check and the create
        if (!(await db.schema.hasTable(TABLE))) throw error;
      }
    }
    return new NotifiedStateStore(db);
  }

  /**
   * Records that `key` is in `condition` now; keeps `since` while the condition is unchanged and
   * restarts it when it changes. Returns the stored state.
   */
  async observe(
    key: string,
    condition: string,
    now: number,
  ): Promise<WatchedState> {
    await this.db(TABLE)
      .insert({ key, condition, since: now, notified: null })
      .onConflict('key')
      .ignore();
    await this.db(TABLE)
      .where({ key })
      .whereNot({ condition })
      .update({ condition, since: now });
    const row = await this.db(TABLE).where({ key }).first();
    return {
      key: row.key,
      condition: row.condition,
      since: Number(row.since),
      notified: row.notified ?? undefined,
    };
  }

  /**
   * Moves the notified condition of `key` from `from` to `to`. True only for the one caller that
   * made the change: the caller that gets true sends the notification.
   */
  async claim(
    key: string,
    from: string | undefined,
    to: string | undefined,
  ): Promise<boolean> {
    const query = this.db(TABLE).where({ key });
    if (from === undefined) query.whereNull('notified');
    else query.where({ notified: from });
    const changed = await query.update({ notified: to ?? null });
    return changed === 1;
  }
}
