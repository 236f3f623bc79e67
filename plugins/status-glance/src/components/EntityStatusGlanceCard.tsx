import { useMemo } from 'react';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatAbsolute,
  formatRelative,
  shortSha,
} from '@internal/plugin-argocd-deployments-common';
import { Box, Tooltip, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { EntityGlance } from '../glance/types';
import { GlanceChips, StateChip } from './GlanceChips';
import { useGlances } from './useGlances';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  deployment: { marginTop: theme.spacing(1.5) },
  sha: { fontFamily: 'monospace' },
  unreachable: { marginTop: theme.spacing(1.5) },
}));

/** `Grace Hopper <grace@example.com>` → `Grace Hopper` (the whole stays in the tooltip). */
export function authorName(author: string): string {
  return author.replace(/\s*<[^>]*>\s*$/, '') || author;
}

function Deployment({ glance }: { glance: EntityGlance }) {
  const classes = useStyles();
  const { deployment } = glance;
  if (!deployment) return null;
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      className={classes.deployment}
      aria-label="deployed revision"
    >
      Deployed{' '}
      {deployment.revision ? (
        <Tooltip title={deployment.revision}>
          <code className={classes.sha}>{shortSha(deployment.revision)}</code>
        </Tooltip>
      ) : (
        'an unknown revision'
      )}
      {deployment.deployedAt && (
        <Tooltip title={formatAbsolute(deployment.deployedAt)}>
          <span> {formatRelative(deployment.deployedAt)}</span>
        </Tooltip>
      )}
      {deployment.author && (
        <Tooltip title={deployment.author}>
          <span> by {authorName(deployment.author)}</span>
        </Tooltip>
      )}
      {deployment.subject && <> — {deployment.subject}</>}
    </Typography>
  );
}

/** Sources the glance could not read, named: nothing they would say is shown as good. */
export function Unreachable({ glance }: { glance: EntityGlance }) {
  const classes = useStyles();
  if (glance.unreachable.length === 0) return null;
  return (
    <Alert severity="warning" className={classes.unreachable}>
      <Typography variant="body2" component="div">
        Not reachable, so part of this status is unknown or old:
      </Typography>
      <ul aria-label="unreachable sources">
        {glance.unreachable.map(source => (
          <li key={`${source.via}/${source.name}`}>
            <strong>{source.name}</strong> ({source.via}): {source.reason}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/**
 * The first card of a component's Overview: ArgoCD health, sync and what is deployed, policy
 * results, tier and cluster state, pods ready and restarts; each chip links to the tab that
 * tells more. Asked again every 10 s.
 */
export function EntityStatusGlanceCard() {
  const classes = useStyles();
  const { entity } = useEntity();
  const entities = useMemo(() => [entity], [entity]);
  const state = useGlances(entities);
  let body;
  if (state.loading) {
    body = <Progress />;
  } else if (state.error || !state.glances?.[0]) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not read this component's status"
        message={state.error?.message}
      />
    );
  } else {
    const glance = state.glances[0];
    body = (
      <>
        <Box className={classes.header}>
          <StateChip
            size="medium"
            state={glance.state}
            label={glance.headline}
          />
          {glance.chips.length ? (
            <GlanceChips entityRef={glance.entityRef} chips={glance.chips} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              This component names no ArgoCD application and no Kubernetes
              workload.
            </Typography>
          )}
        </Box>
        <Deployment glance={glance} />
        <Unreachable glance={glance} />
      </>
    );
  }
  return (
    <InfoCard title="Status at a glance" variant="gridItem">
      <div aria-label="status at a glance">{body}</div>
    </InfoCard>
  );
}
