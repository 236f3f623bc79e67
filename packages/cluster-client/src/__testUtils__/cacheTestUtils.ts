import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@internal/kube-model';
import type { ResourceEvent } from '../cache/types';

/** Records what would be logged; the logger is the only stand-in in these tests. */
export function recordingLogger() {
  const lines: string[] = [];
  const logger = {
    error: (message: string) => lines.push(`error ${message}`),
    warn: (message: string) => lines.push(`warn ${message}`),
    info: (message: string) => lines.push(`info ${message}`),
    debug: () => {},
    child: () => logger,
  } as unknown as LoggerService;
  return { logger, lines };
}

/** Waits until `condition` holds (checked every 10 ms), failing with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

/** Collects a subscriber's events as `TYPE name` (SYNCED as `SYNCED n`). */
export function eventLog() {
  const events: Array<ResourceEvent<KubernetesObject>> = [];
  const lines: string[] = [];
  const listener = (event: ResourceEvent<KubernetesObject>) => {
    events.push(event);
    lines.push(
      event.type === 'SYNCED'
        ? `SYNCED ${event.objects.length}`
        : `${event.type} ${event.object.metadata.name}`,
    );
  };
  return { events, lines, listener };
}

export const pod = (name: string, namespace = 'team-a'): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
});
