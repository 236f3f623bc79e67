import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { argoCdDeploymentsApiRef } from '@internal/plugin-argocd-deployments';
import {
  shortSha,
  type DeploymentHistory,
} from '@internal/plugin-argocd-deployments-common';
import { Box, MenuItem, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'done'; history: DeploymentHistory };

/**
 * The rollback form's revision: one of the previous deployments of the service's ArgoCD
 * Application, listed as the ArgoCD tab's deployment history card lists them (same loader).
 */
export function DeployedRevisionPickerField(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, schema, required, rawErrors } = props;
  const catalogApi = useApi(catalogApiRef);
  const deploymentsApi = useApi(argoCdDeploymentsApiRef);
  const entityRef = String(
    (props.formContext?.formData as Record<string, unknown> | undefined)
      ?.entity ?? '',
  );
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    if (!entityRef) {
      setState({ status: 'error', message: 'choose the service first' });
      return undefined;
    }
    setState({ status: 'loading' });
    catalogApi
      .getEntityByRef(entityRef)
      .then(entity => {
        if (!entity) throw new Error(`${entityRef} is not in the catalog`);
        return deploymentsApi.getDeploymentHistory(entity);
      })
      .then(
        history => current && setState({ status: 'done', history }),
        e =>
          current &&
          setState({ status: 'error', message: (e as Error).message }),
      );
    return () => {
      current = false;
    };
  }, [entityRef, catalogApi, deploymentsApi]);

  if (state.status === 'loading') {
    return (
      <Typography variant="body2">Reading the deployment history…</Typography>
    );
  }
  if (state.status === 'error') {
    return (
      <Alert severity="error">
        Cannot list the deployments: {state.message}
      </Alert>
    );
  }
  const previous = state.history.deployments.filter(
    d => !d.current && d.revision && /^[0-9a-f]{40}$/.test(d.revision),
  );
  return (
    <Box mb={2}>
      {state.history.failures.map(f => (
        <Alert key={f.title} severity={f.severity ?? 'error'}>
          {f.title}: {f.message}
        </Alert>
      ))}
      {previous.length === 0 ? (
        <Alert severity="info">
          The Application has no previous deployment to roll back to.
        </Alert>
      ) : (
        <TextField
          select
          fullWidth
          id="rollback-revision"
          label={schema.title}
          helperText={schema.description}
          required={required}
          error={Boolean(rawErrors?.length)}
          value={formData ?? ''}
          onChange={e => onChange(e.target.value)}
        >
          {previous.map(d => (
            <MenuItem key={d.key} value={d.revision}>
              {shortSha(d.revision!)} — {d.commit?.subject ?? 'commit'}
              {d.deployedAt
                ? ` (deployed ${new Date(d.deployedAt).toLocaleString()})`
                : ''}
            </MenuItem>
          ))}
        </TextField>
      )}
    </Box>
  );
}
