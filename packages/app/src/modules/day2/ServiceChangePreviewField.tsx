import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { gitopsDay2ApiRef, type ServiceChangePreview } from './api';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: 12,
    whiteSpace: 'pre',
    overflowX: 'auto',
    padding: theme.spacing(1),
    border: `1px solid ${theme.palette.divider}`,
    maxHeight: 480,
  },
  added: { color: theme.palette.success.dark },
  removed: { color: theme.palette.error.dark },
  header: { color: theme.palette.text.secondary, fontWeight: 'bold' },
}));

type PreviewState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'done'; preview: ServiceChangePreview };

/** One diff line, coloured like a code review. */
function DiffLine({ line }: { line: string }) {
  const classes = useStyles();
  let className: string | undefined;
  if (/^(diff --git|index |--- |\+\+\+ |@@|new file|deleted file)/.test(line)) {
    className = classes.header;
  } else if (line.startsWith('+')) {
    className = classes.added;
  } else if (line.startsWith('-')) {
    className = classes.removed;
  }
  return <div className={className}>{line || ' '}</div>;
}

/**
 * The update-service form's review step: the diff of the files the task would commit, computed
 * on the server from the GitOps remote's head with what the form holds now. It has no value of
 * its own; it only shows.
 */
export function ServiceChangePreviewField(
  props: FieldExtensionComponentProps<string>,
) {
  const classes = useStyles();
  const api = useApi(gitopsDay2ApiRef);
  const formData = (props.formContext?.formData ?? {}) as Record<
    string,
    unknown
  >;
  const request = JSON.stringify(formData);
  const [state, setState] = useState<PreviewState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    const { entity, baseRevision, changePreview, ...parameters } = JSON.parse(
      request,
    ) as Record<string, unknown>;
    setState({ status: 'loading' });
    api
      .previewServiceChange({
        entity: String(entity ?? ''),
        baseRevision: baseRevision ? String(baseRevision) : undefined,
        parameters,
      })
      .then(
        preview => !cancelled && setState({ status: 'done', preview }),
        e =>
          !cancelled &&
          setState({ status: 'error', message: (e as Error).message }),
      );
    return () => {
      cancelled = true;
    };
  }, [api, request]);

  return (
    <Box mb={2}>
      <Typography variant="h6">{props.schema.title}</Typography>
      {state.status === 'loading' && (
        <Typography variant="body2">
          Rendering the change against the GitOps repository…
        </Typography>
      )}
      {state.status === 'error' && (
        <Alert severity="error">
          This change cannot be committed: {state.message}
        </Alert>
      )}
      {state.status === 'done' && !state.preview.changed && (
        <Alert severity="info">
          Nothing to change: {state.preview.path} already has these settings.
          Creating the task commits nothing.
        </Alert>
      )}
      {state.status === 'done' && state.preview.changed && (
        <>
          <Typography variant="body2" paragraph>
            One commit to <code>{state.preview.path}</code> on top of{' '}
            <code>{state.preview.headCommit.slice(0, 12)}</code>:
          </Typography>
          <div className={classes.diff} aria-label="Diff of the change">
            {state.preview.diff.split('\n').map((line, i) => (
              <DiffLine key={i} line={line} />
            ))}
          </div>
        </>
      )}
    </Box>
  );
}
