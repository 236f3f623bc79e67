import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { runGit } from '@internal/gitops-repo';
import { parse as parseYaml } from 'yaml';
import {
  createSeededRemote,
  remoteHead,
  testDeps,
  userEntity,
} from '../../testing/remote';
import { createGitopsCommitAction } from '../commit';
import { createRenderTeamAction } from '../render';
import {
  changeMembers,
  createTeamMembersAction,
  userRefOf,
} from './teamMembers';
import { createOffboardTeamAction } from './offboardTeam';

describe('changeMembers', () => {
  it('adds, removes, keeps order and refuses to empty the team', () => {
    expect(changeMembers(['alice'], ['bob', 'user:default/alice'], [])).toEqual(
      ['user:default/alice', 'user:default/bob'],
    );
    expect(changeMembers(['alice', 'bob'], [], ['user:default/alice'])).toEqual(
      ['user:default/bob'],
    );
    expect(() => changeMembers(['alice'], [], ['alice'])).toThrow(
      /removing the last member is refused/,
    );
    expect(() => changeMembers(['alice'], [], ['carol'])).toThrow(
      /not listed as a member/,
    );
    expect(() => userRefOf('group:default/x')).toThrow(/not a User/);
  });
});

describe('gitops:team:members against a real remote', () => {
  const catalog = catalogServiceMock({
    entities: [
      userEntity('alice', ['payments']),
      userEntity('bob', []),
      userEntity('mallory', ['storefront']),
    ],
  });
  let r: Awaited<ReturnType<typeof createSeededRemote>>;
  afterEach(() => r.cleanup());

  it('a member adds and removes users with one commit each; strangers, unknown users and the last removal are refused', async () => {
    r = await createSeededRemote();
    const deps = testDeps(
      { remote: r.remote, selfServiceOnboarding: true },
      catalog,
    );
    let n = 0;
    const ctxFor = (input: Record<string, unknown>, user: string) => {
      const ctx = createMockActionContext({
        workspacePath: path.join(r.root, `ws-${n++}`),
        input: input as any,
        user: { ref: `user:default/${user}` },
      });
      ctx.getInitiatorCredentials = async () =>
        mockCredentials.user(`user:default/${user}`);
      return ctx;
    };
    const commit = createGitopsCommitAction(deps);
    const members = createTeamMembersAction(deps);
    // onboarding by alice makes her the first member
    const onboard = ctxFor(
      {
        team: 'payments',
        displayName: 'Payments',
        businessUnit: 'commerce',
        environment: 'production',
        quotaSize: 'small',
        costCenter: 'CC-1',
      },
      'alice',
    );
    await createRenderTeamAction(deps).handler(onboard as any);
    const commitFrom = async (ws: string, user: string) => {
      const c = ctxFor(
        { path: 'K8s/teams/payments', message: 'm', allowUpdate: true },
        user,
      );
      (c as any).workspacePath = ws;
      await commit.handler(c as any);
    };
    await commitFrom(onboard.workspacePath, 'alice');
    const groupMembers = async () =>
      parseYaml(
        await runGit([
          '--git-dir',
          r.remote,
          'show',
          'main:K8s/teams/payments/catalog-info.yaml',
        ]),
      ).spec.members;
    expect(await groupMembers()).toEqual(['alice']);

    const add = ctxFor(
      { entity: 'group:default/payments', add: ['user:default/bob'] },
      'alice',
    );
    await members.handler(add as any);
    expect(add.output).toHaveBeenCalledWith('changed', true);
    await commitFrom(add.workspacePath, 'alice');
    expect(await groupMembers()).toEqual(['alice', 'bob']);
    const files = await runGit([
      '--git-dir',
      r.remote,
      'show',
      '--format=',
      '--name-only',
      'main',
    ]);
    expect(files.trim()).toBe('K8s/teams/payments/catalog-info.yaml');

    const head = await remoteHead(r.remote);
    await expect(
      members.handler(
        ctxFor(
          { entity: 'group:default/payments', add: ['mallory'] },
          'mallory',
        ) as any,
      ),
    ).rejects.toThrow(/not a member of team 'payments'/);
    await expect(
      members.handler(
        ctxFor(
          { entity: 'group:default/payments', add: ['nobody'] },
          'alice',
        ) as any,
      ),
    ).rejects.toThrow(/user:default\/nobody is not a User in the catalog/);
    await expect(
      members.handler(
        ctxFor(
          { entity: 'group:default/payments', remove: ['alice', 'bob'] },
          'alice',
        ) as any,
      ),
    ).rejects.toThrow(/last member/);
    await expect(
      members.handler(
        ctxFor({ entity: 'group:default/nope', add: ['bob'] }, 'alice') as any,
      ),
    ).rejects.toThrow(/not a member of team 'nope'/);
    const same = ctxFor(
      { entity: 'group:default/payments', add: ['bob'] },
      'alice',
    );
    await members.handler(same as any);
    expect(same.output).toHaveBeenCalledWith('changed', false);
    expect(await remoteHead(r.remote)).toBe(head);

    // offboarding: only an empty team, only after typing its name, only by a member
    const offboard = createOffboardTeamAction(deps);
    const svc = ctxFor({}, 'alice');
    fs.mkdirSync(path.join(svc.workspacePath, 'K8s/apps/payments/web'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(svc.workspacePath, 'K8s/apps/payments/web/README.md'),
      '# web\n',
    );
    const c = ctxFor(
      { path: 'K8s/apps/payments/web', message: 'web' },
      'alice',
    );
    (c as any).workspacePath = svc.workspacePath;
    await commit.handler(c as any);
    const withService = await remoteHead(r.remote);
    await expect(
      offboard.handler(
        ctxFor(
          { entity: 'group:default/payments', confirm: 'payment' },
          'alice',
        ) as any,
      ),
    ).rejects.toThrow(/type the team's name 'payments'/);
    await expect(
      offboard.handler(
        ctxFor(
          { entity: 'group:default/payments', confirm: 'payments' },
          'mallory',
        ) as any,
      ),
    ).rejects.toThrow(/not a member/);
    await expect(
      offboard.handler(
        ctxFor(
          { entity: 'group:default/payments', confirm: 'payments' },
          'alice',
        ) as any,
      ),
    ).rejects.toThrow(/still owns web; decommission its services first/);
    expect(await remoteHead(r.remote)).toBe(withService);
  }, 60_000);
});
