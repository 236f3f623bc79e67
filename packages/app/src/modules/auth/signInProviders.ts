import { ApiRef } from '@backstage/frontend-plugin-api';
import { Config } from '@backstage/config';
import type { SignInProviderConfig } from '@backstage/core-components';

/**
 * Maps `app.signIn.providers` to the sign-in page's choices. The auth provider
 * config itself is not visible to the browser, hence this separate list.
 */
export function signInProvidersFromConfig(
  config: Pick<Config, 'getOptionalStringArray'>,
  oidcApiRef: ApiRef<any>,
): Array<'guest' | SignInProviderConfig> {
  const configured = config.getOptionalStringArray('app.signIn.providers') ?? [
    'guest',
  ];
  return configured.map(id => {
    switch (id) {
      case 'guest':
        return 'guest';
      case 'oidc':
        return {
          id: 'oidc',
          title: 'Single sign-on',
          message: 'Sign in with your company account',
          apiRef: oidcApiRef,
        };
      default:
        throw new Error(
          `app.signIn.providers: unknown sign-in provider '${id}', expected guest or oidc`,
        );
    }
  });
}
