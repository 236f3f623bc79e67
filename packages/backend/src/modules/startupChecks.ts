import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * Configuration the backend cannot work with, as one sentence naming the key and the
 * environment variable app-config.production.yaml reads it from; undefined when fine.
 * Pure, so each combination is unit tested without starting a backend.
 */
export function authConfigProblem(config: Config): string | undefined {
  if (
    config.has('auth.providers.oidc') &&
    !config.getOptionalString('auth.session.secret')
  ) {
    return (
      'auth.session.secret is not set but OIDC sign-in (auth.providers.oidc) needs it to ' +
      'keep its state across the redirect: set AUTH_SESSION_SECRET, which ' +
      'app-config.production.yaml reads into auth.session.secret.'
    );
  }
  return undefined;
}

/**
 * Refuses to start the auth plugin (and with it the backend) on an impossible auth
 * configuration, instead of answering 500 at the first sign-in.
 */
export const authStartupChecks = createBackendModule({
  pluginId: 'auth',
  moduleId: 'startup-checks',
  register(env) {
    env.registerInit({
      deps: { config: coreServices.rootConfig },
      async init({ config }) {
        const problem = authConfigProblem(config);
        if (problem) {
          throw new Error(problem);
        }
      },
    });
  },
});
