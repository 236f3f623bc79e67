import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the logs of the pods that belong to a catalog entity (by its Kubernetes annotations).
 * A resource permission on the entity, so a policy can grant it to the entity's owners only;
 * the Kubernetes proxy (`kubernetes.proxy`) stays closed because it can do anything the
 * portal's service account can.
 *
 * @public
 */
export const podLogsReadPermission = createPermission({
  name: 'kubernetes.pod-logs.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
