import { Box, Typography } from '@material-ui/core';
import {
  lastSeenText,
  type ClusterSummary,
} from '@internal/plugin-tier-health-common';
import { STATE_COLOURS, STATE_MEANING } from './stateStyle';

/** The cluster's state in its colour, with every reason that led to it, worst first. */
export const StateBanner = ({ cluster }: { cluster: ClusterSummary }) => {
  if (!cluster.state) return null;
  const colours = STATE_COLOURS[cluster.state];
  return (
    <Box
      role="status"
      aria-label={`cluster ${cluster.cluster} state`}
      p={2}
      mb={2}
      borderRadius={4}
      style={{ background: colours.background, color: colours.text }}
    >
      <Typography variant="h4" component="p">
        {cluster.cluster}: {cluster.state}
        {cluster.state === 'Unknown' &&
          ` (${lastSeenText(cluster.lastSeenState, cluster.ageSeconds)})`}
      </Typography>
      <Typography variant="subtitle1">
        {STATE_MEANING[cluster.state]}
      </Typography>
      {cluster.state === 'Unknown' && (
        <Typography variant="body2">
          {cluster.error ? `${cluster.error}. ` : ''}As last seen:
        </Typography>
      )}
      <ul aria-label="reasons" style={{ margin: '8px 0 0', paddingLeft: 20 }}>
        {cluster.reasons.map(reason => (
          <li key={`${reason.code}-${reason.subject ?? ''}-${reason.message}`}>
            <Typography variant="body2">
              <strong>{reason.state}</strong> — {reason.message}
            </Typography>
          </li>
        ))}
        {cluster.reasonCount > cluster.reasons.length && (
          <li>
            <Typography variant="body2">
              and {cluster.reasonCount - cluster.reasons.length} more reasons of
              the same or a lesser state
            </Typography>
          </li>
        )}
      </ul>
    </Box>
  );
};
