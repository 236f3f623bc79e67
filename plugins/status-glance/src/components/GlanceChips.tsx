import type { ReactElement } from 'react';
import { Link } from '@backstage/core-components';
import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Box, Chip, Tooltip, makeStyles } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import SyncIcon from '@material-ui/icons/Sync';
import WarningIcon from '@material-ui/icons/Warning';
import type { GlanceChip, GlanceState, GlanceTab } from '../glance/types';
import { platformHealthRouteRef } from '../routes';

const useStyles = makeStyles(theme => {
  const colour = (background: string) => ({
    backgroundColor: background,
    color: theme.palette.getContrastText(background),
    '& $icon': { color: theme.palette.getContrastText(background) },
    '&:hover, &:focus': {
      backgroundColor: background,
      filter: 'brightness(0.92)',
    },
  });
  return {
    icon: {},
    ok: colour(theme.palette.success?.main ?? '#2e7d32'),
    progressing: colour(theme.palette.info?.main ?? '#0288d1'),
    unknown: colour(theme.palette.grey[500]),
    warning: colour(theme.palette.warning?.main ?? '#ed6c02'),
    error: colour(theme.palette.error.main),
    chips: {
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      alignItems: 'center',
    },
  };
});

const ICONS: Record<GlanceState, ReactElement> = {
  ok: <CheckCircleIcon />,
  progressing: <SyncIcon />,
  unknown: <HelpIcon />,
  warning: <WarningIcon />,
  error: <ErrorIcon />,
};

/** Words for screen readers and tests: the state the colour shows. */
export const STATE_WORDS: Record<GlanceState, string> = {
  ok: 'good',
  progressing: 'in progress',
  unknown: 'unknown',
  warning: 'warning',
  error: 'failing',
};

/** A coloured chip with an icon for its state; a link when `to` is given. */
export function StateChip(props: {
  state: GlanceState;
  label: string;
  to?: string;
  tooltip?: string;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const { state, label, to, tooltip, size = 'small' } = props;
  const chip = (
    <Chip
      size={size}
      icon={ICONS[state]}
      label={label}
      aria-label={`${label} (${STATE_WORDS[state]})`}
      className={classes[state]}
      classes={{ icon: classes.icon }}
      // a clickable Chip says role="button"; this one navigates
      {...(to ? { component: Link, to, clickable: true, role: 'link' } : {})}
    />
  );
  return tooltip ? (
    <Tooltip title={tooltip}>
      <span>{chip}</span>
    </Tooltip>
  ) : (
    chip
  );
}

/** Where a chip's tab is for an entity: `/catalog/<ns>/<kind>/<name>/<tab>`, or the page. */
export function useTabLinks(): (entityRef: string, tab: GlanceTab) => string {
  const entityRoute = useLegacyRouteRef(entityRouteRef);
  const platformHealth = useRouteRef(platformHealthRouteRef);
  return (entityRef, tab) => {
    if (tab === 'platform-health')
      return platformHealth?.() ?? '/platform-health';
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return `${entityRoute({ kind, namespace, name })}/${tab}`;
  };
}

/** The chips of one entity, each linking to the tab that tells more. */
export function GlanceChips(props: { entityRef: string; chips: GlanceChip[] }) {
  const classes = useStyles();
  const link = useTabLinks();
  return (
    <Box className={classes.chips}>
      {props.chips.map(chip => (
        <StateChip
          key={chip.key}
          state={chip.state}
          label={`${chip.title}: ${chip.label}`}
          tooltip={chip.detail}
          to={link(props.entityRef, chip.tab)}
        />
      ))}
    </Box>
  );
}
