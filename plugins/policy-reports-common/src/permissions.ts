import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the policy results of one catalog entity. A resource permission on
 * catalog entities so that a permission policy can restrict it with catalog
 * conditions such as "is owner".
 *
 * @public
 */
export const policyReportsEntityReadPermission = createPermission({
  name: 'policyReports.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Reading the cluster-wide compliance overview and policy details.
 *
 * @public
 */
export const policyReportsOverviewReadPermission = createPermission({
  name: 'policyReports.overview.read',
  attributes: { action: 'read' },
});

/** Every permission of the plugin, for registration with the permission framework. @public */
export const policyReportsPermissions = [
  policyReportsEntityReadPermission,
  policyReportsOverviewReadPermission,
];
