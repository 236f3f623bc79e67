import { useNavigate } from 'react-router-dom';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Button, Typography } from '@material-ui/core';
import { entityFormUrl } from './ManageServiceCard';

export const TEAM_MEMBERS_FORM = '/create/templates/default/team-members';
export const OFFBOARD_TEAM_FORM = '/create/templates/default/offboard-team';

/** Day-2 entry points of a team: its members, changed through the GitOps repository. */
export function ManageTeamCard() {
  const { entity } = useEntity();
  const navigate = useNavigate();
  return (
    <InfoCard title="Manage team">
      <Typography variant="body2" paragraph>
        Membership lives in the GitOps repository (K8s/teams/
        {entity.metadata.name}); a change is one commit as you.
      </Typography>
      <Box display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          onClick={() =>
            navigate(
              entityFormUrl(TEAM_MEMBERS_FORM, stringifyEntityRef(entity)),
            )
          }
        >
          Members
        </Button>
        <Button
          variant="outlined"
          onClick={() =>
            navigate(
              entityFormUrl(OFFBOARD_TEAM_FORM, stringifyEntityRef(entity)),
            )
          }
        >
          Offboard
        </Button>
      </Box>
    </InfoCard>
  );
}
