export interface Config {
  /**
   * The GitOps repository that ArgoCD reconciles: the scaffolder's GitOps actions write to it,
   * the catalog module `gitops` follows it (so what the templates commit appears in the catalog
   * without a registration step), and the permission policy takes its platform group from here.
   * Read by one reader, `readGitopsConfig` in `@internal/gitops-repo`.
   */
  gitops?: {
    /**
     * Any URL the git CLI accepts: a local path (resolved against the backend's working
     * directory), `file://`, `ssh://` or `http(s)://`. For http(s) the token or password of the
     * `integrations` entry for the host is sent as an HTTP header (never put credentials in this
     * URL). Production: `GITOPS_REMOTE_URL`.
     */
    remote: string;
    /**
     * The branch commits go to (push mode), pull requests target (pull-request mode) and the
     * catalog follows. Defaults to `main`.
     */
    branch?: string;
    /**
     * `push` (default): commit and push to `branch` directly (the embedded sandbox remote).
     * `pull-request`: push a branch `idp/<template>-<entity>-<short>` and open a GitHub pull
     * request against `branch` (production). The backend refuses to start in this mode unless
     * `remote` is an https URL on a host of an `integrations.github` entry with a token
     * (`GITHUB_TOKEN`).
     */
    mode?: 'push' | 'pull-request';
    /**
     * Link to a file at a commit, `{sha}` and `{path}` substituted, e.g.
     * `https://github.com/acme/gitops/tree/{sha}/{path}`: shown after a task, and used as the
     * catalog entities' location (with the branch for `{sha}`, so entities do not change with
     * every commit). Omitted: no browse URL; entities point at the catalog's local checkout.
     */
    browseUrlTemplate?: string;
    /**
     * When true, any signed-in user may onboard a NEW team (laptop/demo). When false (default),
     * only members of `platformGroup` may.
     */
    selfServiceOnboarding?: boolean;
    /**
     * The group whose members may act for every team, in the actions and in the permission
     * policy. Defaults to `group:default/platform-team`.
     */
    platformGroup?: string;
    /**
     * Prefixes an onboarding's identity-provider group (`ownerGroup`, the RoleBinding subject)
     * may carry, each a name followed by `:` or `/`, e.g. `oidc:` when the API server's OIDC
     * groups prefix is `oidc:`. Without one, `ownerGroup` must be a plain group name (no `:` or
     * `/`). `system:*` and `kube-*` are always refused. Defaults to none.
     */
    ownerGroupPrefixes?: string[];
    /**
     * How long, in seconds, a commit keeps retrying a push that the remote rejected because
     * another writer moved the branch first (each retry fetches, rebases onto the new head and
     * checks the policies again, with jittered backoff). Pushes of one backend to one remote
     * queue up in-process, so only other replicas cause rejections. Defaults to 120.
     */
    pushDeadlineSeconds?: number;
    /**
     * What the pre-commit policy check (`gitops:policy:check`, and the commit's check after a
     * rebase) does with an Enforce policy rule that the embedded engine cannot evaluate (a
     * construct it does not implement, such as `cel`, an API-call context or `x509_decode()`,
     * or an evaluation error): `fail` (default) stops the task with "this policy cannot be
     * checked before commit" and the reason, since the cluster would enforce it; `warn` logs
     * that and lets the commit through.
     */
    unverifiableEnforcePolicies?: 'fail' | 'warn';
    /**
     * Author used when the task has no user (e.g. a service-initiated task).
     * Defaults to `IDP Portal <idp-portal@noreply.local>`.
     */
    fallbackAuthor?: {
      /** Commit author name. */
      name: string;
      /** Commit author email. */
      email: string;
    };
    /**
     * What the catalog reads from the GitOps repository.
     */
    catalog?: {
      /**
       * Globs of catalog files, relative to the repository root: `*` matches within one path
       * segment, `**` any number of segments. Only what the portal's templates write belongs
       * here: the platform's own entities are loaded by the Location in the project's
       * catalog-info.yaml, and an entity emitted by both would conflict.
       * Defaults to the files the templates write: `catalog-info.yaml` in
       * `K8s/teams/<team>/` and in `K8s/apps/<team>/<service>/`.
       */
      paths?: string[];
      /**
       * How often the remote is fetched, in seconds. Short, because it is also how soon a
       * scaffolder commit shows up in the catalog (a fetch without new commits costs one
       * `git fetch` and no catalog write). Defaults to 5.
       */
      refreshIntervalSeconds?: number;
      /**
       * Where this backend keeps its checkout of the remote. Defaults to a directory under the
       * system's temporary directory, named after the remote; give each backend process on one
       * machine its own.
       */
      workDir?: string;
    };
  };
}
