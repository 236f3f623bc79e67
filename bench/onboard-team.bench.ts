/*
 * onboard-team end to end on the server side: gitops:render:team → gitops:policy:check →
 * gitops:commit, run as the scaffolder runs them (the real actions, one workspace per task)
 * against a local bare GitOps remote seeded from K8s/ like the sandbox's. Measures, per run,
 * the time from the start of rendering to the pushed commit, sequentially (N runs) and for a
 * burst of concurrent tasks (each its own team), and checks every commit landed.
 * Scaffolder task dispatch (DB polling, templating) is not included.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createGitopsCommitAction,
  createPolicyCheckAction,
  createRenderTeamAction,
} from '@internal/plugin-scaffolder-backend-module-gitops';
// the module's own test helper: a bare remote seeded from K8s/, as the sandbox creates it
import {
  createSeededRemote,
  testDeps,
} from '@internal/plugin-scaffolder-backend-module-gitops/src/testing/remote';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 10);

const git = (args: string[], cwd?: string) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const user = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'guest', namespace: 'default' },
  spec: {
    profile: { displayName: 'Guest', email: 'guest@example.com' },
    memberOf: ['team-storefront'],
  },
  relations: [{ type: 'memberOf', targetRef: 'group:default/team-storefront' }],
};
// the catalog lookups a task makes (the user, "does the group exist"), answered in memory
const catalog = {
  getEntityByRef: async (ref: string) =>
    ref === 'user:default/guest' ? user : undefined,
} as unknown as CatalogService;

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
};

function context(
  workspacePath: string,
  input: Record<string, unknown>,
  taskId: string,
) {
  const outputs: Record<string, unknown> = {};
  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef: 'user:default/guest' },
  } as unknown as BackstageCredentials;
  return {
    outputs,
    ctx: {
      logger: silent,
      workspacePath,
      input,
      task: { id: taskId },
      user: { ref: 'user:default/guest' },
      templateInfo: {
        baseUrl: 'file:///bench',
        entity: { metadata: { name: 'onboard-team' } },
      },
      getInitiatorCredentials: async () => credentials,
      checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
      output: (k: string, v: unknown) => {
        outputs[k] = v;
      },
      createTemporaryDirectory: async () =>
        fs.mkdtempSync(path.join(workspacePath, 'tmp-')),
    } as any,
  };
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-onboard-'));
  try {
    const { remote } = await createSeededRemote(root);
    // the actions as module.ts wires them (write core: GitRepository, WriteAuthorizer)
    const deps = testDeps({ remote, selfServiceOnboarding: true }, catalog);
    const render = createRenderTeamAction(deps);
    const check = createPolicyCheckAction(deps);
    const commit = createGitopsCommitAction(deps);

    const onboard = async (team: string) => {
      const ws = fs.mkdtempSync(path.join(root, `ws-${team}-`));
      const start = process.hrtime.bigint();
      const input = {
        team,
        displayName: `Team ${team}`,
        businessUnit: 'commerce',
        environment: 'development',
        quotaSize: 'small',
        costCenter: 'CC-1',
      };
      await render.handler(context(ws, input, team).ctx);
      await check.handler(context(ws, { path: `K8s/teams/${team}` }, team).ctx);
      const c = context(
        ws,
        { path: `K8s/teams/${team}`, message: `Onboard ${team}` },
        team,
      );
      await commit.handler(c.ctx);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      fs.rmSync(ws, { recursive: true, force: true });
      return ms;
    };

    await onboard('warmup'); // module loading and the first clone are not what is measured
    const sequential: number[] = [];
    for (let i = 0; i < RUNS; i++) sequential.push(await onboard(`seq-${i}`));
    const burstStart = Date.now();
    const burst = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => onboard(`burst-${i}`)),
    );
    const burstWall = Date.now() - burstStart;

    const commits = Number(
      git(['--git-dir', remote, 'rev-list', '--count', 'main']),
    );
    const expected = 1 + 1 + RUNS + CONCURRENT;
    git(['--git-dir', remote, 'fsck', '--strict']);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2
        ? s[(s.length - 1) / 2]
        : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const p95 = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
    console.log(
      `onboard-team, render start → pushed commit, local bare remote (git ${git(
        ['--version'],
      ).replace('git version ', '')})`,
    );
    console.log(
      `  sequential: N=${RUNS}, median ${median(sequential).toFixed(
        0,
      )} ms, p95 ${p95(sequential).toFixed(0)} ms`,
    );
    console.log(
      `  concurrent: ${CONCURRENT} tasks at once, median ${median(
        burst,
      ).toFixed(0)} ms, max ${Math.max(...burst).toFixed(
        0,
      )} ms, wall ${burstWall} ms`,
    );
    console.log(
      `  commits on main: ${commits} (expected ${expected}), git fsck --strict clean`,
    );
    if (commits !== expected) {
      throw new Error(`lost commits: ${commits} != ${expected}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
