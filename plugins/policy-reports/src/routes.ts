import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The "Policy compliance" page. */
export const rootRouteRef = createRouteRef();

/** The detail page of one ClusterPolicy. */
export const policyRouteRef = createRouteRef({ params: ['policyName'] });
