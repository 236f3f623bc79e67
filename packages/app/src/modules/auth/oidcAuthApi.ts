import {
  ApiRef,
  BackstageIdentityApi,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
  createApiRef,
} from '@backstage/frontend-plugin-api';

/**
 * The generic OIDC sign-in used in production (Dex, Entra ID, Keycloak...).
 * The backend side is `@backstage/plugin-auth-backend-module-oidc-provider`
 * under the provider id `oidc`.
 */
export const oidcAuthApiRef: ApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
> = createApiRef({
  id: 'internal.auth.oidc',
});
