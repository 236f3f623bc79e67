import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type {
  ClusterState,
  SummaryResponse,
} from '@internal/plugin-tier-health-common';
import {
  NOTIFICATION_TOPICS,
  type SignalSource,
  type WatchedSignal,
} from '../signals';

// Backstage draws 'normal' with a green check and 'high' with a warning sign: Green is the good
// news, Yellow a warning, Red (limp-home mode) and Black (control plane lost) are critical
const SEVERITY: Record<ClusterState, NotificationSeverity> = {
  Green: 'normal',
  Yellow: 'high',
  Red: 'critical',
  Black: 'critical',
};

/**
 * Every change of a cluster's tier state (Green/Yellow/Red/Black), broadcast to everyone with a
 * severity by state. A cluster whose state is unknown (never read, or the latest read failed)
 * changes nothing: "Unknown" is not news, and a remembered state is not repeated.
 */
export class TierStateSignalSource implements SignalSource {
  readonly name = 'tier-health';

  constructor(private readonly summary: () => Promise<SummaryResponse>) {}

  async collect(): Promise<WatchedSignal[]> {
    const { clusters } = await this.summary();
    return clusters.flatMap(cluster => {
      if (!cluster.state || cluster.state === 'Unknown' || cluster.stale)
        return [];
      const state = cluster.state;
      const reasons = cluster.reasons.map(r => r.message).join('; ');
      return [
        {
          key: `tier:${cluster.cluster}`,
          condition: state,
          healthy: state === 'Green',
          graceMs: 0,
          recipients: { type: 'broadcast' as const },
          payload: {
            title:
              state === 'Green'
                ? `Resolved: cluster ${cluster.cluster} is Green again`
                : `Cluster ${cluster.cluster} is ${state}`,
            description:
              reasons || `Every tier of ${cluster.cluster} is fully available.`,
            link: '/platform-health',
            severity: SEVERITY[state],
            topic: NOTIFICATION_TOPICS.tierState,
          },
        },
      ];
    });
  }
}
