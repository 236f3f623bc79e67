import { useState } from 'react';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import {
  POLICY_RESULT_STATUSES,
  POLICY_SEVERITIES,
  type PolicyResult,
  type PolicyResultStatus,
  type PolicySeverity,
} from '@internal/plugin-policy-reports-common';
import useAsync from 'react-use/esm/useAsync';
import { policyReportsApiRef } from '../api';
import { policyRouteRef } from '../routes';
import { MultiSelectFilter } from './MultiSelectFilter';
import { ClusterStatusAlerts, NoReports } from './states';
import {
  BarChart,
  ResultBar,
  ResultChip,
  SEVERITY_COLOURS,
  SeverityChip,
} from './visuals';

type Row = PolicyResult & { id: string; workload: string };

function describeObject(object: { kind: string; name: string }): string {
  return `${object.kind}/${object.name}`;
}

/** The entity's "Policies" tab: summary, charts, and every result with filters. */
export function EntityPoliciesContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(policyReportsApiRef);
  const policyLink = useRouteRef(policyRouteRef);
  const [results, setResults] = useState<string[]>([]);
  const [severities, setSeverities] = useState<string[]>([]);
  const [policies, setPolicies] = useState<string[]>([]);
  const [categories, setCategories] = useState<string[]>([]);

  const { value, loading, error } = useAsync(
    () =>
      api.getEntityResults(entityRef, {
        result: results as PolicyResultStatus[],
        severity: severities as PolicySeverity[],
        policy: policies,
        category: categories,
      }),
    [api, entityRef, results, severities, policies, categories],
  );

  if (error) return <ResponseErrorPanel error={error} />;
  // Keep the filters on screen while a filtered reload is running.
  if (!value) return <Progress />;
  if (value.summary.total === 0) {
    return (
      <>
        <ClusterStatusAlerts clusters={value.clusters} />
        <NoReports scope={entity.metadata.name} clusters={value.clusters} />
      </>
    );
  }

  const { summary } = value;
  const rows: Row[] = value.resources.flatMap(group =>
    group.results.map((result, index) => ({
      ...result,
      id: `${group.cluster}/${describeObject(group.resource)}/${index}`,
      workload: describeObject(group.resource),
    })),
  );
  const columns: TableColumn<Row>[] = [
    { title: 'Workload', field: 'workload', defaultSort: 'asc' },
    {
      title: 'Resource',
      field: 'resource.name',
      render: row => describeObject(row.resource),
    },
    {
      title: 'Policy',
      field: 'policy',
      render: row =>
        policyLink ? (
          <Link to={policyLink({ policyName: row.policy })}>{row.policy}</Link>
        ) : (
          row.policy
        ),
    },
    { title: 'Rule', field: 'rule' },
    {
      title: 'Result',
      field: 'result',
      render: row => <ResultChip result={row.result} />,
    },
    {
      title: 'Severity',
      field: 'severity',
      render: row => <SeverityChip severity={row.severity} />,
    },
    { title: 'Category', field: 'category' },
    { title: 'Message', field: 'message', width: '30%' },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'Checked',
      field: 'timestamp',
      render: row =>
        row.timestamp ? new Date(row.timestamp).toLocaleString() : '',
    },
  ];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ClusterStatusAlerts clusters={value.clusters} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Results">
          <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 8 }}>
            {POLICY_RESULT_STATUSES.map(status => (
              <Chip
                key={status}
                label={`${summary.byResult[status]} ${status}`}
                data-testid={`summary-${status}`}
              />
            ))}
            {summary.compliancePercent !== undefined && (
              <Chip
                color="primary"
                label={`${summary.compliancePercent}% compliant`}
              />
            )}
          </Box>
          <ResultBar counts={summary.byResult} legend label="All results" />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Failing by severity">
          <BarChart
            title="Failing results by severity"
            rows={POLICY_SEVERITIES.map(severity => ({
              label: severity,
              value: summary.failingBySeverity[severity],
              colour: SEVERITY_COLOURS[severity],
            }))}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={1}>
          <MultiSelectFilter
            label="Result"
            options={POLICY_RESULT_STATUSES}
            selected={results}
            onChange={setResults}
          />
          <MultiSelectFilter
            label="Severity"
            options={POLICY_SEVERITIES}
            selected={severities}
            onChange={setSeverities}
          />
          <MultiSelectFilter
            label="Policy"
            options={value.facets.policies}
            selected={policies}
            onChange={setPolicies}
          />
          <MultiSelectFilter
            label="Category"
            options={value.facets.categories}
            selected={categories}
            onChange={setCategories}
          />
        </Box>
        {loading && <Progress />}
        <Table<Row>
          title={`Policy results (${value.filteredSummary.total} of ${summary.total})`}
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
              <Typography>No results match the filters.</Typography>
            </Box>
          }
        />
      </Grid>
    </Grid>
  );
}
