import {
  Box,
  Chip,
  Grid,
  LinearProgress,
  Paper,
  Typography,
} from '@material-ui/core';
import type {
  NodeDetails,
  ResourceAmounts,
} from '@internal/plugin-tier-health-common';

const GiB = 2 ** 30;

const UsageBar = ({
  label,
  used,
  total,
  format,
}: {
  label: string;
  used: number;
  total: number;
  format: (n: number) => string;
}) => {
  const percent = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <Box mt={0.5}>
      <Typography variant="caption">
        {label}: {format(used)} of {format(total)} requested
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={`${label} requested`}
      />
    </Box>
  );
};

const cpu = (millis: number) => `${(millis / 1000).toFixed(1)} CPU`;
const memory = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;

const Usage = ({
  requested,
  allocatable,
}: {
  requested: ResourceAmounts;
  allocatable: ResourceAmounts;
}) => (
  <>
    <UsageBar
      label="CPU"
      used={requested.cpuMillis}
      total={allocatable.cpuMillis}
      format={cpu}
    />
    <UsageBar
      label="Memory"
      used={requested.memoryBytes}
      total={allocatable.memoryBytes}
      format={memory}
    />
  </>
);

/** Each node with its pool, conditions, taints, requests and the pods it hosts per tier. */
export const NodeMap = ({ nodes }: { nodes: NodeDetails[] }) => (
  <Grid container spacing={2}>
    {nodes.map(node => {
      const troubled = node.conditions.filter(c =>
        c.type === 'Ready' ? c.status !== 'True' : c.status === 'True',
      );
      return (
        <Grid item xs={12} md={4} key={node.name}>
          <Paper
            variant="outlined"
            component="section"
            aria-label={`node ${node.name}`}
            style={{
              borderColor: node.ready ? undefined : '#c62828',
              borderWidth: node.ready ? 1 : 2,
            }}
          >
            <Box p={1.5}>
              <Typography variant="h6">{node.name}</Typography>
              <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                <Chip size="small" label={`pool ${node.pool}`} />
                <Chip
                  size="small"
                  label={node.ready ? 'Ready' : 'NotReady'}
                  style={{
                    background: node.ready ? '#2e7d32' : '#c62828',
                    color: '#fff',
                  }}
                />
                {node.unschedulable && <Chip size="small" label="cordoned" />}
                {troubled
                  .filter(c => c.type !== 'Ready')
                  .map(c => (
                    <Chip
                      key={c.type}
                      size="small"
                      label={c.type}
                      style={{ background: '#f9a825' }}
                    />
                  ))}
              </Box>
              {node.taints.length > 0 && (
                <Typography variant="caption" component="p">
                  taints:{' '}
                  {node.taints
                    .map(
                      t =>
                        `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
                    )
                    .join(', ')}
                </Typography>
              )}
              <Usage
                requested={node.requested}
                allocatable={node.allocatable}
              />
              <Box mt={1}>
                {node.tiers
                  .filter(t => t.pods > 0)
                  .map(t => (
                    <Typography variant="body2" key={t.tier}>
                      <strong>Tier {t.tier}</strong>: {t.readyPods}/{t.pods}{' '}
                      pods ready — {t.components.join(', ')}
                    </Typography>
                  ))}
              </Box>
            </Box>
          </Paper>
        </Grid>
      );
    })}
  </Grid>
);
