import type { KubernetesObject } from '@internal/kube-model';
import { podLog } from './podLogs';

/** A pod of one container that started `ageMs` before `now` and is crash-looping. */
function crashLoopingPod(
  now: Date,
  ageMs: number,
  restartCount: number,
): KubernetesObject {
  const started = new Date(now.getTime() - ageMs).toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-abc',
      namespace: 'team-a',
      labels: { app: 'web' },
      creationTimestamp: started,
    },
    spec: {
      nodeName: 'worker-1',
      containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0' }],
    },
    status: {
      startTime: started,
      containerStatuses: [
        {
          name: 'web',
          restartCount,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: {
            terminated: {
              reason: 'Error',
              exitCode: 1,
              finishedAt: now.toISOString(),
            },
          },
        },
      ],
    },
  };
}

describe('podLog of a crash-looping container', () => {
  const now = new Date('2026-12-02T04:00:00Z');

  it.each([
    ['just started, first crash', 1_000, 1],
    ['just started, crashed again', 1_000, 3],
    ['a few seconds old', 8_000, 1],
    ['older than the back-off', 60_000, 3],
  ])(
    'shows the crash in the current and the previous run (%s)',
    (_, ageMs, restarts) => {
      const pod = crashLoopingPod(now, ageMs, restarts);
      for (const previous of [false, true]) {
        const result = podLog(pod, { previous, now, nodeReady: true });
        if (!result.ok) throw new Error(result.message);
        const text = result.lines.map(line => line.text).join('\n');
        expect(text).toMatch(/unrecoverable error, exiting with code 1/);
        expect(text).toMatch(/connect: connection refused/);
      }
    },
  );
});
