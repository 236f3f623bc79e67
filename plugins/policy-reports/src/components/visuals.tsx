import { Box, Chip, Tooltip, Typography, makeStyles } from '@material-ui/core';
import {
  POLICY_RESULT_STATUSES,
  type PolicyResultStatus,
  type PolicySeverity,
  type ResultCounts,
} from '@internal/plugin-policy-reports-common';

/** Colours shared by chips and bars so a status looks the same everywhere. */
export const RESULT_COLOURS: Record<PolicyResultStatus, string> = {
  fail: '#d32f2f',
  error: '#8e24aa',
  warn: '#f9a825',
  pass: '#388e3c',
  skip: '#9e9e9e',
};

export const SEVERITY_COLOURS: Record<PolicySeverity, string> = {
  critical: '#b71c1c',
  high: '#e64a19',
  medium: '#f9a825',
  low: '#1976d2',
  info: '#757575',
};

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 14,
    width: '100%',
    borderRadius: 3,
    overflow: 'hidden',
    background: theme.palette.action.hover,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    marginTop: theme.spacing(0.5),
  },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    marginRight: 4,
    borderRadius: 2,
  },
}));

export function ResultChip(props: { result: PolicyResultStatus }) {
  return (
    <Chip
      size="small"
      label={props.result}
      style={{ background: RESULT_COLOURS[props.result], color: '#fff' }}
    />
  );
}

export function SeverityChip(props: { severity: PolicySeverity }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={props.severity}
      style={{
        borderColor: SEVERITY_COLOURS[props.severity],
        color: SEVERITY_COLOURS[props.severity],
      }}
    />
  );
}

/** A stacked bar of result counts, with a legend when `legend` is set. */
export function ResultBar(props: {
  counts: ResultCounts;
  legend?: boolean;
  label?: string;
}) {
  const classes = useStyles();
  const total = POLICY_RESULT_STATUSES.reduce(
    (sum, status) => sum + props.counts[status],
    0,
  );
  const description = POLICY_RESULT_STATUSES.map(
    status => `${props.counts[status]} ${status}`,
  ).join(', ');
  return (
    <Box>
      <div
        className={classes.bar}
        role="img"
        aria-label={`${props.label ?? 'results'}: ${description}`}
      >
        {POLICY_RESULT_STATUSES.filter(status => props.counts[status] > 0).map(
          status => (
            <Tooltip key={status} title={`${props.counts[status]} ${status}`}>
              <div
                style={{
                  width: `${(props.counts[status] / total) * 100}%`,
                  background: RESULT_COLOURS[status],
                }}
              />
            </Tooltip>
          ),
        )}
      </div>
      {props.legend && (
        <div className={classes.legend}>
          {POLICY_RESULT_STATUSES.map(status => (
            <Typography key={status} variant="caption">
              <span
                className={classes.swatch}
                style={{ background: RESULT_COLOURS[status] }}
              />
              {props.counts[status]} {status}
            </Typography>
          ))}
        </div>
      )}
    </Box>
  );
}

/** One horizontal bar per row, scaled to the largest value: a dependency-free bar chart. */
export function BarChart(props: {
  title: string;
  rows: Array<{ label: string; value: number; colour: string }>;
}) {
  const max = Math.max(1, ...props.rows.map(row => row.value));
  return (
    <Box role="figure" aria-label={props.title}>
      {props.rows.map(row => (
        <Box key={row.label} display="flex" alignItems="center" mb={0.5}>
          <Box width="35%" pr={1}>
            <Typography variant="body2" noWrap title={row.label}>
              {row.label}
            </Typography>
          </Box>
          <Box flexGrow={1} display="flex" alignItems="center">
            <Box
              height={12}
              width={`${(row.value / max) * 100}%`}
              minWidth={row.value > 0 ? 2 : 0}
              style={{ background: row.colour, borderRadius: 2 }}
            />
            <Box pl={1}>
              <Typography variant="caption">{row.value}</Typography>
            </Box>
          </Box>
        </Box>
      ))}
    </Box>
  );
}
