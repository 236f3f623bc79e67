export interface Config {
  /**
   * The GitOps repository that ArgoCD reconciles. The scaffolder's GitOps actions write to it;
   * the catalog module `gitops` follows it so that what the templates commit appears in the
   * catalog without a registration step.
   */
  gitops?: {
    /**
     * Any URL the git CLI accepts: a local path (resolved against the backend's working
     * directory), `file://`, `ssh://` or `http(s)://`. For http(s) the token or password of
     * the `integrations` entry for the host is sent as an HTTP header (never put credentials
     * in this URL).
     */
    remote: string;
    /**
     * The branch the catalog follows; the scaffolder pushes to it (or targets it with pull
     * requests). Defaults to `main`.
     */
    branch?: string;
    /**
     * How to link a file of the repository, `{sha}` and `{path}` substituted, e.g.
     * `https://github.com/acme/gitops/tree/{sha}/{path}`. The catalog substitutes the branch
     * for `{sha}` so that entities do not change with every commit. Omitted: the entities
     * point at the file in the module's local checkout (`file:` locations).
     */
    browseUrlTemplate?: string;
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
       * Where the module keeps its checkout of the remote. Defaults to a directory under the
       * system's temporary directory, named after the remote.
       */
      workDir?: string;
    };
  };
}
