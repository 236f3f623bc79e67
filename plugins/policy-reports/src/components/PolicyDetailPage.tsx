import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRefParams } from '@backstage/frontend-plugin-api';
import { Box, Grid, Typography } from '@material-ui/core';
import type { ResourceResults } from '@internal/plugin-policy-reports-common';
import useAsync from 'react-use/esm/useAsync';
import { policyReportsApiRef } from '../api';
import { policyRouteRef } from '../routes';
import { ClusterStatusAlerts } from './states';
import { ResultBar, SeverityChip } from './visuals';

type FailingRow = ResourceResults & { id: string };

/** One ClusterPolicy: what it demands, and every resource that fails it. */
export function PolicyDetailPage() {
  const { policyName } = useRouteRefParams(policyRouteRef);
  const api = useApi(policyReportsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getPolicy(policyName),
    [api, policyName],
  );

  if (loading) return <Progress />;
  if (error) {
    return (
      <Content>
        <ResponseErrorPanel error={error} />
      </Content>
    );
  }
  if (!value) return null;

  const { definition } = value;
  const columns: TableColumn<FailingRow>[] = [
    {
      title: 'Resource',
      field: 'resource.name',
      render: row => `${row.resource.kind}/${row.resource.name}`,
    },
    { title: 'Namespace', field: 'resource.namespace' },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'Failing rules',
      render: row => (
        <>
          {row.results.map((result, index) => (
            <Typography key={index} variant="body2">
              <strong>{result.rule}</strong> on {result.resource.kind}/
              {result.resource.name}: {result.message}
            </Typography>
          ))}
        </>
      ),
    },
  ];
  const rows = value.failingResources.map(group => ({
    ...group,
    id: `${group.cluster}/${group.resource.kind}/${group.resource.namespace}/${group.resource.name}`,
  }));

  return (
    <Content>
      <ClusterStatusAlerts clusters={value.clusters} />
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title={definition?.title ?? policyName}>
            {definition ? (
              <>
                <Typography variant="body1" paragraph>
                  {definition.description ?? 'No description.'}
                </Typography>
                <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                  {definition.severity && (
                    <SeverityChip severity={definition.severity} />
                  )}
                  <Typography variant="body2">
                    {[
                      definition.category,
                      definition.validationFailureAction,
                      `rules: ${definition.rules.join(', ') || 'none'}`,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Typography>
                </Box>
                <Typography variant="caption" display="block">
                  Source:{' '}
                  {definition.source.type === 'cluster'
                    ? `ClusterPolicy ${definition.name} in cluster ${definition.source.cluster}`
                    : `GitOps repository file ${definition.source.path}`}
                </Typography>
              </>
            ) : (
              <Typography>
                The ClusterPolicy {policyName} was found neither in a cluster
                nor in the GitOps repository; only its results are known.
              </Typography>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Results">
            <ResultBar counts={value.summary.byResult} legend label="Results" />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Table<FailingRow>
            title={`Resources failing ${policyName} (${rows.length})`}
            options={{
              paging: true,
              pageSize: 20,
              search: true,
              padding: 'dense',
            }}
            columns={columns}
            data={rows}
            emptyContent={
              <Box p={2}>
                <Typography>No resource fails this policy.</Typography>
              </Box>
            }
          />
        </Grid>
      </Grid>
    </Content>
  );
}
