import { InputError, ResponseError } from '@backstage/errors';

/** `owner/repo` of a GitHub http(s) remote, e.g. `https://github.com/acme/gitops.git`. */
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

/** The branch a pull request is opened from: `idp/<template>-<entity>-<short>`, ref-safe. */
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

/** Opens a pull request through the GitHub REST API; returns its html URL. */
export async function openGithubPullRequest(opts: {
  apiBaseUrl: string;
  owner: string;
  repo: string;
  token: string;
  head: string;
  base: string;
  title: string;
  body: string;
  fetchImpl?: typeof fetch;
}): Promise<string> {
  const res = await (opts.fetchImpl ?? fetch)(
    `${opts.apiBaseUrl}/repos/${opts.owner}/${opts.repo}/pulls`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${opts.token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        head: opts.head,
        base: opts.base,
        title: opts.title,
        body: opts.body,
      }),
    },
  );
  if (!res.ok) {
    throw await ResponseError.fromResponse(res as any);
  }
  const json = (await res.json()) as { html_url: string };
  return json.html_url;
}
