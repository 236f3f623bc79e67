// The OpenID provider of the production stage of scripts/test.sh: `oidc-provider` from npm (the
// certified implementation many IdPs build on) with its own login and consent forms, on
// 127.0.0.1. Its accounts are the catalog's Users (K8s/catalog-info.yaml): the login is the
// User's name, the email claim (verified) the User's spec.profile.email, which is what the
// portal's sign-in resolver matches. One extra account, `outsider`, has an email no User has,
// so the stage can show that the portal refuses people the catalog does not know.
// Refresh tokens are issued as the spec says: only for offline_access, granted on the consent
// screen.
//
//   OIDC_PORT=7190 OIDC_CLIENT_ID=portal OIDC_CLIENT_SECRET=s \
//   OIDC_REDIRECT_URI=http://localhost:7007/api/auth/oidc/handler/frame node e2e-tests/production/oidc-provider.mjs
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';
import { parseAllDocuments } from 'yaml';

const port = Number(process.env.OIDC_PORT ?? 7190);
const issuer = `http://127.0.0.1:${port}`;
const { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI } = process.env;
if (!OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET || !OIDC_REDIRECT_URI) {
  console.error(
    'OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI are required',
  );
  process.exit(2);
}

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const accounts = new Map();
for (const doc of parseAllDocuments(
  fs.readFileSync(path.join(repoRoot, 'K8s/catalog-info.yaml'), 'utf8'),
)) {
  const entity = doc.toJS();
  if (entity?.kind === 'User' && entity.spec?.profile?.email) {
    accounts.set(entity.metadata.name, {
      email: entity.spec.profile.email,
      name: entity.spec.profile.displayName ?? entity.metadata.name,
    });
  }
}
accounts.set('outsider', { email: 'outsider@example.org', name: 'Out Sider' });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  async findAccount(_ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: account.email,
          email_verified: true,
          name: account.name,
        };
      },
    };
  },
  // the provider's own login and consent forms
  features: { devInteractions: { enabled: true } },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  ttl: { AccessToken: 600, IdToken: 600, RefreshToken: 3600 },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(
    `[oidc-provider] ${issuer} with ${accounts.size} accounts: ${[
      ...accounts.keys(),
    ].join(', ')}`,
  );
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
