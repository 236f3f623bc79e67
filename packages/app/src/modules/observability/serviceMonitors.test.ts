import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { describeServiceMonitors } from './serviceMonitors';

const cluster = { name: 'sandbox' };

describe('describeServiceMonitors', () => {
  it('names the ServiceMonitors that make Prometheus scrape the component', () => {
    const response = {
      items: [
        {
          cluster,
          errors: [],
          podMetrics: [],
          resources: [
            {
              type: 'customresources',
              resources: [
                {
                  metadata: { name: 'orders', namespace: 'shop' },
                  spec: {
                    endpoints: [
                      { port: 'http', path: '/metrics', interval: '30s' },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    } as unknown as ObjectsByEntityResponse;
    expect(describeServiceMonitors(response)).toBe(
      'Prometheus scrapes this component: ServiceMonitor shop/orders (/metrics on port http every 30s).',
    );
  });

  it('says when there is none, and when nobody could tell', () => {
    const none = {
      items: [
        {
          cluster,
          errors: [],
          podMetrics: [],
          resources: [{ type: 'customresources', resources: [] }],
        },
      ],
    } as unknown as ObjectsByEntityResponse;
    expect(describeServiceMonitors(none)).toMatch(/^No ServiceMonitor/);
    const failed = {
      items: [
        {
          cluster,
          errors: [
            { errorType: 'FETCH_ERROR', message: 'connect ECONNREFUSED' },
          ],
          podMetrics: [],
          resources: [],
        },
      ],
    } as unknown as ObjectsByEntityResponse;
    expect(describeServiceMonitors(failed)).toBe(
      'Whether Prometheus scrapes this component is unknown: sandbox: connect ECONNREFUSED.',
    );
    expect(describeServiceMonitors({ items: [] })).toMatch(
      /unknown: no cluster answered/,
    );
  });
});
