import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  parseTier,
  TIER_ANNOTATION,
  type CatalogComponent,
} from '@internal/plugin-tier-health-common';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@internal/kube-model';

/** The catalog view of one entity: how it claims workloads and which tier it says it is. */
export function catalogComponentOf(entity: Entity): CatalogComponent {
  const annotations = entity.metadata.annotations ?? {};
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title,
    kubernetesId: annotations[KUBERNETES_ID_ANNOTATION],
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION],
    labelSelector: annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
    tier: parseTier(annotations[TIER_ANNOTATION]),
  };
}

/**
 * The Components that claim Kubernetes workloads, read with the caller's credentials so people
 * only see entity names the catalog lets them see.
 */
export async function readCatalogComponents(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<CatalogComponent[]> {
  const { items } = await catalog.getEntities(
    {
      filter: { kind: 'Component' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
      ],
    },
    { credentials },
  );
  return items
    .map(catalogComponentOf)
    .filter(c => c.kubernetesId || c.labelSelector);
}
