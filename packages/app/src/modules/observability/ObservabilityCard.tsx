import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { kubernetesApiRef } from '@backstage/plugin-kubernetes-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { observabilityLinks, type GrafanaSettings } from './observabilityLinks';
import { describeServiceMonitors } from './serviceMonitors';

/** `observability.grafana.*` from the app config (see packages/app/config.d.ts). */
function useGrafanaSettings(): GrafanaSettings | undefined {
  const config = useApi(configApiRef);
  const grafana = config.getOptionalConfig('observability.grafana');
  if (!grafana) return undefined;
  return {
    baseUrl: grafana.getString('baseUrl'),
    lokiDatasourceUid: grafana.getOptionalString('lokiDatasourceUid') ?? 'loki',
    prometheusDatasourceUid:
      grafana.getOptionalString('prometheusDatasourceUid') ?? 'prometheus',
  };
}

function ServiceMonitorLine() {
  const { entity } = useEntity();
  const kubernetesApi = useApi(kubernetesApiRef);
  const [text, setText] = useState<string>();
  useEffect(() => {
    let current = true;
    kubernetesApi
      .getCustomObjectsByEntity({
        entity,
        auth: {},
        customResources: [
          {
            group: 'monitoring.coreos.com',
            apiVersion: 'v1',
            plural: 'servicemonitors',
          },
        ],
      })
      .then(
        response => describeServiceMonitors(response),
        error =>
          `Whether Prometheus scrapes this component is unknown: ${error.message}`,
      )
      .then(sentence => {
        if (current) setText(sentence);
      });
    return () => {
      current = false;
    };
  }, [kubernetesApi, entity]);
  if (text === undefined) return <Progress />;
  return (
    <Typography variant="body2" data-testid="service-monitor-status">
      {text}
    </Typography>
  );
}

/**
 * The component's Grafana dashboard, its logs in Loki and its metrics in Prometheus (Grafana
 * Explore), and whether a ServiceMonitor makes Prometheus scrape it.
 */
export function ObservabilityCard() {
  const { entity } = useEntity();
  const settings = useGrafanaSettings();
  if (!settings) {
    return (
      <WarningPanel
        title="Observability links are not configured"
        message="Set observability.grafana.baseUrl in the app config to link dashboards, logs and metrics."
      />
    );
  }
  const links = observabilityLinks(entity, settings);
  return (
    <InfoCard title="Observability">
      <List dense>
        {links.map(link => (
          <ListItem key={link.kind} disableGutters>
            <ListItemText
              primary={<Link to={link.url}>{link.title}</Link>}
              secondary={link.detail}
            />
          </ListItem>
        ))}
      </List>
      <ServiceMonitorLine />
    </InfoCard>
  );
}
