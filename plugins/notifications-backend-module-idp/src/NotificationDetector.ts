import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotifiedStateStore } from './NotifiedStateStore';
import { decide, type SignalSource } from './signals';

/** What one detection run did, for logs and tests. */
export interface DetectionRunResult {
  sent: string[];
  failedSources: string[];
}

/**
 * One detection run: asks every source for its signals, remembers each condition in the shared
 * store and sends a notification for each transition it wins the claim for. A source that fails
 * is logged and skipped; the others still run.
 */
export class NotificationDetector {
  constructor(
    private readonly options: {
      store: NotifiedStateStore;
      sources: SignalSource[];
      notifications: NotificationService;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async run(): Promise<DetectionRunResult> {
    const { store, sources, notifications, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const result: DetectionRunResult = { sent: [], failedSources: [] };
    for (const source of sources) {
      let signals;
      try {
        signals = await source.collect();
      } catch (error) {
        logger.warn(`notification source ${source.name} failed: ${error}`);
        result.failedSources.push(source.name);
        continue;
      }
      for (const signal of signals) {
        const state = await store.observe(signal.key, signal.condition, now());
        const action = decide(state, signal, now());
        if (action === 'none') continue;
        if (!(await store.claim(signal.key, state.notified, state.condition)))
          continue; // another replica handled this transition
        if (action === 'record') continue;
        try {
          await notifications.send({
            recipients: signal.recipients,
            payload: { ...signal.payload, scope: signal.key },
          });
          result.sent.push(signal.key);
        } catch (error) {
          // give the transition back so the next run retries it
          await store.claim(signal.key, state.condition, state.notified);
          logger.warn(`could not notify ${signal.key}: ${error}`);
        }
      }
    }
    return result;
  }
}
