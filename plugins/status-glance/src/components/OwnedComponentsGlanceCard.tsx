import { useEffect, useMemo, useState } from 'react';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  EntityRefLink,
  catalogApiRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { worstFirst } from '../glance/signals';
import type { EntityGlance } from '../glance/types';
import { GlanceChips, StateChip } from './GlanceChips';
import { Unreachable } from './EntityStatusGlanceCard';
import { useGlances } from './useGlances';

const useStyles = makeStyles({
  // names and headlines stay on one line; the chips wrap
  name: { whiteSpace: 'nowrap', verticalAlign: 'top' },
});

/** The components a Group owns or a System holds, as a catalog filter. */
export function componentsFilter(entity: Entity): Record<string, string> {
  const ref = stringifyEntityRef(entity);
  return entity.kind.toLocaleLowerCase('en-US') === 'system'
    ? { kind: 'Component', 'relations.partOf': ref }
    : { kind: 'Component', 'relations.ownedBy': ref };
}

type Components =
  | { loading: true }
  | { loading: false; entities?: Entity[]; error?: Error };

function useComponents(entity: Entity): Components {
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<Components>({ loading: true });
  useEffect(() => {
    let current = true;
    setState({ loading: true });
    catalogApi.getEntities({ filter: componentsFilter(entity) }).then(
      ({ items }) => current && setState({ loading: false, entities: items }),
      error => current && setState({ loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [catalogApi, entity]);
  return state;
}

/** Every source any of the components could not read, once. */
function unreachableOf(glances: EntityGlance[]): EntityGlance {
  const seen = new Map<string, EntityGlance['unreachable'][number]>();
  for (const glance of glances) {
    for (const source of glance.unreachable) {
      seen.set(`${source.via}/${source.name}`, source);
    }
  }
  return {
    entityRef: '',
    state: 'unknown',
    headline: '',
    chips: [],
    unreachable: [...seen.values()],
  };
}

/**
 * On a Group (team) or System page: every component it owns or holds, worst first, with the
 * same chips as the component's own glance card.
 */
export function OwnedComponentsGlanceCard() {
  const classes = useStyles();
  const { entity } = useEntity();
  const components = useComponents(entity);
  const entities = components.loading ? undefined : components.entities;
  const glancesState = useGlances(entities);
  const glances = useMemo(
    () => [...(glancesState.glances ?? [])].sort(worstFirst),
    [glancesState.glances],
  );
  const isSystem = entity.kind.toLocaleLowerCase('en-US') === 'system';
  const title = isSystem
    ? "Status of the system's components"
    : 'Status of owned components';

  let body;
  if (!components.loading && components.error) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not list the components"
        message={components.error.message}
      />
    );
  } else if (!components.loading && components.entities?.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {isSystem
          ? 'This system has no components.'
          : 'This team owns no components.'}
      </Typography>
    );
  } else if (components.loading || glancesState.loading) {
    body = <Progress />;
  } else if (glancesState.error) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not read the components' status"
        message={glancesState.error.message}
      />
    );
  } else {
    body = (
      <>
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>Component</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>At a glance</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {glances.map(glance => (
              <TableRow key={glance.entityRef}>
                <TableCell className={classes.name}>
                  <EntityRefLink entityRef={glance.entityRef} hideIcon />
                </TableCell>
                <TableCell className={classes.name}>
                  <StateChip state={glance.state} label={glance.headline} />
                </TableCell>
                <TableCell>
                  <GlanceChips
                    entityRef={glance.entityRef}
                    chips={glance.chips}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Unreachable glance={unreachableOf(glances)} />
      </>
    );
  }
  return (
    <InfoCard title={title} variant="gridItem">
      {body}
    </InfoCard>
  );
}
