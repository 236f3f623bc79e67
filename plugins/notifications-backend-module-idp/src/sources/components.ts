import type { AuthService } from '@backstage/backend-plugin-api';
import {
  RELATION_OWNED_BY,
  getCompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** A catalog Component with the entity ref of its owning team. */
export interface OwnedComponent {
  entity: Entity;
  ownerRef: string;
}

/** The catalog Components that have an owner, read with the module's own service credentials. */
export async function loadOwnedComponents(
  catalog: CatalogService,
  auth: AuthService,
): Promise<OwnedComponent[]> {
  const { items } = await catalog.getEntities(
    { filter: { kind: 'Component' } },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items.flatMap(entity => {
    const owner = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
    return owner ? [{ entity, ownerRef: owner.targetRef }] : [];
  });
}

/** The entity page's path in the portal, e.g. `/catalog/default/component/shop`. */
export function entityPath(entity: Entity): string {
  const { namespace, kind, name } = getCompoundEntityRef(entity);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}
