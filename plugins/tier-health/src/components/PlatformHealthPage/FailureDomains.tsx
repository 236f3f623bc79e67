import { useState } from 'react';
import {
  Box,
  Chip,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  stateSeverity,
  type NodeOutlook,
  type SinglePointOfFailure,
} from '@internal/plugin-tier-health-common';
import { tierHealthApiRef } from '../../api';
import { STATE_COLOURS } from '../shared/stateStyle';
import { useKeptAsync } from '../shared/usePolling';

/** Components whose every ready replica sits on one node; the unmovable ones first. */
export const SinglePointsOfFailure = ({
  singlePointsOfFailure,
}: {
  singlePointsOfFailure: SinglePointOfFailure[];
}) =>
  singlePointsOfFailure.length === 0 ? (
    <Typography variant="body2">
      No single point of failure: every component keeps a replica when any one
      node fails.
    </Typography>
  ) : (
    <List dense aria-label="single points of failure">
      {singlePointsOfFailure.map(spof => (
        <ListItem key={`${spof.key}@${spof.node}`}>
          <Chip
            size="small"
            label={spof.reschedulable ? 'reschedulable' : 'cannot move'}
            style={{
              marginRight: 8,
              background: spof.reschedulable ? '#f9a825' : '#c62828',
              color: spof.reschedulable ? '#000' : '#fff',
            }}
          />
          <ListItemText
            primary={`${spof.name} (tier ${spof.tier}) on ${spof.node}`}
            secondary={spof.message}
          />
        </ListItem>
      ))}
    </List>
  );

/**
 * "What if node X fails": the predicted state, what loses all replicas and where tier 1–2 would
 * go. The picker lists every node (worst outcome first); the chosen node's what-if is read alone.
 */
export const WhatIfNodeFails = ({
  cluster,
  nodes,
  refreshKey,
}: {
  cluster: string;
  nodes: NodeOutlook[];
  refreshKey: unknown;
}) => {
  const api = useApi(tierHealthApiRef);
  const ordered = [...nodes].sort(
    (a, b) =>
      stateSeverity(b.predictedState) - stateSeverity(a.predictedState) ||
      Number(a.controlPlane) - Number(b.controlPlane) ||
      a.node.localeCompare(b.node),
  );
  const [chosen, setChosen] = useState<string>();
  const selected =
    chosen ??
    ordered.find(n => !n.controlPlane)?.node ??
    ordered[0]?.node ??
    '';
  const whatIf = useKeptAsync(
    async () => (selected ? api.getNodeWhatIf(cluster, selected) : undefined),
    [api, cluster, selected, refreshKey],
    [cluster, selected],
  );
  const impact = whatIf.value?.impact;
  return (
    <Box>
      <TextField
        select
        label="What if this node fails?"
        value={selected}
        onChange={event => setChosen(event.target.value as string)}
        variant="outlined"
        size="small"
        style={{ minWidth: 260 }}
      >
        {ordered.map(n => (
          <MenuItem key={n.node} value={n.node}>
            {n.node} ({n.pool}) → {n.predictedState}
          </MenuItem>
        ))}
      </TextField>
      {whatIf.error && !impact && <ResponseErrorPanel error={whatIf.error} />}
      {!impact && !whatIf.error && selected && <Progress />}
      {impact && (
        <Box mt={2} aria-label={`impact of losing ${impact.node}`}>
          <Typography variant="subtitle1">
            If {impact.node} fails the platform becomes{' '}
            <Chip
              size="small"
              label={impact.predictedState}
              style={{
                background: STATE_COLOURS[impact.predictedState].background,
                color: STATE_COLOURS[impact.predictedState].text,
              }}
            />
          </Typography>
          <ul>
            {impact.predictedReasons.slice(0, 8).map(r => (
              <li key={`${r.code}-${r.subject ?? ''}-${r.message}`}>
                <Typography variant="body2">{r.message}</Typography>
              </li>
            ))}
          </ul>
          <Typography variant="subtitle2">Loses every replica</Typography>
          <Typography variant="body2">
            {impact.losesAllReplicas.length
              ? impact.losesAllReplicas
                  .map(c => `${c.name} (tier ${c.tier})`)
                  .join(', ')
              : 'nothing'}
          </Typography>
          <Typography variant="subtitle2" style={{ marginTop: 8 }}>
            Rescheduling
          </Typography>
          <List dense>
            {impact.rescheduling.map(r => (
              <ListItem key={r.key}>
                <ListItemText
                  primary={`${r.name} (tier ${r.tier}): ${
                    r.reschedulable
                      ? `moves to ${r.targetNodes.join(', ')}${
                          r.controlPlaneOnly
                            ? ' (limp-home on the control plane)'
                            : ''
                        }`
                      : 'cannot be rescheduled'
                  }`}
                  secondary={
                    r.reschedulable ? undefined : r.blockers.join('; ')
                  }
                />
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </Box>
  );
};
