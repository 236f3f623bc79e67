import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { runGit } from '@internal/gitops-repo';
import { renderService } from '../render/service';
import { toYaml } from '../render/yaml';
import {
  createSeededRemote,
  remoteHead,
  testDeps,
  userEntity,
} from '../testing/remote';
import { GitopsActionDeps } from '../core';
import { createGitopsCommitAction } from '../actions/commit';
import { createUpdateServiceAction } from '../actions/day2/updateService';
import { createDecommissionServiceAction } from '../actions/day2/decommissionService';
import { createRollbackServiceAction } from '../actions/day2/rollbackService';
import { ServiceChangePlanner } from './ServiceChangePlanner';

const catalog = catalogServiceMock({
  entities: [
    userEntity('alice', ['payments']),
    userEntity('mallory', ['storefront']),
    userEntity('root', ['platform-team']),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'shop', namespace: 'default' },
      spec: {
        type: 'service',
        owner: 'storefront',
        dependsOn: ['component:web'],
      },
      relations: [{ type: 'dependsOn', targetRef: 'component:default/web' }],
    },
  ],
});

const web = {
  name: 'web',
  owner: 'payments',
  description: 'Shop',
  image: 'ghcr.io/acme/web',
  tag: '1.0.0',
  port: 8080,
  replicas: 2,
  tier: 4 as const,
  exposure: 'internal' as const,
  hostname: 'web.payments.internal',
  secrets: ['db/password'],
};

/**
 * Pushes a service directory as new-service writes it: the rendered manifests plus the
 * skeleton's runbook (mkdocs.yml, docs/) and a hand-written README.
 */
async function seedService(remote: string, root: string) {
  const dir = path.join(root, 'seed-svc');
  await runGit(['clone', '--quiet', remote, dir]);
  const svc = path.join(dir, 'K8s/apps/payments/web');
  fs.mkdirSync(svc, { recursive: true });
  for (const [name, doc] of Object.entries(
    renderService(web, { namespaceLabels: {} }),
  )) {
    fs.writeFileSync(path.join(svc, name), toYaml(doc));
  }
  fs.writeFileSync(path.join(svc, 'README.md'), '# web\n');
  fs.writeFileSync(
    path.join(svc, 'mkdocs.yml'),
    'site_name: web runbook\nnav:\n  - Home: index.md\n',
  );
  fs.mkdirSync(path.join(svc, 'docs'));
  fs.writeFileSync(path.join(svc, 'docs/index.md'), '# Runbook\n');
  await runGit(['add', '--all'], { cwd: dir });
  await runGit(
    ['-c', 'user.name=S', '-c', 'user.email=s@x', 'commit', '-qm', 'web'],
    { cwd: dir },
  );
  await runGit(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: dir });
  fs.rmSync(dir, { recursive: true, force: true });
}

describe('update-service against a real remote', () => {
  let r: Awaited<ReturnType<typeof createSeededRemote>>;
  let ws: string;
  let planner: ServiceChangePlanner;
  let deps: GitopsActionDeps;
  beforeEach(async () => {
    r = await createSeededRemote();
    await seedService(r.remote, r.root);
    ws = path.join(r.root, 'ws');
    deps = testDeps({ remote: r.remote }, catalog);
    planner = new ServiceChangePlanner(deps.repository, deps.authorizer);
  });
  afterEach(() => r.cleanup());

  const userFor = (name: string) =>
    deps.authorizer.resolveUser({
      getInitiatorCredentials: async () =>
        mockCredentials.user(`user:default/${name}`),
    });

  function ctxFor(input: Record<string, unknown>, user: string) {
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: input as any,
      user: { ref: `user:default/${user}` },
    });
    ctx.getInitiatorCredentials = async () =>
      mockCredentials.user(`user:default/${user}`);
    return ctx;
  }

  it('reads the settings the directory holds now', async () => {
    const current = await planner.current(
      ws,
      'component:default/web',
      await userFor('alice'),
    );
    expect(current.path).toBe('K8s/apps/payments/web');
    expect(current.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(current.settings).toMatchObject({
      replicas: 2,
      tag: '1.0.0',
      imageUpdate: 'none',
      exposure: 'internal',
      hostname: 'web.payments.internal',
      secrets: ['db/password'],
      size: 'small',
      tier: 4,
      env: [],
    });
  });

  it('refuses a stranger and an unknown service', async () => {
    await expect(
      planner.current(ws, 'component:default/web', await userFor('mallory')),
    ).rejects.toThrow(/not a member of team 'payments'/);
    await expect(
      planner.current(ws, 'component:default/nope', await userFor('alice')),
    ).rejects.toThrow(/does not exist/);
    await expect(
      planner.current(ws, 'group:default/payments', await userFor('alice')),
    ).rejects.toThrow(/only services/);
  });

  it('diffs only what changes and keeps files it does not render', async () => {
    const alice = await userFor('alice');
    const plan = await planner.plan({
      workspace: ws,
      entityRef: 'web',
      changes: { replicas: 3, env: [{ name: 'LOG_LEVEL', value: 'debug' }] },
      user: alice,
      outputDir: p => path.join(ws, 'out', p),
    });
    expect(plan.changed).toBe(true);
    expect(plan.diff).toContain('-  replicas: 2');
    expect(plan.diff).toContain('+  replicas: 3');
    expect(plan.diff).toContain('LOG_LEVEL');
    expect(plan.diff).not.toContain('README.md');
    expect(plan.diff).not.toContain('mkdocs.yml');
    const out = path.join(ws, 'out', 'K8s/apps/payments/web');
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe(
      '# web\n',
    );
    expect(fs.readFileSync(path.join(out, 'docs/index.md'), 'utf8')).toBe(
      '# Runbook\n',
    );
    const same = await planner.plan({
      workspace: ws,
      entityRef: 'web',
      changes: { replicas: 2, exposure: 'internal' },
      user: alice,
    });
    expect(same.changed).toBe(false);
    expect(same.diff).toBe('');
    const none = await planner.plan({
      workspace: ws,
      entityRef: 'web',
      changes: { exposure: 'none', size: 'medium' },
      user: alice,
    });
    expect(none.diff).toContain('deleted file mode');
    expect(none.diff).toContain('httproute.yaml');
    expect(none.diff).toMatch(/\+ +memory: 1Gi/);
  });

  it('fails a stale form and bad input with nothing written', async () => {
    const alice = await userFor('alice');
    await expect(
      planner.plan({
        workspace: ws,
        entityRef: 'web',
        changes: { replicas: 3 },
        user: alice,
        baseRevision: '0'.repeat(40),
      }),
    ).rejects.toThrow(/changed since you opened the form/);
    await expect(
      planner.plan({
        workspace: ws,
        entityRef: 'web',
        changes: { replicas: 30 },
        user: alice,
      }),
    ).rejects.toThrow(/replicas/);
    await expect(
      planner.plan({
        workspace: ws,
        entityRef: 'web',
        changes: { tag: 'latest' },
        user: alice,
      }),
    ).rejects.toThrow(/latest/);
    await expect(
      planner.plan({
        workspace: ws,
        entityRef: 'web',
        changes: { tier: 1 },
        user: alice,
      }),
    ).rejects.toThrow(/reserved for platform-team/);
  });

  it('the action renders for gitops:commit, which commits as the user; unchanged means changed=false', async () => {
    const update = createUpdateServiceAction({
      planner,
      authorizer: deps.authorizer,
    });
    const commit = createGitopsCommitAction(deps);
    const before = await remoteHead(r.remote);

    const unchanged = ctxFor(
      {
        entity: 'component:default/web',
        changes: { replicas: 2, entity: 'x' },
      },
      'alice',
    );
    await update.handler(unchanged as any);
    expect(unchanged.output).toHaveBeenCalledWith('changed', false);

    const ctx = ctxFor(
      {
        entity: 'component:default/web',
        changes: {
          entity: 'component:default/web',
          tag: '1.1.0',
          replicas: '',
        },
      },
      'alice',
    );
    await update.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('changed', true);
    await commit.handler(
      ctxFor(
        {
          path: 'K8s/apps/payments/web',
          message: 'Change service web',
          allowUpdate: true,
        },
        'alice',
      ) as any,
    );
    const head = await remoteHead(r.remote);
    expect(head).not.toBe(before);
    const show = await runGit([
      '--git-dir',
      r.remote,
      'show',
      '--format=%an',
      '--name-only',
      head,
    ]);
    const [author, ...files] = show.trim().split('\n').filter(Boolean);
    expect(author).toBe('alice Display');
    // the tag is also the version label of every object
    expect(files).toContain('K8s/apps/payments/web/deployment.yaml');
    expect(files.every(f => f.startsWith('K8s/apps/payments/web/'))).toBe(true);
    expect(files).not.toContain('K8s/apps/payments/web/README.md');

    await expect(
      update.handler(
        ctxFor(
          { entity: 'component:default/web', changes: { replicas: 3 } },
          'mallory',
        ) as any,
      ),
    ).rejects.toThrow(/not a member/);
    await expect(
      update.handler(
        ctxFor(
          { entity: 'component:default/web', changes: { replica: 3 } },
          'alice',
        ) as any,
      ),
    ).rejects.toThrow(/cannot change 'replica'/);
  });

  it('decommissions: typed name, membership and dependents are checked, then one commit removes the directory', async () => {
    const decommission = createDecommissionServiceAction(deps);
    const commit = createGitopsCommitAction(deps);
    const before = await remoteHead(r.remote);
    const run = (input: Record<string, unknown>, user: string) =>
      decommission.handler(ctxFor(input, user) as any);

    await expect(
      run({ entity: 'component:default/web', confirm: 'wbe' }, 'alice'),
    ).rejects.toThrow(/type the service's name 'web'/);
    await expect(
      run({ entity: 'component:default/web', confirm: 'web' }, 'mallory'),
    ).rejects.toThrow(/not a member of team 'payments'/);
    await expect(
      run({ entity: 'component:default/web', confirm: 'web' }, 'alice'),
    ).rejects.toThrow(
      /component:default\/shop depends on component:default\/web/,
    );
    await expect(
      run(
        {
          entity: 'component:default/web',
          confirm: 'web',
          ignoreDependents: true,
        },
        'alice',
      ),
    ).rejects.toThrow(/only platform-team may/);
    await expect(
      run({ entity: 'component:default/gone', confirm: 'gone' }, 'alice'),
    ).rejects.toThrow(/does not exist/);
    expect(await remoteHead(r.remote)).toBe(before);

    await run(
      {
        entity: 'component:default/web',
        confirm: 'web',
        ignoreDependents: true,
      },
      'root',
    );
    await commit.handler(
      ctxFor(
        {
          path: 'K8s/apps/payments/web',
          message: 'Decommission web',
          allowUpdate: true,
        },
        'root',
      ) as any,
    );
    const tree = await runGit([
      '--git-dir',
      r.remote,
      'ls-tree',
      '--name-only',
      'main',
      'K8s/apps/payments/',
    ]);
    expect(tree).not.toContain('web');
    const removed = await runGit([
      '--git-dir',
      r.remote,
      'show',
      '--format=',
      '--name-status',
      'main',
    ]);
    expect(removed).toContain('D\tK8s/apps/payments/web/README.md');
    expect(removed).toContain('D\tK8s/apps/payments/web/deployment.yaml');
  });

  it('rolls back to the tag of an earlier revision with a new commit; bad revisions are refused', async () => {
    const update = createUpdateServiceAction({
      planner,
      authorizer: deps.authorizer,
    });
    const rollback = createRollbackServiceAction({ ...deps, planner });
    const commit = createGitopsCommitAction(deps);
    const commitService = () =>
      commit.handler(
        ctxFor(
          { path: 'K8s/apps/payments/web', message: 'm', allowUpdate: true },
          'alice',
        ) as any,
      );
    const deployedWith100 = await remoteHead(r.remote);
    await update.handler(
      ctxFor({ entity: 'web', changes: { tag: '1.1.0' } }, 'alice') as any,
    );
    await commitService();
    const image = async () =>
      /image: (\S+)/.exec(
        await runGit([
          '--git-dir',
          r.remote,
          'show',
          'main:K8s/apps/payments/web/deployment.yaml',
        ]),
      )?.[1];
    expect(await image()).toBe('ghcr.io/acme/web:1.1.0');

    // the rollback is another task: its own workspace and checkout
    ws = path.join(r.root, 'ws-rollback');
    const head = await remoteHead(r.remote);
    await expect(
      rollback.handler(
        ctxFor({ entity: 'web', revision: 'abc' }, 'alice') as any,
      ),
    ).rejects.toThrow(/full commit id/);
    await expect(
      rollback.handler(
        ctxFor({ entity: 'web', revision: 'f'.repeat(40) }, 'alice') as any,
      ),
    ).rejects.toThrow(/not in the history/);
    await expect(
      rollback.handler(
        ctxFor({ entity: 'web', revision: deployedWith100 }, 'mallory') as any,
      ),
    ).rejects.toThrow(/not a member/);
    expect(await remoteHead(r.remote)).toBe(head);

    const ctx = ctxFor({ entity: 'web', revision: deployedWith100 }, 'alice');
    await rollback.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('tag', '1.0.0');
    expect(ctx.output).toHaveBeenCalledWith('changed', true);
    await commitService();
    expect(await image()).toBe('ghcr.io/acme/web:1.0.0');
  }, 60_000);
});
