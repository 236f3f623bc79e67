import { createExternalRouteRef } from '@backstage/frontend-plugin-api';

/** Where the tier and cluster chips link: the tier-health plugin's Platform health page. */
export const platformHealthRouteRef = createExternalRouteRef({
  defaultTarget: 'tier-health.root',
});
