import { useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Box,
  Button,
  Chip,
  Grid,
  LinearProgress,
  Paper,
  Typography,
} from '@material-ui/core';
import type {
  NodeDetails,
  PoolSummary,
  ResourceAmounts,
} from '@internal/plugin-tier-health-common';
import { tierHealthApiRef } from '../../api';
import { useKeptAsync } from '../shared/usePolling';

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

/** One node with its pool, conditions, taints, requests and the pods it hosts per tier. */
export const NodeCard = ({ node }: { node: NodeDetails }) => {
  const troubled = node.conditions.filter(c =>
    c.type === 'Ready' ? c.status !== 'True' : c.status === 'True',
  );
  return (
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
              .map(t => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)
              .join(', ')}
          </Typography>
        )}
        <Usage requested={node.requested} allocatable={node.allocatable} />
        <Box mt={1}>
          {node.tiers
            .filter(t => t.pods > 0)
            .map(t => (
              <Typography variant="body2" key={t.tier}>
                <strong>Tier {t.tier}</strong>: {t.readyPods}/{t.pods} pods
                ready — {t.components.join(', ')}
              </Typography>
            ))}
        </Box>
      </Box>
    </Paper>
  );
};

/** Nodes shown per page of an expanded pool. */
export const NODES_PER_PAGE = 24;
/** Up to this many nodes in a cluster, every pool starts expanded. */
export const EXPAND_ALL_UP_TO = 12;

const countChip = (label: string, background: string, color = '#fff') => (
  <Chip size="small" label={label} style={{ background, color }} />
);

/** An expanded pool: one page of its nodes, read from the backend, with paging. */
const PoolNodes = ({
  cluster,
  pool,
  total,
  refreshKey,
}: {
  cluster: string;
  pool: string;
  total: number;
  refreshKey: unknown;
}) => {
  const api = useApi(tierHealthApiRef);
  const [offset, setOffset] = useState(0);
  const page = useKeptAsync(
    () => api.getNodes({ cluster, pool, offset, limit: NODES_PER_PAGE }),
    [api, cluster, pool, offset, refreshKey],
    [cluster, pool],
  );
  if (page.error && !page.value)
    return <ResponseErrorPanel error={page.error} />;
  if (!page.value) return <Progress />;
  const { nodes } = page.value;
  const last = Math.min(offset + NODES_PER_PAGE, page.value.total);
  return (
    <Box mt={1}>
      <Grid container spacing={2}>
        {nodes.map(node => (
          <Grid item xs={12} md={4} key={node.name}>
            <NodeCard node={node} />
          </Grid>
        ))}
      </Grid>
      {total > NODES_PER_PAGE && (
        <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
          <Button
            size="small"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - NODES_PER_PAGE))}
          >
            Previous
          </Button>
          <Typography variant="caption">
            nodes {offset + 1}–{last} of {page.value.total}
          </Typography>
          <Button
            size="small"
            disabled={last >= page.value.total}
            onClick={() => setOffset(offset + NODES_PER_PAGE)}
          >
            Next
          </Button>
        </Box>
      )}
    </Box>
  );
};

/**
 * The node map grouped by pool: each pool collapsed to its counts (Ready, NotReady, cordoned,
 * under pressure); expanding a pool pages through its nodes, so a 1,000-node cluster renders a
 * handful of rows. `refreshKey` changes when the summary does, to re-read expanded pools.
 */
export const NodeMap = ({
  cluster,
  pools,
  refreshKey,
}: {
  cluster: string;
  pools: PoolSummary[];
  refreshKey: unknown;
}) => {
  const small = pools.reduce((sum, p) => sum + p.nodes, 0) <= EXPAND_ALL_UP_TO;
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  return (
    <Box>
      {pools.map(pool => {
        const expanded = toggled[pool.pool] ?? small;
        return (
          <Box
            key={pool.pool}
            mb={1}
            component="section"
            aria-label={`pool ${pool.pool}`}
          >
            <Box display="flex" alignItems="center" style={{ gap: 6 }}>
              <Button
                size="small"
                aria-expanded={expanded}
                onClick={() =>
                  setToggled({ ...toggled, [pool.pool]: !expanded })
                }
              >
                {expanded ? '▾' : '▸'} pool {pool.pool} · {pool.nodes} node
                {pool.nodes === 1 ? '' : 's'}
              </Button>
              {countChip(`${pool.ready} Ready`, '#2e7d32')}
              {pool.notReady > 0 &&
                countChip(`${pool.notReady} NotReady`, '#c62828')}
              {pool.cordoned > 0 &&
                countChip(`${pool.cordoned} cordoned`, '#616161')}
              {pool.pressure > 0 &&
                countChip(`${pool.pressure} under pressure`, '#f9a825', '#000')}
            </Box>
            {expanded && (
              <PoolNodes
                cluster={cluster}
                pool={pool.pool}
                total={pool.nodes}
                refreshKey={refreshKey}
              />
            )}
          </Box>
        );
      })}
    </Box>
  );
};
