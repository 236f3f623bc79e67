import type { Entity } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type { EntityGlance } from '../glance/types';

/** The status of components at a glance, from the views that know each part. @public */
export interface StatusGlanceApi {
  /** One glance per entity, in the order given; never rejects for a view that failed. */
  getGlances(entities: Entity[]): Promise<EntityGlance[]>;
}

/** @public */
export const statusGlanceApiRef = createApiRef<StatusGlanceApi>().with({
  id: 'plugin.status-glance.api',
});
