import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import { observabilitySelectors } from './observabilityLinks';

const hasWorkload = (entity: Entity) => !!observabilitySelectors(entity);

/** The Observability card on a component's overview: dashboard, logs, metrics, ServiceMonitor. */
export const observabilityModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [
    EntityCardBlueprint.make({
      name: 'observability',
      params: {
        filter: hasWorkload,
        loader: async () => {
          const { ObservabilityCard } = await import('./ObservabilityCard');
          return <ObservabilityCard />;
        },
      },
    }),
  ],
});
