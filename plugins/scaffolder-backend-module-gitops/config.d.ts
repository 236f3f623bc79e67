export interface Config {
  /**
   * Where the portal's scaffolder actions write: the GitOps repository that ArgoCD reconciles.
   */
  gitops?: {
    /**
     * Any URL the git CLI accepts: a local path (resolved against the backend's working
     * directory), `file://`, `ssh://` or `http(s)://`. For http(s) the token comes from the
     * `integrations` entry for the host (never put credentials in this URL).
     */
    remote: string;
    /**
     * Branch commits go to (push mode) and pull requests target (pull-request mode).
     * Defaults to `main`.
     */
    branch?: string;
    /**
     * `push` (default): commit and push to `branch` directly (the embedded sandbox remote).
     * `pull-request`: push a branch `idp/<template>-<entity>-<short>` and open a GitHub pull
     * request against `branch` (production).
     */
    mode?: 'push' | 'pull-request';
    /**
     * Link to a commit shown in the task output; `{sha}` and `{path}` are substituted, e.g.
     * `https://github.com/acme/gitops/tree/{sha}/{path}`. Omitted: no browse URL.
     */
    browseUrlTemplate?: string;
    /**
     * When true, any signed-in user may onboard a NEW team (laptop/demo). When false (default),
     * only members of `platformGroup` may onboard teams.
     */
    selfServiceOnboarding?: boolean;
    /**
     * The group whose members may act for every team. Defaults to `group:default/platform-team`.
     */
    platformGroup?: string;
    /**
     * How many times a rejected (non-fast-forward) push is retried after fetch + rebase.
     * Defaults to 5.
     */
    pushRetries?: number;
    /**
     * Author used when the task has no user (e.g. a service-initiated task).
     * Defaults to `IDP Portal <idp-portal@noreply.local>`.
     */
    /**
     * What the pre-commit policy check (`gitops:policy:check`) does with an Enforce policy rule
     * that the embedded engine cannot evaluate (a construct it does not implement, such as
     * `cel`, an API-call context or `x509_decode()`, or an evaluation error): `fail` (default)
     * stops the task with "this policy cannot be checked before commit" and the reason, since
     * the cluster would enforce it; `warn` logs that and lets the commit through.
     */
    unverifiableEnforcePolicies?: 'fail' | 'warn';
    fallbackAuthor?: {
      /** Commit author name. */
      name: string;
      /** Commit author email. */
      email: string;
    };
  };
}
