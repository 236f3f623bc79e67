export interface Config {
  app?: {
    signIn?: {
      /**
       * The sign-in methods the sign-in page offers, in order: `guest` on a laptop
       * (app-config.local.yaml), `oidc` in production (app-config.production.yaml). Each must match a
       * provider configured under `auth.providers`.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'oidc'>;
    };
  };
}
