import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import {
  lastSeenText,
  type NodeLossOutcome,
} from '@internal/plugin-tier-health-common';
import { tierHealthApiRef } from '../../api';
import { usePolling } from '../shared/usePolling';
import { AVAILABILITY_COLOURS, TIER_NAMES } from '../shared/stateStyle';

const OUTCOME_COLOURS: Record<NodeLossOutcome['outcome'], string> = {
  'keeps-running': '#2e7d32',
  rescheduled: '#f9a825',
  lost: '#c62828',
};

/** The entity's tier, availability, nodes and whether it survives each node's loss. */
export const EntityTierCard = () => {
  const { entity } = useEntity();
  const api = useApi(tierHealthApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, error } = usePolling(
    () => api.getEntityTier(entityRef),
    [api, entityRef],
  );

  let body: JSX.Element;
  if (error && !value) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    body = <Progress />;
  } else {
    const found = value.clusters.filter(c => c.component);
    const unreachable = value.clusters.filter(c => c.error && !c.lastSuccess);
    body = (
      <>
        {value.annotatedTier && found.length === 0 && (
          <Typography variant="h6">
            {TIER_NAMES[value.annotatedTier]}
          </Typography>
        )}
        {found.length === 0 && (
          <Typography variant="body2">
            No workload of this entity runs in a configured cluster.
          </Typography>
        )}
        {unreachable.map(c => (
          <WarningPanel
            key={c.cluster}
            severity="error"
            title={`Cluster ${c.cluster} is unreachable`}
          >
            {c.error}
          </WarningPanel>
        ))}
        {found.map(
          ({
            cluster,
            component,
            stale,
            outdated,
            ageSeconds,
            error: refreshError,
          }) => (
            <Box
              key={cluster}
              mb={2}
              component="section"
              aria-label={`tier status in ${cluster}`}
            >
              <Typography variant="h6">
                {TIER_NAMES[component!.tier]}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                tier from{' '}
                {component!.tierSource === 'annotation'
                  ? 'the idp.platform/tier annotation'
                  : component!.tierSource}
                {' · '}cluster {cluster}
                {stale ? ` · stale: ${refreshError}` : ''}
              </Typography>
              <Box mt={1}>
                {outdated ? (
                  // too old to claim anything: say what was seen, and when
                  <Chip
                    size="small"
                    label={`Unknown: ${lastSeenText(
                      `${component!.availability} (${component!.ready}/${
                        component!.desired
                      } ready)`,
                      ageSeconds,
                    )}`}
                    style={{ background: '#616161', color: '#fff' }}
                  />
                ) : (
                  <Chip
                    size="small"
                    label={`${component!.availability}: ${component!.ready}/${
                      component!.desired
                    } ready`}
                    style={{
                      background: AVAILABILITY_COLOURS[component!.availability],
                      color: '#fff',
                    }}
                  />
                )}
              </Box>
              <Typography variant="subtitle2" style={{ marginTop: 8 }}>
                Runs on
              </Typography>
              <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                {component!.nodes.map(n => (
                  <Chip
                    key={n.name}
                    size="small"
                    variant="outlined"
                    label={`${n.name} (${n.pool}${
                      n.ready ? '' : ', NotReady'
                    })`}
                  />
                ))}
              </Box>
              <Typography variant="subtitle2" style={{ marginTop: 8 }}>
                If a node fails
              </Typography>
              <List dense>
                {component!.survivesLossOf.map(outcome => (
                  <ListItem key={outcome.node}>
                    <Chip
                      size="small"
                      label={
                        outcome.outcome === 'keeps-running'
                          ? 'survives'
                          : outcome.outcome
                      }
                      style={{
                        marginRight: 8,
                        background: OUTCOME_COLOURS[outcome.outcome],
                        color:
                          outcome.outcome === 'rescheduled' ? '#000' : '#fff',
                      }}
                    />
                    <ListItemText
                      primary={outcome.node}
                      secondary={outcome.message}
                    />
                  </ListItem>
                ))}
              </List>
            </Box>
          ),
        )}
      </>
    );
  }
  return <InfoCard title="Tier health">{body}</InfoCard>;
};
