import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  WatchTestServer,
  type TestResource,
} from '../__testUtils__/WatchTestServer';
import { pod, waitFor } from '../__testUtils__/cacheTestUtils';
import { clusterCacheServiceFactory, clusterCacheServiceRef } from './service';
import type { CachedResource, ClusterCacheService } from './types';

const PODS: TestResource = {
  group: '',
  version: 'v1',
  plural: 'pods',
  kind: 'Pod',
};

/** A plugin that registers pods in init, as a reader's plugin.ts does. */
function readerPlugin(
  pluginId: string,
  found: Array<{ cache: ClusterCacheService; pods: CachedResource }>,
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { clusterCache: clusterCacheServiceRef },
        async init({ clusterCache }) {
          found.push({
            cache: clusterCache,
            pods: clusterCache.register({ ...PODS }),
          });
        },
      });
    },
  });
}

describe('clusterCacheServiceRef', () => {
  let server: WatchTestServer;

  beforeEach(async () => {
    server = new WatchTestServer([PODS]);
    await server.start();
    server.apply(PODS, pod('pod-0'));
  });
  afterEach(() => server.stop());

  const config = () =>
    mockServices.rootConfig.factory({
      data: {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [{ name: 'one', url: server.url }],
            },
          ],
        },
        kubernetesCache: { pollIntervalSeconds: 5, pageSize: 100 },
      },
    });

  it('gives every plugin the one cache without the backend adding it, and stops its watches at shutdown', async () => {
    const found: Array<{ cache: ClusterCacheService; pods: CachedResource }> =
      [];
    const backend = await startTestBackend({
      features: [
        config(),
        readerPlugin('first', found),
        readerPlugin('second', found),
      ],
    });
    expect(found).toHaveLength(2);
    expect(found[1].cache).toBe(found[0].cache);
    expect(found[1].pods).toBe(found[0].pods);
    expect(found[0].cache.clusterNames()).toEqual(['one']);
    await waitFor('the watch', () => server.openWatches === 1);
    expect(found[0].pods.list('one')).toHaveLength(1);
    expect(server.requestsOf('/api/v1/pods', 'limit=100')).toHaveLength(1);
    expect(server.requestsOf('/api/v1/pods', 'watch=true')).toHaveLength(1);

    await backend.stop();
    await waitFor('no open watch', () => server.openWatches === 0);
  });

  it('is also added explicitly, and refuses a bad config value', async () => {
    const found: Array<{ cache: ClusterCacheService; pods: CachedResource }> =
      [];
    const backend = await startTestBackend({
      features: [
        config(),
        clusterCacheServiceFactory,
        readerPlugin('only', found),
      ],
    });
    await waitFor('the watch', () => server.openWatches === 1);
    await backend.stop();

    await expect(
      startTestBackend({
        features: [
          mockServices.rootConfig.factory({
            data: { kubernetesCache: { pollIntervalSeconds: -1 } },
          }),
          readerPlugin('bad', []),
        ],
      }),
    ).rejects.toThrow(
      'kubernetesCache.pollIntervalSeconds must be a positive number of seconds, got -1',
    );
  });
});
