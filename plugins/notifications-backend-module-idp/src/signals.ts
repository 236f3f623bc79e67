import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationRecipients } from '@backstage/plugin-notifications-node';
import type { WatchedState } from './NotifiedStateStore';

// The topics and the team tag are the contract with the notifications page.
export {
  NOTIFICATION_TOPICS,
  teamTag,
  teamTags,
} from '@internal/plugin-notifications-idp-common';

/**
 * The current condition of one watched thing, as a detection source sees it in one run.
 * `payload` describes that condition (the problem, or that it is resolved); it is sent with
 * `scope` = `key`, so the notification of a problem is updated in place when it recovers.
 */
export interface WatchedSignal {
  /** Stable identity, e.g. `argocd:sandbox:team-storefront-shop`; also the notification scope. */
  key: string;
  /** Short condition name, e.g. `Degraded`, `OutOfSync`, `failing`, `Yellow`, `ok`. */
  condition: string;
  /** False while something is wrong; a healthy condition after a notified problem is a recovery. */
  healthy: boolean;
  /** How long an unhealthy condition must last before it is notified; 0 for at once. */
  graceMs: number;
  /**
   * A one-off event (a finished scaffolder task) rather than a condition: sent once when first
   * seen, healthy or not.
   */
  event?: boolean;
  recipients: NotificationRecipients;
  payload: Omit<NotificationPayload, 'scope'>;
}

/** Something that reads shared cluster data and says what is wrong now. */
export interface SignalSource {
  /** For logs. */
  name: string;
  collect(): Promise<WatchedSignal[]>;
}

/**
 * What to do about a signal, given what the store remembers:
 * `send` a notification, `record` the condition as notified without sending (a healthy first
 * sighting: nobody needs to hear that things are fine), or `none`.
 */
export function decide(
  state: WatchedState,
  signal: Pick<WatchedSignal, 'healthy' | 'graceMs' | 'event'>,
  now: number,
): 'send' | 'record' | 'none' {
  if (state.notified === state.condition) return 'none';
  if (signal.event) return state.notified === undefined ? 'send' : 'none';
  if (signal.healthy) return state.notified === undefined ? 'record' : 'send';
  return now - state.since >= signal.graceMs ? 'send' : 'none';
}
