import { Box, Grid, Paper, Typography } from '@material-ui/core';
import {
  TIERS,
  type ComponentHealth,
  type TierCounts,
} from '@internal/plugin-tier-health-common';
import { ComponentChip } from '../shared/ComponentChip';
import { TIER_NAMES } from '../shared/stateStyle';

/**
 * Four lanes, most critical first, each with its components as status chips: the summary names
 * each tier's least available components (up to a limit) and counts the rest.
 */
export const TierLanes = ({
  components,
  tiers,
}: {
  components: ComponentHealth[];
  tiers: TierCounts[];
}) => (
  <Grid container spacing={2}>
    {TIERS.map(tier => {
      const inTier = components.filter(c => c.tier === tier);
      const counts = tiers.find(t => t.tier === tier);
      return (
        <Grid item xs={12} md={6} lg={3} key={tier}>
          <Paper
            variant="outlined"
            component="section"
            aria-label={`tier ${tier}`}
            style={{ height: '100%' }}
          >
            <Box p={1.5}>
              <Typography variant="h6">{TIER_NAMES[tier]}</Typography>
              <Typography variant="caption" color="textSecondary">
                {counts
                  ? `${counts.available} available · ${counts.degraded} degraded · ${counts.unavailable} down`
                  : 'no components'}
              </Typography>
              <Box mt={1} display="flex" flexWrap="wrap">
                {inTier.length === 0 ? (
                  <Typography variant="body2" color="textSecondary">
                    No component in this tier.
                  </Typography>
                ) : (
                  inTier.map(component => (
                    <ComponentChip key={component.key} component={component} />
                  ))
                )}
                {counts && counts.total > inTier.length && (
                  <Typography variant="caption" color="textSecondary">
                    and {counts.total - inTier.length} more, all at least as
                    available
                  </Typography>
                )}
              </Box>
            </Box>
          </Paper>
        </Grid>
      );
    })}
  </Grid>
);
