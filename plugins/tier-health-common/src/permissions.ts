import { createPermission } from '@backstage/plugin-permission-common';

/** Read cluster states, tier lanes, failure domains and entity tier status. @public */
export const tierHealthReadPermission = createPermission({
  name: 'tierHealth.read',
  attributes: { action: 'read' },
});

/**
 * Read node details (conditions, taints, allocatable vs requested, pods per node); may be
 * restricted to the platform team by policy.
 *
 * @public
 */
export const tierHealthNodesReadPermission = createPermission({
  name: 'tierHealth.nodes.read',
  attributes: { action: 'read' },
});

/** @public */
export const tierHealthPermissions = [
  tierHealthReadPermission,
  tierHealthNodesReadPermission,
];
