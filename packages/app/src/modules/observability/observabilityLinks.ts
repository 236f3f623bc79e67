import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@internal/kube-model';

/** Annotations that name a component's Grafana dashboard and its log and metric selectors. */
export const ANNOTATION_GRAFANA_DASHBOARD = 'idp.platform/grafana-dashboard';
export const ANNOTATION_LOKI_SELECTOR = 'idp.platform/loki-selector';
export const ANNOTATION_PROMETHEUS_SELECTOR =
  'idp.platform/prometheus-selector';

/** Where Grafana lives and what its Loki and Prometheus data sources are called. */
export interface GrafanaSettings {
  baseUrl: string;
  lokiDatasourceUid: string;
  prometheusDatasourceUid: string;
}

/** One link of the Observability card. */
export interface ObservabilityLink {
  kind: 'dashboard' | 'logs' | 'metrics';
  title: string;
  url: string;
  /** The query or dashboard the link opens, shown beside it. */
  detail: string;
}

/**
 * The selectors of a component: the annotations when set, else `{namespace="<ns>", app="<id>"}`
 * for Loki and `{namespace="<ns>", job="<id>"}` for Prometheus from the Kubernetes annotations
 * (the platform's log shipper labels streams with `app`; ServiceMonitors name the job after the
 * Service). Undefined when the entity names no workload at all.
 */
export function observabilitySelectors(entity: Entity):
  | {
      namespace?: string;
      app?: string;
      loki?: string;
      prometheus?: string;
      dashboard?: string;
    }
  | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
  const app = annotations[KUBERNETES_ID_ANNOTATION];
  const derived = (appLabel: string) =>
    namespace && app
      ? `{namespace="${namespace}", ${appLabel}="${app}"}`
      : undefined;
  const loki = annotations[ANNOTATION_LOKI_SELECTOR] ?? derived('app');
  const prometheus =
    annotations[ANNOTATION_PROMETHEUS_SELECTOR] ?? derived('job');
  const dashboard = annotations[ANNOTATION_GRAFANA_DASHBOARD];
  if (!loki && !prometheus && !dashboard) return undefined;
  return { namespace, app, loki, prometheus, dashboard };
}

function explore(
  settings: GrafanaSettings,
  datasource: { type: 'loki' | 'prometheus'; uid: string },
  expr: string,
): string {
  const panes = {
    a: {
      datasource: datasource.uid,
      queries: [{ refId: 'A', expr, datasource }],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  return `${settings.baseUrl.replace(
    /\/+$/,
    '',
  )}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(
    JSON.stringify(panes),
  )}`;
}

/** The dashboard, logs and metrics links of a component, in that order (only those it has). */
export function observabilityLinks(
  entity: Entity,
  settings: GrafanaSettings,
): ObservabilityLink[] {
  const selectors = observabilitySelectors(entity);
  if (!selectors) return [];
  const links: ObservabilityLink[] = [];
  if (selectors.dashboard) {
    const vars = new URLSearchParams();
    if (selectors.namespace) vars.set('var-namespace', selectors.namespace);
    if (selectors.app) vars.set('var-app', selectors.app);
    const query = vars.toString();
    links.push({
      kind: 'dashboard',
      title: 'Grafana dashboard',
      url: `${settings.baseUrl.replace(/\/+$/, '')}/d/${encodeURIComponent(
        selectors.dashboard,
      )}${query ? `?${query}` : ''}`,
      detail: selectors.dashboard,
    });
  }
  if (selectors.loki) {
    links.push({
      kind: 'logs',
      title: 'Logs in Loki',
      url: explore(
        settings,
        { type: 'loki', uid: settings.lokiDatasourceUid },
        selectors.loki,
      ),
      detail: selectors.loki,
    });
  }
  if (selectors.prometheus) {
    links.push({
      kind: 'metrics',
      title: 'Metrics in Prometheus',
      url: explore(
        settings,
        { type: 'prometheus', uid: settings.prometheusDatasourceUid },
        selectors.prometheus,
      ),
      detail: selectors.prometheus,
    });
  }
  return links;
}
