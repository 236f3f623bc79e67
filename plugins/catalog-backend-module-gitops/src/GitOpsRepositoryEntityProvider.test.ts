import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { DEFAULT_CATALOG_PATHS, GitRepository } from '@internal/gitops-repo';
import { GitOpsRepositoryEntityProvider } from './GitOpsRepositoryEntityProvider';

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    },
  );
}

/** A real bare remote and a clone that commits to it, as the scaffolder does. */
class TestRemote {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-gitops-'));
  readonly bare = path.join(this.root, 'gitops.git');
  private readonly clone = path.join(this.root, 'clone');

  constructor() {
    fs.mkdirSync(this.bare);
    git(this.bare, 'init', '--quiet', '--bare', '--initial-branch=main');
    fs.mkdirSync(this.clone);
    git(this.clone, 'init', '--quiet', '--initial-branch=main');
    git(this.clone, 'remote', 'add', 'origin', this.bare);
  }

  commit(files: Record<string, string | null>, message = 'change'): string {
    for (const [file, content] of Object.entries(files)) {
      const abs = path.join(this.clone, file);
      if (content === null) {
        fs.rmSync(abs, { recursive: true, force: true });
      } else {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, content);
      }
    }
    git(this.clone, 'add', '-A');
    git(this.clone, 'commit', '--quiet', '--allow-empty', '-m', message);
    git(this.clone, 'push', '--quiet', 'origin', 'HEAD:main');
    return git(this.clone, 'rev-parse', 'HEAD').trim();
  }

  remove() {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

const group = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
  description: "Runs: checkout # and more"
spec:
  type: team
  children: []
`;

const component = (
  name: string,
  owner: string,
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    argocd/app-name: ${owner}-${name}
spec:
  type: service
  lifecycle: production
  owner: group:${owner}
`;

describe('GitOpsRepositoryEntityProvider', () => {
  let remote: TestRemote;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let connection: jest.Mocked<EntityProviderConnection>;

  beforeEach(() => {
    remote = new TestRemote();
    remote.commit({
      // the platform's own entities come from the project's Location, never from here
      'K8s/catalog-info.yaml': group('platform-team'),
      'K8s/observability/loki/catalog-info.yaml': component('loki', 'x'),
      'K8s/teams/applicationset-teams.yaml': 'kind: ApplicationSet\n',
    });
    logger = mockServices.logger.mock();
    connection = { applyMutation: jest.fn(), refresh: jest.fn() };
  });
  afterEach(() => remote.remove());

  function provider(options: { browseUrlTemplate?: string } = {}) {
    return new GitOpsRepositoryEntityProvider({
      repository: new GitRepository({ remote: remote.bare, branch: 'main' }),
      checkoutDir: path.join(remote.root, 'checkout'),
      paths: DEFAULT_CATALOG_PATHS,
      logger,
      ...options,
    });
  }

  const emitted = (call = -1) => {
    const mutation = connection.applyMutation.mock.calls.at(call)![0];
    expect(mutation.type).toBe('full');
    return (mutation as { entities: any[] }).entities;
  };
  const refs = (call = -1) =>
    emitted(call).map(
      e =>
        `${e.entity.kind.toLocaleLowerCase('en-US')}:${e.entity.metadata.name}`,
    );

  it('emits what onboarding commits, with its location, and follows removals', async () => {
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    expect(refs()).toEqual([]);

    remote.commit({
      'K8s/teams/team-checkout/catalog-info.yaml': group('team-checkout'),
      'K8s/teams/team-checkout/namespace.yaml': 'kind: Namespace\n',
      'K8s/apps/team-checkout/orders/catalog-info.yaml': component(
        'orders',
        'team-checkout',
      ),
    });
    await p.refresh();
    expect(refs()).toEqual(['component:orders', 'group:team-checkout']);
    const [, teamEntity] = emitted();
    const file = path.join(
      remote.root,
      'checkout/K8s/teams/team-checkout/catalog-info.yaml',
    );
    expect(teamEntity.locationKey).toBe(`gitops-provider:${remote.bare}`);
    expect(teamEntity.entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': `file:${file}`,
      'backstage.io/managed-by-origin-location': `file:${file}`,
    });
    // YAML-significant characters arrive as data
    expect(teamEntity.entity.metadata.description).toBe(
      'Runs: checkout # and more',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(group('team-checkout'));

    remote.commit({ 'K8s/apps/team-checkout/orders': null });
    await p.refresh();
    expect(refs()).toEqual(['group:team-checkout']);
    expect(connection.applyMutation).toHaveBeenCalledTimes(3);
  });

  it('writes nothing to the catalog while the head stays the same', async () => {
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    await p.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('skips and logs a malformed file without losing the others', async () => {
    remote.commit({
      'K8s/teams/good/catalog-info.yaml': group('good'),
      'K8s/teams/broken-yaml/catalog-info.yaml':
        'kind: Group\nmetadata: [oops\n',
      'K8s/teams/not-entity/catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {}\n',
      'K8s/apps/good/dup/catalog-info.yaml': group('good'),
    });
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    expect(refs()).toEqual(['group:good']);
    const warnings = logger.warn.mock.calls.map(c => String(c[0]));
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Skipping K8s\/teams\/broken-yaml\/catalog-info.yaml at [0-9a-f]{7}: /,
        ),
        expect.stringMatching(
          /^Skipping K8s\/teams\/not-entity\/catalog-info.yaml at [0-9a-f]{7}: .*name/,
        ),
        expect.stringMatching(
          /^Skipping group:default\/good in K8s\/teams\/good\/catalog-info.yaml .*already defined in K8s\/apps\/good\/dup\/catalog-info.yaml/,
        ),
      ]),
    );
    expect(warnings).toHaveLength(3);
  });

  it('keeps the last entities while the remote is down, logging once, and recovers', async () => {
    remote.commit({ 'K8s/teams/team-a/catalog-info.yaml': group('team-a') });
    const p = provider();
    await p.connect(connection);
    await p.refresh();
    expect(refs()).toEqual(['group:team-a']);

    fs.renameSync(remote.bare, `${remote.bare}.away`);
    await p.refresh();
    await p.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0][0])).toMatch(
      /^GitOps remote .*gitops\.git is unreachable; the catalog keeps the 1 entities read at [0-9a-f]{7}: git fetch/,
    );

    fs.renameSync(`${remote.bare}.away`, remote.bare);
    remote.commit({ 'K8s/teams/team-b/catalog-info.yaml': group('team-b') });
    await p.refresh();
    expect(refs()).toEqual(['group:team-a', 'group:team-b']);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/is reachable again$/),
    );
  });

  it('points at the browse URL of the followed branch when configured', async () => {
    remote.commit({ 'K8s/teams/team-a/catalog-info.yaml': group('team-a') });
    const p = provider({
      browseUrlTemplate:
        'https://git.example.com/platform/gitops/blob/{sha}/{path}',
    });
    await p.connect(connection);
    await p.refresh();
    expect(emitted()[0].entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location':
        'url:https://git.example.com/platform/gitops/blob/main/K8s/teams/team-a/catalog-info.yaml',
    });
  });

  it('refuses to reset a directory it did not create', async () => {
    const busy = path.join(remote.root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'precious.txt'), 'keep me');
    const repository = new GitRepository({
      remote: remote.bare,
      branch: 'main',
    });
    await expect(repository.follow(busy)).rejects.toThrow(/refusing/);
    expect(fs.readFileSync(path.join(busy, 'precious.txt'), 'utf8')).toBe(
      'keep me',
    );

    // another repository (e.g. the project's own checkout) is refused too
    await expect(
      repository.follow(path.join(remote.root, 'clone')),
    ).rejects.toThrow(/did not create/);
  });

  it('runs on the schedule it is given', async () => {
    const taskRunner = { run: jest.fn() };
    const p = new GitOpsRepositoryEntityProvider({
      repository: new GitRepository({ remote: remote.bare, branch: 'main' }),
      checkoutDir: path.join(remote.root, 'c'),
      paths: DEFAULT_CATALOG_PATHS,
      logger,
      taskRunner,
    });
    await p.connect(connection);
    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'GitOpsRepositoryEntityProvider:refresh',
      fn: expect.any(Function),
    });
    await taskRunner.run.mock.calls[0][0].fn();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });
});
