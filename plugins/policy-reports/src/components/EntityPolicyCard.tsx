import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { policyReportsApiRef } from '../api';
import { ClusterStatusAlerts } from './states';
import { ResultBar, SeverityChip } from './visuals';

/** The entity overview card: counts, compliance and the worst failing severity. */
export function EntityPolicyCard() {
  const { entity } = useEntity();
  const api = useApi(policyReportsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getEntityResults(entityRef),
    [api, entityRef],
  );

  let content;
  if (loading) content = <Progress />;
  else if (error) content = <ResponseErrorPanel error={error} />;
  else if (!value || value.summary.total === 0) {
    content = (
      <>
        {value && <ClusterStatusAlerts clusters={value.clusters} />}
        <Typography>No policy reports — is Kyverno running?</Typography>
      </>
    );
  } else {
    const { summary } = value;
    content = (
      <>
        <ClusterStatusAlerts clusters={value.clusters} />
        <Box display="flex" alignItems="baseline" mb={1} style={{ gap: 16 }}>
          <Typography variant="h4" component="span">
            {summary.compliancePercent === undefined
              ? 'n/a'
              : `${summary.compliancePercent}%`}
          </Typography>
          <Typography variant="body2" component="span">
            {`compliant · ${summary.byResult.pass} pass · ${summary.byResult.fail} fail · ${summary.byResult.warn} warn`}
          </Typography>
        </Box>
        <ResultBar counts={summary.byResult} label="Policy results" />
        <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="body2">Worst failing severity:</Typography>
          {summary.worstFailingSeverity ? (
            <SeverityChip severity={summary.worstFailingSeverity} />
          ) : (
            <Typography variant="body2">none</Typography>
          )}
        </Box>
      </>
    );
  }
  return <InfoCard title="Policies">{content}</InfoCard>;
}
