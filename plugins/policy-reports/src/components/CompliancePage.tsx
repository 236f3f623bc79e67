import { useState } from 'react';
import {
  Content,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Box,
  FormControl,
  FormControlLabel,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  Typography,
} from '@material-ui/core';
import {
  POLICY_SEVERITIES,
  type PolicyCompliance,
  type PolicySeverity,
} from '@internal/plugin-policy-reports-common';
import useAsync from 'react-use/esm/useAsync';
import { policyReportsApiRef } from '../api';
import { policyRouteRef } from '../routes';
import { MultiSelectFilter } from './MultiSelectFilter';
import { ClusterStatusAlerts, NoReports } from './states';
import {
  BarChart,
  RESULT_COLOURS,
  ResultBar,
  SEVERITY_COLOURS,
  SeverityChip,
} from './visuals';

const ALL_CLUSTERS = '';

type PolicyRow = PolicyCompliance & {
  id: string;
  fail: number;
  warn: number;
  pass: number;
  compliance: number;
};

/** The cluster-wide "Policy compliance" page. */
export function CompliancePage() {
  const api = useApi(policyReportsApiRef);
  const policyLink = useRouteRef(policyRouteRef);
  const [cluster, setCluster] = useState(ALL_CLUSTERS);
  const [teams, setTeams] = useState<string[]>([]);
  const [severities, setSeverities] = useState<string[]>([]);
  const [mine, setMine] = useState(false);

  const { value, loading, error } = useAsync(
    () =>
      api.getOverview({
        cluster: cluster || undefined,
        team: teams,
        severity: severities as PolicySeverity[],
        mine,
      }),
    [api, cluster, teams, severities, mine],
  );

  const filters = (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
      <FormControl size="small" style={{ minWidth: 160 }}>
        <InputLabel id="policy-filter-cluster">Cluster</InputLabel>
        <Select
          labelId="policy-filter-cluster"
          value={cluster}
          onChange={event => setCluster(event.target.value as string)}
        >
          <MenuItem value={ALL_CLUSTERS}>All clusters</MenuItem>
          {value?.clusters.map(status => (
            <MenuItem key={status.cluster} value={status.cluster}>
              {status.cluster}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <MultiSelectFilter
        label="Team"
        options={value?.teams ?? []}
        selected={teams}
        onChange={setTeams}
      />
      <MultiSelectFilter
        label="Severity"
        options={POLICY_SEVERITIES}
        selected={severities}
        onChange={setSeverities}
      />
      <FormControlLabel
        control={
          <Switch checked={mine} onChange={(_, checked) => setMine(checked)} />
        }
        label="Only my teams' namespaces"
      />
    </Box>
  );

  let body;
  if (error) body = <ResponseErrorPanel error={error} />;
  else if (!value) body = <Progress />;
  else if (value.totals.total === 0) {
    body = (
      <>
        <ClusterStatusAlerts clusters={value.clusters} />
        <NoReports clusters={value.clusters} />
      </>
    );
  } else {
    const rows: PolicyRow[] = value.byPolicy.map(policy => ({
      ...policy,
      id: policy.policy,
      fail: policy.summary.byResult.fail + policy.summary.byResult.error,
      warn: policy.summary.byResult.warn,
      pass: policy.summary.byResult.pass,
      compliance: policy.summary.compliancePercent ?? 100,
    }));
    const columns: TableColumn<PolicyRow>[] = [
      {
        title: 'Policy',
        field: 'policy',
        render: row =>
          policyLink ? (
            <Link to={policyLink({ policyName: row.policy })}>
              {row.policy}
            </Link>
          ) : (
            row.policy
          ),
      },
      { title: 'Category', field: 'category' },
      {
        title: 'Severity',
        field: 'severity',
        render: row => <SeverityChip severity={row.severity} />,
        customSort: (a, b) =>
          POLICY_SEVERITIES.indexOf(a.severity) -
          POLICY_SEVERITIES.indexOf(b.severity),
      },
      { title: 'Failing', field: 'fail', type: 'numeric', defaultSort: 'desc' },
      { title: 'Warnings', field: 'warn', type: 'numeric' },
      { title: 'Passing', field: 'pass', type: 'numeric' },
      {
        title: 'Failing resources',
        field: 'failingResources',
        type: 'numeric',
      },
      {
        title: 'Compliance',
        field: 'compliance',
        type: 'numeric',
        render: row => `${row.compliance}%`,
      },
    ];
    const failingCount = (counts: { fail: number; error: number }) =>
      counts.fail + counts.error;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <ClusterStatusAlerts clusters={value.clusters} />
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="Overall">
            <Typography variant="h3" component="p">
              {value.totals.compliancePercent ?? 100}%
            </Typography>
            <Typography variant="body2" gutterBottom>
              compliant across {value.byNamespace.length} namespaces and{' '}
              {value.byPolicy.length} policies
            </Typography>
            <ResultBar
              counts={value.totals.byResult}
              legend
              label="All results"
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="Failing results by severity">
            <BarChart
              title="Failing results by severity"
              rows={value.bySeverity.map(entry => ({
                label: entry.severity,
                value: failingCount(entry.counts),
                colour: SEVERITY_COLOURS[entry.severity],
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="Top failing namespaces">
            <BarChart
              title="Top failing namespaces"
              rows={value.topFailingNamespaces.map(entry => ({
                label: entry.namespace,
                value: failingCount(entry.summary.byResult),
                colour: RESULT_COLOURS.fail,
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Compliance by namespace">
            {value.byNamespace.map(entry => (
              <Box key={entry.namespace} mb={1}>
                <Typography variant="body2">
                  {entry.namespace}
                  {entry.team ? ` · ${entry.team}` : ''} ·{' '}
                  {entry.summary.compliancePercent ?? 100}%
                </Typography>
                <ResultBar
                  counts={entry.summary.byResult}
                  label={`namespace ${entry.namespace}`}
                />
              </Box>
            ))}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Compliance by team">
            {value.byTeam.map(entry => (
              <Box key={entry.team} mb={1}>
                <Typography variant="body2">
                  {entry.team} · {entry.namespaces.length} namespaces ·{' '}
                  {entry.summary.compliancePercent ?? 100}%
                </Typography>
                <ResultBar
                  counts={entry.summary.byResult}
                  label={`team ${entry.team}`}
                />
              </Box>
            ))}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Table<PolicyRow>
            title="Policies"
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={columns}
            data={rows}
          />
        </Grid>
      </Grid>
    );
  }

  return (
    <Content>
      <Box mb={2}>{filters}</Box>
      {loading && value && <Progress />}
      {body}
    </Content>
  );
}
