import { ScmIntegrationRegistry } from '@backstage/integration';

/** The user name each integration type expects beside a token in HTTP basic auth. */
const TOKEN_USER: Record<string, string> = {
  github: 'x-access-token',
  gitlab: 'oauth2',
};

/** What an integration entry may carry (every type's config has some of these). */
interface IntegrationSecrets {
  token?: string;
  username?: string;
  password?: string;
}

/**
 * The secret of the `integrations` entry that covers `remote`, for git over http(s) and for REST
 * calls (pull requests); undefined for other remotes or entries without one.
 *
 * @public
 */
export function integrationCredentials(
  integrations: ScmIntegrationRegistry,
  remote: string,
): { type: string; user: string; secret: string } | undefined {
  if (!/^https?:\/\//i.test(remote)) return undefined;
  const integration = integrations.byUrl(remote);
  if (!integration) return undefined;
  // every integration type carries its config entry; the base type does not declare it
  const cfg = (integration as unknown as { config: IntegrationSecrets }).config;
  const secret = cfg.token ?? cfg.password;
  if (!secret) return undefined;
  return {
    type: integration.type,
    user: cfg.username ?? TOKEN_USER[integration.type] ?? 'git',
    secret,
  };
}

/**
 * `git -c` arguments that authenticate an http(s) remote with the token of the `integrations`
 * entry for its host (ScmIntegrations decides which entry, as for every other Backstage
 * integration). The secret travels as an HTTP header, never in the URL, so it cannot reach
 * `.git/config`, an error message or a task log.
 *
 * @public
 */
export function gitAuthArgs(
  integrations: ScmIntegrationRegistry,
  remote: string,
): string[] {
  const credentials = integrationCredentials(integrations, remote);
  if (!credentials) return [];
  const basic = Buffer.from(
    `${credentials.user}:${credentials.secret}`,
  ).toString('base64');
  return ['-c', `http.extraHeader=Authorization: Basic ${basic}`];
}
