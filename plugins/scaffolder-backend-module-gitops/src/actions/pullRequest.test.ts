import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  parseGithubRemote,
  pullRequestBranch,
  readGitopsConfig,
  runGit,
} from '@internal/gitops-repo';
import {
  createSeededRemote,
  remoteHead,
  testDeps,
  userEntity,
} from '../testing/remote';
import { createGitopsCommitAction } from './commit';

const GITHUB_URL = 'https://github.com/acme/gitops.git';
const catalog = catalogServiceMock({
  entities: [userEntity('alice', ['team-a'])],
});

describe('gitops:commit mode selection', () => {
  let r: Awaited<ReturnType<typeof createSeededRemote>>;
  const saved = { ...process.env };
  beforeEach(async () => {
    r = await createSeededRemote();
    // git itself rewrites the GitHub URL to the local bare remote, so the real code path
    // (GitHub URL in config, integration token) runs without a network
    process.env.GIT_CONFIG_COUNT = '1';
    process.env.GIT_CONFIG_KEY_0 = `url.${r.remote}.insteadOf`;
    process.env.GIT_CONFIG_VALUE_0 = GITHUB_URL;
  });
  afterEach(() => {
    process.env = { ...saved };
    r.cleanup();
  });

  async function runWith(mode: string | undefined) {
    const fetchImpl = jest.fn(async () => ({
      ok: true,
      json: async () => ({ html_url: 'https://github.com/acme/gitops/pull/7' }),
    })) as unknown as typeof fetch;
    const action = createGitopsCommitAction(
      testDeps({ remote: GITHUB_URL, ...(mode ? { mode } : {}) }, catalog, {
        integrations: { github: [{ host: 'github.com', token: 'ghp_test' }] },
        fetchImpl,
      }),
    );
    const ws = path.join(r.root, `ws-${mode}`);
    fs.mkdirSync(path.join(ws, 'K8s/apps/team-a/web'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'K8s/apps/team-a/web/a.yaml'), 'a: 1\n');
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: { path: 'K8s/apps/team-a/web', message: 'Add web' } as any,
      user: { ref: 'user:default/alice' },
      task: { id: 'abcdef123456' },
      templateInfo: {
        baseUrl: 'file:///t',
        entityRef: 'template:default/new-service',
        entity: { metadata: { name: 'new-service' } },
      },
    });
    ctx.getInitiatorCredentials = async () =>
      mockCredentials.user('user:default/alice');
    await action.handler(ctx as any);
    return { ctx, fetchImpl };
  }

  it('pushes to main by default (push mode) and opens no pull request', async () => {
    const before = await remoteHead(r.remote);
    const { ctx, fetchImpl } = await runWith(undefined);
    expect(await remoteHead(r.remote)).not.toBe(before);
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(ctx.output).not.toHaveBeenCalledWith(
      'pullRequestUrl',
      expect.anything(),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'landing',
      expect.stringMatching(/^was committed to `main` as `[0-9a-f]{12}`$/),
    );
  });

  it('pushes a branch and opens a GitHub pull request in pull-request mode', async () => {
    const before = await remoteHead(r.remote);
    const { ctx, fetchImpl } = await runWith('pull-request');
    expect(await remoteHead(r.remote)).toBe(before);
    const branch = 'idp/new-service-web-abcdef12';
    const sha = (
      await runGit(['--git-dir', r.remote, 'rev-parse', branch])
    ).trim();
    expect(ctx.output).toHaveBeenCalledWith('commitSha', sha);
    expect(ctx.output).toHaveBeenCalledWith(
      'pullRequestUrl',
      'https://github.com/acme/gitops/pull/7',
    );
    // the templates' "What happens next" must not promise a change before the merge
    expect(ctx.output).toHaveBeenCalledWith(
      'landing',
      `was committed as \`${sha.slice(
        0,
        12,
      )}\` on the branch \`${branch}\` and opened as a pull request: nothing changes until it is merged into \`main\``,
    );
    const [url, init] = (fetchImpl as jest.Mock).mock.calls[0];
    expect(url).toBe('https://api.github.com/repos/acme/gitops/pulls');
    expect(init.headers.authorization).toBe('Bearer ghp_test');
    expect(JSON.parse(init.body)).toMatchObject({
      head: branch,
      base: 'main',
      title: 'Add web',
    });
  });

  it('refuses an unknown mode', () => {
    expect(() =>
      readGitopsConfig(
        new ConfigReader({ gitops: { remote: 'x', mode: 'yolo' } }),
      ),
    ).toThrow(/gitops.mode/);
  });

  it('names branches and parses GitHub remotes', () => {
    expect(pullRequestBranch('Onboard Team', 'payments', 'ABCDEF-1234')).toBe(
      'idp/onboard-team-payments-abcdef-1',
    );
    expect(parseGithubRemote(GITHUB_URL)).toEqual({
      host: 'github.com',
      owner: 'acme',
      repo: 'gitops',
    });
    expect(() => parseGithubRemote('/tmp/x.git')).toThrow(
      /https GitHub remote/,
    );
  });
});
