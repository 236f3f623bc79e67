import type { Entity } from '@backstage/catalog-model';
import { observabilityLinks } from './observabilityLinks';

const settings = {
  baseUrl: 'https://grafana.example.com/',
  lokiDatasourceUid: 'loki',
  prometheusDatasourceUid: 'prometheus',
};
const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', annotations },
});
const panesOf = (url: string) =>
  JSON.parse(new URL(url).searchParams.get('panes')!);

describe('observabilityLinks', () => {
  it('links the dashboard with the workload as variables, and Explore views of logs and metrics', () => {
    const links = observabilityLinks(
      entity({
        'backstage.io/kubernetes-id': 'checkout',
        'backstage.io/kubernetes-namespace': 'team-shop',
        'idp.platform/grafana-dashboard': 'idp-workload',
      }),
      settings,
    );
    expect(links.map(l => l.kind)).toEqual(['dashboard', 'logs', 'metrics']);
    expect(links[0].url).toBe(
      'https://grafana.example.com/d/idp-workload?var-namespace=team-shop&var-app=checkout',
    );
    expect(links[1].url).toMatch(
      /^https:\/\/grafana\.example\.com\/explore\?schemaVersion=1&orgId=1&panes=/,
    );
    expect(panesOf(links[1].url)).toEqual({
      a: {
        datasource: 'loki',
        queries: [
          {
            refId: 'A',
            expr: '{namespace="team-shop", app="checkout"}',
            datasource: { type: 'loki', uid: 'loki' },
          },
        ],
        range: { from: 'now-1h', to: 'now' },
      },
    });
    expect(panesOf(links[2].url).a.queries[0]).toMatchObject({
      expr: '{namespace="team-shop", job="checkout"}',
      datasource: { type: 'prometheus', uid: 'prometheus' },
    });
  });

  it('prefers the selector annotations over the derived ones', () => {
    const links = observabilityLinks(
      entity({
        'backstage.io/kubernetes-id': 'argocd',
        'backstage.io/kubernetes-namespace': 'argocd',
        'idp.platform/loki-selector': '{namespace="argocd"}',
        'idp.platform/prometheus-selector':
          '{namespace="argocd", job=~"argocd-.*"}',
      }),
      settings,
    );
    expect(links.map(l => l.detail)).toEqual([
      '{namespace="argocd"}',
      '{namespace="argocd", job=~"argocd-.*"}',
    ]);
  });

  it('has nothing for an entity that names no workload', () => {
    expect(observabilityLinks(entity({}), settings)).toEqual([]);
    expect(
      observabilityLinks(
        entity({ 'backstage.io/kubernetes-id': 'x' }),
        settings,
      ),
    ).toEqual([]);
  });
});
