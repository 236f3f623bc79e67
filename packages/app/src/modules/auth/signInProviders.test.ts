import { ConfigReader } from '@backstage/config';
import { createApiRef } from '@backstage/frontend-plugin-api';
import { signInProvidersFromConfig } from './signInProviders';

const apiRef = createApiRef<unknown>({ id: 'test.oidc' });

describe('signInProvidersFromConfig', () => {
  it.each([
    [undefined, ['guest']],
    [['guest'], ['guest']],
    [['oidc'], ['oidc']],
    [
      ['oidc', 'guest'],
      ['oidc', 'guest'],
    ],
  ])('providers %j offer %j', (providers, expected) => {
    const config = new ConfigReader({ app: { signIn: { providers } } });
    const ids = signInProvidersFromConfig(config, apiRef).map(p =>
      typeof p === 'string' ? p : p.id,
    );
    expect(ids).toEqual(expected);
  });

  it('rejects an unknown provider with a clear message', () => {
    const config = new ConfigReader({
      app: { signIn: { providers: ['github'] } },
    });
    expect(() => signInProvidersFromConfig(config, apiRef)).toThrow(
      "unknown sign-in provider 'github'",
    );
  });
});
