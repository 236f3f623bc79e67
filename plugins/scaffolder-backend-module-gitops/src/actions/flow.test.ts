import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { runGit } from '@internal/gitops-repo';
import {
  createSeededRemote,
  remoteHead,
  testDeps,
  userEntity,
} from '../testing/remote';
import { createGitopsCommitAction } from './commit';
import { createPolicyCheckAction } from './policyCheck';
import { createRenderServiceAction, createRenderTeamAction } from './render';

const catalog = catalogServiceMock({
  entities: [
    userEntity('guest', ['team-storefront']),
    userEntity('alice', ['payments']),
    userEntity('root', ['platform-team']),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-storefront', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
    // a Group registered some other way, with no K8s/teams directory
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-legacy', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
  ],
});

function actions(remoteUrl: string, selfService = true) {
  const deps = testDeps(
    { remote: remoteUrl, selfServiceOnboarding: selfService },
    catalog,
  );
  return {
    team: createRenderTeamAction(deps),
    service: createRenderServiceAction(deps),
    policy: createPolicyCheckAction(deps),
    commit: createGitopsCommitAction(deps),
  };
}

function ctxFor(ws: string, input: Record<string, unknown>, user: string) {
  const ctx = createMockActionContext({
    workspacePath: ws,
    input: input as any,
    user: { ref: `user:default/${user}` },
  });
  ctx.getInitiatorCredentials = async () =>
    mockCredentials.user(`user:default/${user}`);
  return ctx;
}

const onboard = {
  team: 'payments',
  displayName: 'Payments',
  businessUnit: 'commerce',
  environment: 'production',
  quotaSize: 'small',
  costCenter: 'CC-1',
};
const web = {
  name: 'web',
  owner: 'payments',
  description: 'Shop',
  image: 'ghcr.io/acme/web',
  tag: '1.0.0',
  port: 8080,
  replicas: 2,
  tier: 4,
  exposure: 'internal',
  hostname: 'web.payments.internal',
};

describe('onboard-team and new-service flows against a real remote', () => {
  let r: Awaited<ReturnType<typeof createSeededRemote>>;
  let ws: string;
  beforeEach(async () => {
    r = await createSeededRemote();
    ws = path.join(r.root, 'ws');
  });
  afterEach(() => r.cleanup());

  async function run(
    a: ReturnType<typeof actions>,
    step: 'team' | 'service' | 'policy' | 'commit',
    input: Record<string, unknown>,
    user: string,
  ) {
    const ctx = ctxFor(ws, input, user);
    await a[step].handler(ctx as any);
    return ctx;
  }

  it('onboards a team, then a member scaffolds a service; a stranger is refused', async () => {
    const a = actions(r.remote);
    const rendered = await run(a, 'team', onboard, 'guest');
    expect(rendered.output).toHaveBeenCalledWith('path', 'K8s/teams/payments');
    expect(rendered.output).toHaveBeenCalledWith(
      'files',
      expect.arrayContaining(['K8s/teams/payments/namespace.yaml']),
    );
    const checked = await run(
      a,
      'policy',
      { path: 'K8s/teams/payments' },
      'guest',
    );
    expect(checked.output).toHaveBeenCalledWith('warnings', 0);
    await run(
      a,
      'commit',
      { path: 'K8s/teams/payments', message: 'Onboard payments' },
      'guest',
    );
    const files = await runGit([
      '--git-dir',
      r.remote,
      'ls-tree',
      '-r',
      '--name-only',
      'main',
      'K8s/teams/payments',
    ]);
    expect(files).toContain('K8s/teams/payments/catalog-info.yaml');
    const author = await runGit([
      '--git-dir',
      r.remote,
      'log',
      '-1',
      '--format=%ae',
      'main',
    ]);
    expect(author.trim()).toBe('guest@example.com');

    // guest (team-storefront) is not in payments: refused before anything is rendered
    await expect(run(a, 'service', web, 'guest')).rejects.toThrow(
      /not a member of team 'payments'/,
    );
    const head = await remoteHead(r.remote);
    await run(a, 'service', web, 'alice');
    await run(a, 'policy', { path: 'K8s/apps/payments/web' }, 'alice');
    await expect(
      run(
        a,
        'commit',
        { path: 'K8s/apps/payments/web', message: 'x' },
        'guest',
      ),
    ).rejects.toThrow(/not a member/);
    expect(await remoteHead(r.remote)).toBe(head);
    await run(
      a,
      'commit',
      { path: 'K8s/apps/payments/web', message: 'Add web' },
      'alice',
    );
    expect(await remoteHead(r.remote)).not.toBe(head);
    const dep = await runGit([
      '--git-dir',
      r.remote,
      'show',
      'main:K8s/apps/payments/web/deployment.yaml',
    ]);
    expect(dep).toContain('business-unit: commerce');

    // names already taken
    await expect(run(a, 'team', onboard, 'guest')).rejects.toThrow(
      /already exists in the GitOps repository/,
    );
    await expect(run(a, 'service', web, 'alice')).rejects.toThrow(
      /already exists/,
    );
  }, 60_000);

  it.each([
    ['team', { ...onboard, team: 'kube-system' }, 'guest', /reserved/],
    [
      'team',
      { ...onboard, team: 'team-storefront' },
      'guest',
      /already exists in the GitOps repository/,
    ],
    [
      'team',
      { ...onboard, team: 'team-legacy' },
      'guest',
      /already exists in the catalog/,
    ],
    ['team', { ...onboard, displayName: 'a\nb' }, 'guest', /single line/],
    ['service', { ...web, owner: 'storefront-x' }, 'root', /not onboarded/],
    [
      'service',
      { ...web, image: 'ghcr.io/acme/web:latest' },
      'root',
      /without a tag/,
    ],
    [
      'service',
      { ...web, tier: 1 },
      'alice',
      /reserved for group:default\/platform-team/,
    ],
  ])(
    'refuses bad %s input %j with the remote untouched',
    async (step, input, user, msg) => {
      const a = actions(r.remote);
      const head = await remoteHead(r.remote);
      await expect(run(a, step as any, input, user)).rejects.toThrow(msg);
      expect(await remoteHead(r.remote)).toBe(head);
    },
    30_000,
  );

  it('refuses onboarding by a non-platform user when self-service is off', async () => {
    await expect(
      run(actions(r.remote, false), 'team', onboard, 'guest'),
    ).rejects.toThrow(/requires membership of group:default\/platform-team/);
    await run(actions(r.remote, false), 'team', onboard, 'root');
  }, 30_000);

  it('fails the policy check on an Enforce violation and nothing is committed', async () => {
    const a = actions(r.remote);
    await run(a, 'team', onboard, 'guest');
    const nsFile = path.join(ws, 'K8s/teams/payments/namespace.yaml');
    fs.writeFileSync(
      nsFile,
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  labels:\n    owner: payments\n',
    );
    await expect(
      run(a, 'policy', { path: 'K8s/teams/payments' }, 'guest'),
    ).rejects.toThrow(
      /Enforce policy violation.*\n- require-namespace-labels\/.* on Namespace payments/,
    );
  }, 30_000);

  it('checks the policies again after a rebase: a policy that fails only then fails the task, nothing pushed', async () => {
    const a = actions(r.remote);
    await run(a, 'team', onboard, 'guest');
    // passes against the policies of the head the task rendered on
    await run(a, 'policy', { path: 'K8s/teams/payments' }, 'guest');

    // meanwhile the platform adds an Enforce policy the rendered Namespace breaks
    const other = path.join(r.root, 'platform-clone');
    await runGit(['clone', '--quiet', r.remote, other]);
    fs.writeFileSync(
      path.join(other, 'K8s/policies/kyverno-policies/require-data-class.yaml'),
      [
        'apiVersion: kyverno.io/v1',
        'kind: ClusterPolicy',
        'metadata:',
        '  name: require-data-class',
        'spec:',
        '  validationFailureAction: Enforce',
        '  rules:',
        '    - name: data-class-label',
        '      match:',
        '        any:',
        '          - resources:',
        '              kinds: [Namespace]',
        '      validate:',
        '        message: Namespaces must say which data they hold.',
        '        pattern:',
        '          metadata:',
        '            labels:',
        "              data-class: '?*'",
        '',
      ].join('\n'),
    );
    await runGit(['add', '--all'], { cwd: other });
    await runGit(
      ['-c', 'user.name=P', '-c', 'user.email=p@x', 'commit', '-qm', 'policy'],
      { cwd: other },
    );
    await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: other });
    const head = await remoteHead(r.remote);

    await expect(
      run(
        a,
        'commit',
        { path: 'K8s/teams/payments', message: 'Onboard payments' },
        'guest',
      ),
    ).rejects.toThrow(
      /^after rebasing K8s\/teams\/payments onto the current main: 1 Enforce policy violation\(s\) in K8s\/teams\/payments, nothing was committed:\n- require-data-class\/data-class-label on Namespace payments/,
    );
    expect(await remoteHead(r.remote)).toBe(head);
  }, 60_000);

  it('normalises a bare owner name, and never shows an unrendered expression', async () => {
    const a = actions(r.remote);
    // guest is in team-storefront (K8s/teams/team-storefront, the first-run world)
    const rendered = await run(
      a,
      'service',
      { ...web, owner: 'team-storefront' },
      'guest',
    );
    expect(rendered.output).toHaveBeenCalledWith('team', 'team-storefront');
    expect(rendered.output).toHaveBeenCalledWith(
      'path',
      'K8s/apps/team-storefront/web',
    );
    const expression =
      "${{ parameters.owner | parseEntityRef | pick('name') }}";
    const error = await run(
      a,
      'service',
      { ...web, owner: expression },
      'guest',
    ).catch(e => e as Error);
    expect(String(error)).toMatch(/owner was not filled in/);
    expect(String(error)).not.toContain('${{');
    await expect(
      run(a, 'service', { ...web, owner: 'user:default/guest' }, 'guest'),
    ).rejects.toThrow(/^owner must be a catalog Group ref/);
  }, 30_000);
});
