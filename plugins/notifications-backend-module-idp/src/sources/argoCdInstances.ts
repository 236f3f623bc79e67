import type { Config } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import type { ObjectMeta } from '@internal/kube-model';

/** One ArgoCD instance of `argocd.appLocatorMethods` (the Roadie backend's keys). */
export interface ArgoCdInstance {
  name: string;
  url: string;
  token?: string;
  username?: string;
  password?: string;
}

/** The Application fields the detector reads. */
export interface ArgoCdApplication {
  metadata: ObjectMeta;
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
  };
}

/** Reads the instances of `argocd.appLocatorMethods[type=config]`, the same ones the ArgoCD tab uses. */
export function readArgoCdInstances(config: Config): ArgoCdInstance[] {
  const methods =
    config.getOptionalConfigArray('argocd.appLocatorMethods') ?? [];
  return methods
    .filter(method => method.getString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('instances') ?? [])
    .map(instance => ({
      name: instance.getString('name'),
      url: instance.getString('url').replace(/\/+$/, ''),
      token: instance.getOptionalString('token'),
      username: instance.getOptionalString('username'),
      password: instance.getOptionalString('password'),
    }));
}

/** Lists an instance's Applications over the ArgoCD REST API, signing in when it has no token. */
export class ArgoCdApplicationsClient {
  private readonly sessions = new Map<string, string>();

  async list(instance: ArgoCdInstance): Promise<ArgoCdApplication[]> {
    let response = await this.get(instance, false);
    if (response.status === 401 && !instance.token) {
      this.sessions.delete(instance.name); // the session expired: sign in again
      response = await this.get(instance, true);
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as {
      items?: ArgoCdApplication[] | null;
    };
    return body.items ?? [];
  }

  private async get(instance: ArgoCdInstance, freshSession: boolean) {
    const token = await this.token(instance, freshSession);
    return fetch(`${instance.url}/api/v1/applications`, {
      headers: { authorization: `Bearer ${token}` },
    });
  }

  private async token(
    instance: ArgoCdInstance,
    fresh: boolean,
  ): Promise<string> {
    if (instance.token) return instance.token;
    const cached = this.sessions.get(instance.name);
    if (cached && !fresh) return cached;
    if (!instance.username || !instance.password) {
      throw new Error(
        `ArgoCD instance ${instance.name} has neither a token nor a username and password`,
      );
    }
    const response = await fetch(`${instance.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: instance.username,
        password: instance.password,
      }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const { token } = (await response.json()) as { token: string };
    this.sessions.set(instance.name, token);
    return token;
  }
}
