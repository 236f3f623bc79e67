export interface Config {
  /**
   * Notifications the portal sends to the owning team when something of theirs goes wrong
   * (module `@internal/plugin-notifications-backend-module-idp`). ArgoCD instances come from
   * `argocd.appLocatorMethods`, policy results and tier state from the policy-reports and
   * tier-health backends.
   */
  idpNotifications?: {
    /**
     * How often the detection runs, in seconds. It runs on one replica at a time (a global
     * scheduled task); defaults to 15.
     */
    frequencySeconds?: number;
    /**
     * How long an ArgoCD Application must stay OutOfSync or Degraded before its owners are
     * notified, in seconds; shorter blips (a rollout, a sync in flight) stay quiet. Defaults to
     * 120.
     */
    applicationUnhealthyAfterSeconds?: number;
  };
}
