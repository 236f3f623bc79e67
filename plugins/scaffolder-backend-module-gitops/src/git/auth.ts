import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';

/**
 * `git -c` arguments that authenticate an http(s) remote with the token of its `integrations`
 * entry. The token travels as an HTTP header, never in the URL, so it cannot end up in
 * `.git/config`, in error messages or in the task log.
 */
export function gitAuthArgs(rootConfig: Config, remote: string): string[] {
  if (!/^https?:\/\//i.test(remote)) {
    return [];
  }
  const integration = ScmIntegrations.fromConfig(rootConfig).byUrl(remote);
  if (!integration) {
    return [];
  }
  // every integration type carries its config entry; the base type does not declare it
  const cfg = (integration as unknown as { config: unknown }).config as {
    token?: string;
    username?: string;
    password?: string;
  };
  const secret = cfg.token ?? cfg.password;
  if (!secret) {
    return [];
  }
  const defaultUser: Record<string, string> = {
    github: 'x-access-token',
    gitlab: 'oauth2',
  };
  const user = cfg.username ?? defaultUser[integration.type] ?? 'git';
  const basic = Buffer.from(`${user}:${secret}`).toString('base64');
  return ['-c', `http.extraHeader=Authorization: Basic ${basic}`];
}

/** The token of the remote's integration, for REST calls (pull requests). */
export function integrationToken(
  rootConfig: Config,
  remote: string,
): string | undefined {
  const integration = ScmIntegrations.fromConfig(rootConfig).byUrl(remote);
  const cfg = (integration as unknown as { config?: unknown } | undefined)
    ?.config as { token?: string; password?: string } | undefined;
  return cfg?.token ?? cfg?.password;
}
