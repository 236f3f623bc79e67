export interface Config {
  app?: {
    signIn?: {
      /**
       * The sign-in methods the sign-in page offers, in order: `guest` on a laptop
       * (app-config.local.yaml), `oidc` in production (app-config.production.yaml). Each must match a
       * provider configured under `auth.providers`.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'oidc'>;
    };
  };

  /** Where teams look when a service misbehaves; the entity page links a component there. */
  observability?: {
    grafana?: {
      /**
       * Grafana's base URL, e.g. `https://grafana.platform.example.com`. Components link to
       * `<baseUrl>/d/<idp.platform/grafana-dashboard>` and to Explore views of their Loki logs and
       * Prometheus metrics.
       * @visibility frontend
       */
      baseUrl: string;
      /**
       * The uid of Grafana's Loki data source (default `loki`).
       * @visibility frontend
       */
      lokiDatasourceUid?: string;
      /**
       * The uid of Grafana's Prometheus data source (default `prometheus`).
       * @visibility frontend
       */
      prometheusDatasourceUid?: string;
    };
  };
}
