import { EmptyState } from '@backstage/core-components';
import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ClusterStatus } from '@internal/plugin-policy-reports-common';

/**
 * One warning per cluster whose last refresh failed: the page still shows its
 * last known data, so users must be told it may be out of date and why.
 */
export function ClusterStatusAlerts(props: { clusters: ClusterStatus[] }) {
  const failing = props.clusters.filter(cluster => cluster.error);
  if (failing.length === 0) return null;
  return (
    <Box mb={2}>
      {failing.map(cluster => (
        <Alert
          key={cluster.cluster}
          severity="warning"
          data-testid="cluster-unreachable"
        >
          {/* the backend's message names the cluster and says what failed */}
          {sentence(cluster.error!)}{' '}
          {cluster.lastSuccessfulRefresh
            ? `Showing its data from ${new Date(
                cluster.lastSuccessfulRefresh,
              ).toLocaleString()} (stale).`
            : 'No data from it has been loaded yet.'}
        </Alert>
      ))}
    </Box>
  );
}

function sentence(text: string): string {
  const trimmed = text.trim().replace(/\.$/, '');
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}

/**
 * What to show when there is nothing to show, with the most likely cause. When no cluster has
 * ever answered, the cause is the cluster, which ClusterStatusAlerts already explains: asking
 * whether Kyverno runs would send people the wrong way.
 */
export function NoReports(props: {
  scope?: string;
  clusters: ClusterStatus[];
}) {
  const noClusterAnswered =
    props.clusters.length > 0 &&
    props.clusters.every(c => c.error && !c.lastSuccessfulRefresh);
  if (noClusterAnswered) return null;
  return (
    <EmptyState
      missing="data"
      title="No policy reports"
      description={`No reports${
        props.scope ? ` for ${props.scope}` : ''
      } — is Kyverno running? Kyverno writes a PolicyReport for every resource it scans; none were found.`}
    />
  );
}
