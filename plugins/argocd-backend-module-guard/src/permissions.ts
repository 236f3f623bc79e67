import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Syncing an Application, or terminating its running operation, through the portal
 * (Roadie's `POST /sync` and `DELETE .../applications/:app/operation`). ArgoCD's automated
 * sync applies every commit already; this is the manual override.
 */
export const argocdApplicationSyncPermission = createPermission({
  name: 'argocd.application.sync',
  attributes: { action: 'update' },
});

/**
 * Creating, changing or deleting Applications and AppProjects through the portal (Roadie's
 * `createArgo`, `updateArgo`, `DELETE .../applications/:app`, and any write route a later
 * Roadie version adds). Git is the platform's write path, so this is platform-team work.
 */
export const argocdApplicationWritePermission = createPermission({
  name: 'argocd.application.write',
  attributes: { action: 'update' },
});

export const argocdPermissions = [
  argocdApplicationSyncPermission,
  argocdApplicationWritePermission,
];
