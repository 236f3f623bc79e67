import { ConfigReader } from '@backstage/config';
import { authConfigProblem } from './startupChecks';

describe('authConfigProblem', () => {
  const oidc = {
    production: {
      metadataUrl: 'https://idp/',
      clientId: 'c',
      clientSecret: 's',
    },
  };

  it('names the key and the variable when OIDC has no session secret', () => {
    const problem = authConfigProblem(
      new ConfigReader({ auth: { providers: { oidc } } }),
    );
    expect(problem).toMatch(/^auth\.session\.secret is not set/);
    expect(problem).toContain('AUTH_SESSION_SECRET');
    // one sentence
    expect(problem!.split(/\.\s/)).toHaveLength(1);
  });

  it('accepts OIDC with a session secret, and guest sign-in without one', () => {
    expect(
      authConfigProblem(
        new ConfigReader({
          auth: { session: { secret: 'x' }, providers: { oidc } },
        }),
      ),
    ).toBeUndefined();
    expect(
      authConfigProblem(
        new ConfigReader({ auth: { providers: { guest: {} } } }),
      ),
    ).toBeUndefined();
  });
});
