import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '@backstage/frontend-plugin-api';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { changeFormUrl, gitopsDay2ApiRef } from './api';

/** Where the scaffolder serves the day-2 templates' forms. */
export const UPDATE_SERVICE_FORM = '/create/templates/default/update-service';
export const ROLLBACK_SERVICE_FORM =
  '/create/templates/default/rollback-service';
export const DECOMMISSION_SERVICE_FORM =
  '/create/templates/default/decommission-service';

/** A template form with only its target filled in (the entity page's contract: `entity`). */
export function entityFormUrl(templatePath: string, entityRef: string) {
  return `${templatePath}?formData=${encodeURIComponent(
    JSON.stringify({ entity: entityRef }),
  )}`;
}

/**
 * Day-2 entry points of a service: opens the change form pre-filled with what the GitOps
 * repository holds now (read on the server when the button is pressed, not from the catalog).
 */
export function ManageServiceCard() {
  const { entity } = useEntity();
  const api = useApi(gitopsDay2ApiRef);
  const navigate = useNavigate();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();

  const openChangeForm = async () => {
    setLoading(true);
    setError(undefined);
    try {
      const current = await api.getCurrentService(stringifyEntityRef(entity));
      navigate(changeFormUrl(UPDATE_SERVICE_FORM, current));
    } catch (e) {
      setError((e as Error).message);
      setLoading(false);
    }
  };

  return (
    <InfoCard title="Manage">
      <Typography variant="body2" paragraph>
        Changes go through the GitOps repository: a form starting from what it
        holds now, a diff to review, one commit as you; ArgoCD rolls it out.
      </Typography>
      <Box display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          disabled={loading}
          onClick={openChangeForm}
        >
          {loading ? 'Reading the GitOps repository…' : 'Change'}
        </Button>
        <Button
          variant="outlined"
          disabled={loading}
          onClick={() =>
            navigate(
              entityFormUrl(ROLLBACK_SERVICE_FORM, stringifyEntityRef(entity)),
            )
          }
        >
          Roll back
        </Button>
        <Button
          variant="outlined"
          disabled={loading}
          onClick={() =>
            navigate(
              entityFormUrl(
                DECOMMISSION_SERVICE_FORM,
                stringifyEntityRef(entity),
              ),
            )
          }
        >
          Decommission
        </Button>
      </Box>
      {error && (
        <Box mt={2}>
          <Alert severity="error">Cannot open the change form: {error}</Alert>
        </Box>
      )}
    </InfoCard>
  );
}
