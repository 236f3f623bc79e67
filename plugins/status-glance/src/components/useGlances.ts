import { useEffect, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { statusGlanceApiRef } from '../api';
import type { EntityGlance } from '../glance/types';

/** How often a shown glance is asked again: the views behind it refresh every 5–10 s. */
export const GLANCE_REFRESH_MS = 10_000;

export type GlancesState =
  | { loading: true; glances?: undefined; error?: undefined }
  | { loading: false; glances?: EntityGlance[]; error?: Error };

/**
 * The glances of `entities`, asked again every `GLANCE_REFRESH_MS` while shown. A later failure
 * replaces what was shown: an old answer is not kept as if it were current.
 */
export function useGlances(entities: Entity[] | undefined): GlancesState {
  const api = useApi(statusGlanceApiRef);
  const [state, setState] = useState<GlancesState>({ loading: true });
  useEffect(() => {
    if (!entities) return undefined;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      api
        .getGlances(entities)
        .then(
          glances => current && setState({ loading: false, glances }),
          error => current && setState({ loading: false, error }),
        )
        .finally(() => {
          if (current) timer = setTimeout(load, GLANCE_REFRESH_MS);
        });
    };
    load();
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, entities]);
  return state;
}
