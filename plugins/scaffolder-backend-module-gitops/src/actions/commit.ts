import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GitopsConfig } from '../config';
import { gitAuthArgs, integrationToken } from '../git/auth';
import { assertSafeRepoPath, GitopsRemote } from '../git/GitopsRemote';
import {
  openGithubPullRequest,
  parseGithubRemote,
  pullRequestBranch,
} from '../git/pullRequest';
import { TaskUser, TeamMembership } from '../membership';

/**
 * Which team a repo path belongs to: `K8s/teams/<team>` and `K8s/apps/<team>/...`; any other
 * path is platform territory.
 */
export function teamOfPath(p: string): { team?: string; onboarding: boolean } {
  const s = p.split('/');
  if (s[0] === 'K8s' && s[1] === 'teams' && s.length === 3) {
    return { team: s[2], onboarding: true };
  }
  if (s[0] === 'K8s' && s[1] === 'apps' && s.length >= 3) {
    return { team: s[2], onboarding: false };
  }
  return { onboarding: false };
}

/** Enforces who may write where (see README: permission model). */
export function assertMayWrite(
  membership: TeamMembership,
  user: TaskUser,
  targetPath: string,
  opts: { selfServiceOnboarding: boolean; allowUpdate: boolean },
) {
  if (membership.isPlatform(user)) return;
  const { team, onboarding } = teamOfPath(targetPath);
  if (!team) {
    throw new NotAllowedError(
      `only platform-team may write ${targetPath}; teams write K8s/teams/<team> and K8s/apps/<team>/<service>`,
    );
  }
  // A brand-new team has no members yet, so creating it cannot be a membership check: it is
  // either the platform team's job or explicitly opened to everybody (laptop/demo config).
  // Updating an existing team directory always requires membership.
  if (onboarding && !opts.allowUpdate && opts.selfServiceOnboarding) return;
  if (onboarding && !opts.allowUpdate) {
    throw new NotAllowedError(
      `onboarding team '${team}' requires platform-team membership (gitops.selfServiceOnboarding is off)`,
    );
  }
  membership.assertMember(user, team);
}

export function browseUrl(
  template: string | undefined,
  sha: string,
  p: string,
): string | undefined {
  return template?.replace(/\{sha\}/g, sha).replace(/\{path\}/g, p);
}

export function createGitopsCommitAction(opts: {
  config: GitopsConfig;
  rootConfig: Config;
  membership: TeamMembership;
  fetchImpl?: typeof fetch;
}) {
  const { config, rootConfig, membership } = opts;
  const remote = new GitopsRemote(
    config.remote,
    gitAuthArgs(rootConfig, config.remote),
    config.pushRetries,
  );
  return createTemplateAction({
    id: 'gitops:commit',
    description:
      'Commits rendered files under one path of the GitOps repository as the task user and pushes them (or opens a pull request in gitops.mode pull-request).',
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe(
              'Target directory inside the GitOps repository, e.g. K8s/teams/payments',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory holding the rendered files (default: same as path)',
            ),
        message: z => z.string().min(1).max(200).describe('Commit title'),
        allowUpdate: z =>
          z
            .boolean()
            .optional()
            .describe('Allow replacing an existing target directory'),
      },
      output: {
        commitSha: z => z.string(),
        browseUrl: z => z.string().optional(),
        path: z => z.string(),
        pullRequestUrl: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const targetPath = assertSafeRepoPath(ctx.input.path, 'path');
      const sourceRel = assertSafeRepoPath(
        ctx.input.sourcePath ?? targetPath,
        'sourcePath',
      );
      // eslint-disable-next-line no-control-regex
      if (/[\0-\x1f\x7f]/.test(ctx.input.message)) {
        throw new InputError('message must be a single line of text');
      }
      const allowUpdate = ctx.input.allowUpdate ?? false;
      const sourceDir = path.join(ctx.workspacePath, sourceRel);
      if (!fs.existsSync(sourceDir)) {
        throw new InputError(
          `nothing rendered at ${sourceRel} in the task workspace`,
        );
      }
      const user = await membership.resolve(ctx);
      assertMayWrite(membership, user, targetPath, {
        selfServiceOnboarding: config.selfServiceOnboarding,
        allowUpdate,
      });

      const templateName =
        ctx.templateInfo?.entity?.metadata?.name ?? 'template';
      const entity = path.posix.basename(targetPath);
      const message = [
        `${ctx.input.message}`,
        '',
        `Template: ${templateName}`,
        `Entity: ${entity}`,
        `Path: ${targetPath}`,
        `Task: ${ctx.task.id}`,
        ...(user.userRef ? [`Requested-by: ${user.userRef}`] : []),
      ].join('\n');
      const pr = config.mode === 'pull-request';
      const pushBranch = pr
        ? pullRequestBranch(templateName, entity, ctx.task.id)
        : config.branch;

      // The push is the side effect a retried task must not repeat: the checkpoint stores
      // the pushed SHA, and a retry returns it instead of cloning and committing again.
      const result = await ctx.checkpoint({
        key: `gitops-push-${targetPath}`,
        fn: async () => {
          const workDir = fs.mkdtempSync(
            path.join(ctx.workspacePath, '.gitops-commit-'),
          );
          try {
            const pushed = await remote.commitAndPush({
              workDir,
              targetPath,
              sourceDir,
              message,
              author: { name: user.name, email: user.email },
              allowUpdate,
              pushBranch,
              baseBranch: config.branch,
              logger: ctx.logger,
            });
            return { commitSha: pushed.commitSha, changed: pushed.changed };
          } finally {
            fs.rmSync(workDir, { recursive: true, force: true });
          }
        },
      });
      ctx.logger.info(
        `${result.changed ? 'pushed' : 'unchanged'} ${targetPath} at ${
          result.commitSha
        } to ${pushBranch}`,
      );

      if (pr && result.changed) {
        const prUrl = await ctx.checkpoint({
          key: `gitops-pr-${targetPath}`,
          fn: async () => {
            const { owner, repo } = parseGithubRemote(config.remote);
            const integration = ScmIntegrations.fromConfig(
              rootConfig,
            ).github.byUrl(config.remote);
            const token = integrationToken(rootConfig, config.remote);
            if (!token) {
              throw new InputError(
                `no integrations token for ${config.remote}; pull-request mode needs one`,
              );
            }
            return openGithubPullRequest({
              apiBaseUrl:
                integration?.config.apiBaseUrl ?? 'https://api.github.com',
              owner,
              repo,
              token,
              head: pushBranch,
              base: config.branch,
              title: ctx.input.message,
              body: message,
              fetchImpl: opts.fetchImpl,
            });
          },
        });
        ctx.output('pullRequestUrl', prUrl);
      }
      ctx.output('commitSha', result.commitSha);
      ctx.output('path', targetPath);
      const url = browseUrl(
        config.browseUrlTemplate,
        result.commitSha,
        targetPath,
      );
      if (url) ctx.output('browseUrl', url);
    },
  });
}
