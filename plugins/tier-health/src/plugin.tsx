import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { TIER_ANNOTATION } from '@internal/plugin-tier-health-common';
import TrafficIcon from '@material-ui/icons/Traffic';
import { TierHealthClient, tierHealthApiRef } from './api';

const tierHealthApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: tierHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TierHealthClient({ discoveryApi, fetchApi }),
    }),
});

/** The Platform health page; other plugins may link to it through this ref. */
export const platformHealthRouteRef = createRouteRef();

/** Pages with a route ref, a title and an icon become sidebar items. */
const platformHealthPage = PageBlueprint.make({
  params: {
    path: '/platform-health',
    routeRef: platformHealthRouteRef,
    title: 'Platform health',
    icon: <TrafficIcon />,
    loader: () =>
      import('./components/PlatformHealthPage/PlatformHealthPage').then(m => (
        <m.PlatformHealthPage />
      )),
  },
});

const entityTierCard = EntityCardBlueprint.make({
  name: 'tier',
  params: {
    filter: entity =>
      entity.kind === 'Component' &&
      Boolean(entity.metadata.annotations?.[TIER_ANNOTATION]),
    loader: () =>
      import('./components/EntityTierCard/EntityTierCard').then(m => (
        <m.EntityTierCard />
      )),
  },
});

/**
 * Tier health: the Platform health page and the entity tier card.
 *
 * @public
 */
export const tierHealthPlugin = createFrontendPlugin({
  pluginId: 'tier-health',
  routes: { root: platformHealthRouteRef },
  extensions: [tierHealthApi, platformHealthPage, entityTierCard],
});
