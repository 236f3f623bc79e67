import { useEffect, useState } from 'react';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  IconButton,
  List,
  ListItem,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import SyncIcon from '@material-ui/icons/Sync';
import {
  durationMs,
  formatAbsolute,
  formatDuration,
  formatRelative,
  shortSha,
  type DeploymentHistory,
} from '@internal/plugin-argocd-deployments-common';
import { argoCdDeploymentsApiRef } from '../api';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'block',
    paddingLeft: 0,
    paddingRight: 0,
  },
  headline: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minWidth: 0,
  },
  chip: { flexShrink: 0 },
  sha: {
    fontFamily: 'monospace',
    flexShrink: 0,
  },
  subject: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
}));

type LoadState =
  | { loading: true }
  | { loading: false; history?: DeploymentHistory; error?: Error };

/** Reloads when the entity changes or `reloads` goes up. */
function useDeploymentHistory(reloads: number): LoadState {
  const api = useApi(argoCdDeploymentsApiRef);
  const { entity } = useEntity();
  const [state, setState] = useState<LoadState>({ loading: true });
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    api.getDeploymentHistory(entity).then(
      history => current && setState({ loading: false, history }),
      error => current && setState({ loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [api, entity, reloads]);
  return state;
}

/**
 * The entity's ArgoCD deployments, newest first: which revision runs now, when each was
 * deployed and how long it took, and whose commit it was.
 */
export const DeploymentHistoryCard = () => {
  const classes = useStyles();
  const [reloads, setReloads] = useState(0);
  const state = useDeploymentHistory(reloads);

  let body: JSX.Element;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error || !state.history) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not load the deployment history from ArgoCD"
        message={state.error?.message}
        defaultExpanded
      />
    );
  } else {
    const { deployments, failures } = state.history;
    body = (
      <>
        {failures.map(failure => (
          <WarningPanel
            key={failure.title}
            severity={failure.severity ?? 'error'}
            title={failure.title}
            message={failure.message}
            defaultExpanded
          />
        ))}
        {deployments.length === 0 && failures.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No deployments yet
          </Typography>
        )}
        {deployments.length > 0 && (
          <List dense disablePadding aria-label="deployments">
            {deployments.map(deployment => {
              const took = durationMs(
                deployment.deployStartedAt,
                deployment.deployedAt,
              );
              const details = [
                deployment.chart
                  ? `Helm chart ${deployment.chart}`
                  : deployment.commit?.author,
                deployment.deployedAt &&
                  `deployed ${formatRelative(
                    deployment.deployedAt,
                  )} (${formatAbsolute(deployment.deployedAt)})`,
                took !== undefined && `took ${formatDuration(took)}`,
                deployment.instance
                  ? `${deployment.app} on ${deployment.instance}`
                  : deployment.app,
              ].filter(Boolean);
              return (
                <ListItem
                  key={deployment.key}
                  divider
                  className={classes.item}
                  aria-label={`deployment of ${
                    deployment.revision ?? 'an unknown revision'
                  }`}
                >
                  <Box className={classes.headline}>
                    <Chip
                      size="small"
                      className={classes.chip}
                      label={deployment.current ? 'Current' : 'Previous'}
                      color={deployment.current ? 'primary' : 'default'}
                      variant={deployment.current ? 'default' : 'outlined'}
                    />
                    {deployment.revision && (
                      <Tooltip title={deployment.revision}>
                        <Typography
                          variant="body2"
                          component="code"
                          className={classes.sha}
                        >
                          {shortSha(deployment.revision)}
                        </Typography>
                      </Tooltip>
                    )}
                    {deployment.commit?.subject && (
                      <Typography variant="body2" className={classes.subject}>
                        {deployment.commit.subject}
                      </Typography>
                    )}
                    {deployment.commit?.error && (
                      <Typography
                        variant="body2"
                        color="textSecondary"
                        title={deployment.commit.error}
                      >
                        commit details unavailable
                      </Typography>
                    )}
                  </Box>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {details.join(' · ')}
                  </Typography>
                </ListItem>
              );
            })}
          </List>
        )}
      </>
    );
  }

  return (
    <InfoCard
      title="Deployment history"
      action={
        <IconButton
          aria-label="Refresh"
          title="Refresh"
          disabled={state.loading}
          onClick={() => setReloads(n => n + 1)}
        >
          <SyncIcon />
        </IconButton>
      }
    >
      {body}
    </InfoCard>
  );
};
