import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Box, Grid, Typography } from '@material-ui/core';
import {
  formatAge,
  type ClusterFailureDomains,
  type ClusterSummary,
} from '@internal/plugin-tier-health-common';
import { tierHealthApiRef } from '../../api';
import { StateBanner } from '../shared/StateBanner';
import { usePolling } from '../shared/usePolling';
import { SinglePointsOfFailure, WhatIfNodeFails } from './FailureDomains';
import { NodeMap } from './NodeMap';
import { TierLanes } from './TierLanes';

const ClusterHealth = ({
  summary,
  failureDomains,
}: {
  summary: ClusterSummary;
  failureDomains?: ClusterFailureDomains;
}) => {
  if (!summary.state) {
    return (
      <WarningPanel
        severity="error"
        title={`Cluster ${summary.cluster} is unreachable`}
      >
        {summary.error ?? 'No data has been read from this cluster yet.'}
      </WarningPanel>
    );
  }
  return (
    <Box mb={4} component="section" aria-label={`cluster ${summary.cluster}`}>
      {summary.stale && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title={`Showing data from ${
              summary.lastSuccess ?? 'an earlier read'
            }${
              summary.ageSeconds !== undefined
                ? ` (${formatAge(summary.ageSeconds)} ago)`
                : ''
            }: ${
              summary.outdated
                ? `${summary.cluster} has not answered for two refresh intervals`
                : `the latest refresh of ${summary.cluster} failed`
            }`}
          >
            {summary.error}
          </WarningPanel>
        </Box>
      )}
      <StateBanner cluster={summary} />
      {summary.note && (
        <Box mb={2}>
          <Typography variant="caption" color="textSecondary">
            How {summary.cluster} is followed: {summary.note}
          </Typography>
        </Box>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <InfoCard title="Tiers">
            <TierLanes components={summary.components} tiers={summary.tiers} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Nodes">
            {summary.pools ? (
              <NodeMap
                cluster={summary.cluster}
                pools={summary.pools}
                refreshKey={summary}
              />
            ) : (
              <Typography variant="body2">
                Node details need the tierHealth.nodes.read permission.
              </Typography>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Single points of failure">
            {failureDomains?.singlePointsOfFailure ? (
              <SinglePointsOfFailure
                singlePointsOfFailure={failureDomains.singlePointsOfFailure}
              />
            ) : (
              <Progress />
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="What if a node fails">
            {failureDomains?.nodes ? (
              <WhatIfNodeFails
                cluster={summary.cluster}
                nodes={failureDomains.nodes}
                refreshKey={failureDomains}
              />
            ) : (
              <Progress />
            )}
          </InfoCard>
        </Grid>
      </Grid>
    </Box>
  );
};

/** The "Platform health" page: state, tiers, nodes and failure domains of every cluster, kept fresh. */
export const PlatformHealthPage = () => {
  const api = useApi(tierHealthApiRef);
  const summary = usePolling(() => api.getSummary(), [api]);
  const failureDomains = usePolling(() => api.getFailureDomains(), [api]);

  let body: JSX.Element;
  if (summary.error && !summary.value) {
    body = <ResponseErrorPanel error={summary.error} />;
  } else if (!summary.value) {
    body = <Progress />;
  } else if (summary.value.clusters.length === 0) {
    body = (
      <EmptyState
        missing="info"
        title="No clusters configured"
        description="Tier health reads the clusters of kubernetes.clusterLocatorMethods entries of type config."
      />
    );
  } else {
    body = (
      <>
        {summary.error && (
          <Box mb={2}>
            <WarningPanel
              severity="warning"
              title="Could not refresh; showing the previous answer"
            >
              {summary.error.message}
            </WarningPanel>
          </Box>
        )}
        {summary.value.clusters.map(cluster => (
          <ClusterHealth
            key={cluster.cluster}
            summary={cluster}
            failureDomains={failureDomains.value?.clusters.find(
              c => c.cluster === cluster.cluster,
            )}
          />
        ))}
      </>
    );
  }
  return <Content>{body}</Content>;
};
