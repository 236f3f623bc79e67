import { InputError, ResponseError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';

/**
 * The branch a pull request is opened from: `idp/<template>-<entity>-<short>`, ref-safe.
 *
 * @public
 */
export function pullRequestBranch(
  template: string,
  entity: string,
  short: string,
): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x';
  return `idp/${clean(template)}-${clean(entity)}-${clean(short).slice(0, 8)}`;
}

/**
 * `owner/repo` of a GitHub http(s) remote, e.g. `https://github.com/acme/gitops.git`.
 *
 * @public
 */
export function parseGithubRemote(remote: string): {
  host: string;
  owner: string;
  repo: string;
} {
  const m = /^https?:\/\/([^/]+)\/([^/]+)\/([^/]+?)(\.git)?\/?$/i.exec(remote);
  if (!m) {
    throw new InputError(
      `gitops.mode 'pull-request' needs an https GitHub remote like https://github.com/<owner>/<repo>.git, got ${remote}`,
    );
  }
  return { host: m[1], owner: m[2], repo: m[3] };
}

/**
 * What {@link openPullRequest} opens.
 *
 * @public
 */
export interface PullRequestRequest {
  /** The remote (`gitops.remote`); its `integrations.github` entry gives API URL and token. */
  remote: string;
  head: string;
  base: string;
  title: string;
  body: string;
  fetchImpl?: typeof fetch;
}

/**
 * Opens a pull request through the GitHub REST API of the `integrations.github` entry that
 * covers the remote (ScmIntegrations picks it, as for every Backstage integration).
 *
 * @public
 * @returns the pull request's html URL
 */
export async function openPullRequest(
  integrations: ScmIntegrationRegistry,
  req: PullRequestRequest,
): Promise<string> {
  const { owner, repo } = parseGithubRemote(req.remote);
  const github = integrations.github.byUrl(req.remote);
  if (!github?.config.token) {
    throw new InputError(
      `no integrations.github token for ${req.remote}; pull-request mode needs one (GITHUB_TOKEN)`,
    );
  }
  const apiBaseUrl = github.config.apiBaseUrl ?? 'https://api.github.com';
  const res = await (req.fetchImpl ?? fetch)(
    `${apiBaseUrl}/repos/${owner}/${repo}/pulls`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${github.config.token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        head: req.head,
        base: req.base,
        title: req.title,
        body: req.body,
      }),
    },
  );
  if (!res.ok) {
    throw await ResponseError.fromResponse(res as any);
  }
  const json = (await res.json()) as { html_url: string };
  return json.html_url;
}
