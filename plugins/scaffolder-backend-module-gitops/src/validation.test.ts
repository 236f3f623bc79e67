import {
  assertRendered,
  normalizeOwnerRef,
  ownerGroupProblem,
  validateServiceInput,
  validateTeamInput,
} from './validation';

const PLATFORM = ['monitoring', 'vault', 'backstage', 'logging'];

const team = {
  team: 'payments',
  displayName: 'Payments',
  businessUnit: 'commerce',
  environment: 'production',
  quotaSize: 'small',
  costCenter: 'CC-1234',
};

const service = {
  name: 'web',
  owner: 'payments',
  description: 'The web shop',
  image: 'ghcr.io/acme/web',
  tag: '1.2.3',
  port: 8080,
  replicas: 2,
  tier: 4,
  exposure: 'none',
};

describe('validateTeamInput', () => {
  it('accepts a valid team and defaults ownerGroup to the team', () => {
    expect(validateTeamInput(team, PLATFORM).ownerGroup).toBe('payments');
  });

  it.each([
    [{ team: 'Payments' }, /DNS-1123/],
    [{ team: 'pay_ments' }, /DNS-1123/],
    [{ team: '-pay' }, /DNS-1123/],
    [{ team: '' }, /team is required/],
    [{ team: 'a'.repeat(41) }, /at most 40/],
    [{ team: 'default' }, /reserved/],
    [{ team: 'kube-system' }, /reserved/],
    [{ team: 'kube-foo' }, /reserved/],
    [{ team: 'argocd' }, /reserved/],
    [{ team: 'kyverno' }, /reserved/],
    [{ team: 'kyverno-system' }, /reserved/],
    [{ team: 'platform-team' }, /reserved/],
    [{ team: 'monitoring' }, /reserved/],
    [{ team: 'vault' }, /reserved/],
    [{ team: '../etc' }, /DNS-1123/],
    [{ displayName: 'Pay\nments' }, /single line/],
    [{ displayName: 'x'.repeat(65) }, /at most 64/],
    [{ description: 'a\u0000b' }, /single line/],
    [{ description: 'x'.repeat(281) }, /at most 280/],
    [{ businessUnit: 'Commerce Unit' }, /businessUnit/],
    [{ costCenter: 'CC 12: x' }, /costCenter/],
    [{ environment: 'qa' }, /environment/],
    [{ quotaSize: 'huge' }, /quotaSize/],
    [{ ownerGroup: 'a b' }, /ownerGroup/],
  ])('refuses %j', (patch, message) => {
    expect(() => validateTeamInput({ ...team, ...patch }, PLATFORM)).toThrow(
      message,
    );
  });

  it('keeps YAML-significant characters as plain text (the serializer quotes them)', () => {
    expect(
      validateTeamInput(
        { ...team, displayName: 'Pay: {ments} #1 - &x *y' },
        PLATFORM,
      ).displayName,
    ).toBe('Pay: {ments} #1 - &x *y');
  });
});

describe('validateServiceInput', () => {
  it('accepts a valid service', () => {
    expect(validateServiceInput(service, PLATFORM).name).toBe('web');
  });

  it.each([
    [{ name: 'Web' }, /DNS-1123/],
    [{ name: 'a'.repeat(31) }, /at most 30/],
    [{ name: 'default' }, /reserved/],
    [{ owner: 'monitoring' }, /platform namespace/],
    [{ owner: '../x' }, /owner must be a Group of the default namespace/],
    [
      { owner: 'Team_X' },
      /owner 'Team_X' names no team: its name must be a DNS-1123 label/,
    ],
    [
      { owner: 'user:default/bob' },
      /owner must be a catalog Group ref .* got a user ref/,
    ],
    [{ image: 'ghcr.io/acme/web:1.0' }, /without a tag/],
    [{ image: 'ghcr.io/acme/web:latest' }, /without a tag/],
    [{ image: 'ghcr.io/acme/web@sha256:abc' }, /digest/],
    [{ image: 'ghcr.io/../etc' }, /"\.\."/],
    [{ image: 'UPPER/web' }, /image repository/],
    [{ tag: 'latest' }, /latest/],
    [{ tag: 'LATEST' }, /latest/],
    [{ tag: '1.0\nx' }, /valid image tag/],
    [{ tag: undefined }, /exactly one of tag or semverRange/],
    [{ semverRange: '^1.2' }, /exactly one of tag or semverRange/],
    [{ tag: undefined, semverRange: 'whatever' }, /semver constraint/],
    [{ port: 0 }, /port/],
    [{ port: 70000 }, /port/],
    [{ replicas: 0 }, /replicas/],
    [{ replicas: 11 }, /replicas/],
    [{ tier: 5 }, /tier/],
    [{ exposure: 'public' }, /hostname is required/],
    [{ exposure: 'internal', hostname: 'not a host' }, /DNS name/],
    [{ metricsPath: 'metrics' }, /URL path/],
    [{ metricsPath: '/../admin' }, /URL path/],
    [{ secrets: ['../other-team/db'] }, /Vault key/],
    [{ secrets: ['/abs'] }, /Vault key/],
    [{ secrets: ['db', 'db'] }, /repeat/],
    [{ imageUpdate: 'tag-pattern' }, /tagPattern is required/],
    [{ imageUpdate: 'tag-pattern', tagPattern: '(' }, /regular expression/],
    [{ imageUpdate: 'semver' }, /needs a semverRange/],
    [{ description: 'x\ny' }, /single line/],
  ])('refuses %j', (patch, message) => {
    expect(() =>
      validateServiceInput({ ...service, ...patch }, PLATFORM),
    ).toThrow(message);
  });

  it('treats empty optional strings as not given', () => {
    const v = validateServiceInput(
      {
        ...service,
        semverRange: '',
        hostname: '',
        metricsPath: '',
        tagPattern: '',
        imageUpdate: '',
      },
      PLATFORM,
    );
    expect(v.metricsPath).toBeUndefined();
    expect(v.semverRange).toBeUndefined();
  });

  it.each(['^1.2', '~1.4.0', '>=1.0 <2.0', '1.x'])(
    'accepts semver range %s',
    semverRange => {
      expect(
        validateServiceInput(
          { ...service, tag: undefined, semverRange, imageUpdate: 'semver' },
          PLATFORM,
        ).semverRange,
      ).toBe(semverRange);
    },
  );
});

describe('ownerGroup: only group names an identity provider would issue', () => {
  it.each([
    ['team-checkout', []],
    ['Checkout.Devs@example', []],
    ['oidc:checkout-devs', ['oidc:']],
    ['azuread/checkout', ['azuread/']],
  ])('accepts %s with prefixes %j', (group, prefixes) => {
    expect(ownerGroupProblem(group, prefixes)).toBeUndefined();
  });

  it.each([
    ['system:masters', ['system:'], /Kubernetes system group/],
    ['system:authenticated', [], /Kubernetes system group/],
    ['kube-admins', [], /Kubernetes system group/],
    [
      'sso:checkout',
      [],
      /":" and "\/" only in a prefix .* gitops.ownerGroupPrefixes/,
    ],
    ['a/b', [], /gitops.ownerGroupPrefixes/],
    ['sso:checkout', ['oidc:'], /after one of the prefixes oidc:/],
    ['oidc:system:masters', ['oidc:'], /group name of your identity provider/],
    ['', [], /group name/],
  ])('refuses %s with prefixes %j', (group, prefixes, message) => {
    expect(ownerGroupProblem(group, prefixes)).toMatch(message);
  });

  it('refuses system:masters in onboarding input, naming the field', () => {
    expect(() =>
      validateTeamInput({ ...team, ownerGroup: 'system:masters' }, PLATFORM),
    ).toThrow(/ownerGroup 'system:masters' is a Kubernetes system group/);
  });
});

describe('owner: a catalog Group ref', () => {
  it.each([
    ['group:default/team-storefront', 'team-storefront'],
    ['group:team-storefront', 'team-storefront'],
    ['team-storefront', 'team-storefront'],
  ])('normalises %s', (raw, teamName) => {
    expect(normalizeOwnerRef(raw)).toEqual({
      ref: `group:default/${teamName}`,
      team: teamName,
    });
  });

  it.each([
    ['component:default/web', /owner must be a catalog Group ref/],
    ['group:other/team-a', /default namespace/],
    ['', /owner must be a catalog Group ref/],
  ])('refuses %s naming the field', (raw, message) => {
    expect(() => normalizeOwnerRef(raw)).toThrow(message);
  });
});

describe('assertRendered', () => {
  it('refuses input still holding a template expression without repeating it', () => {
    const expression =
      "${{ parameters.owner | parseEntityRef | pick('name') }}";
    let message = '';
    try {
      assertRendered({ name: 'web', owner: expression, secrets: ['a'] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^owner was not filled in: the template passed/);
    expect(message).not.toContain('${{');
    expect(() => assertRendered({ tags: ['${{ x }}'] })).toThrow(/^tags/);
    expect(() => assertRendered({ name: 'web', port: 8080 })).not.toThrow();
  });
});
