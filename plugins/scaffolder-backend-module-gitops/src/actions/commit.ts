import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { assertSafeRepoPath, pullRequestBranch } from '@internal/gitops-repo';
import { GitopsActionDeps, openTaskCheckout } from '../core';
import { RepoState } from '../repoState';
import { assertRendered } from '../validation';
import { enforcePolicies } from './policyCheck';

export function browseUrl(
  template: string | undefined,
  sha: string,
  p: string,
): string | undefined {
  return template?.replace(/\{sha\}/g, sha).replace(/\{path\}/g, p);
}

/**
 * `gitops:commit`: commits the rendered files as one path of the task's checkout, as the task's
 * user, and pushes (or opens a pull request). When the branch moved since the task rendered,
 * the commit is rebased onto the new head and the Kyverno policies of the rebased repository are
 * checked again before anything is pushed.
 */
export function createGitopsCommitAction(deps: GitopsActionDeps) {
  const { config, repository, authorizer } = deps;
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
        landing: z =>
          z
            .string()
            .describe(
              'One sentence saying where the change went: onto the branch ArgoCD reads, into a pull request, or nowhere (unchanged)',
            ),
      },
    },
    async handler(ctx) {
      assertRendered(ctx.input);
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
      const user = await authorizer.resolveUser(ctx);
      authorizer.assertMayWrite(
        user,
        targetPath,
        allowUpdate ? 'update' : 'create',
      );

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
      // the pushed SHA, and a retry returns it instead of committing again.
      const result = await ctx.checkpoint({
        key: `gitops-push-${targetPath}`,
        fn: async () => {
          const checkout = await openTaskCheckout(
            repository,
            ctx.workspacePath,
          );
          const pushed = await repository.commitAndPush(checkout, {
            targetPath,
            sourceDir,
            message,
            author: { name: user.name, email: user.email },
            allowUpdate,
            pushBranch,
            logger: ctx.logger,
            // the repository changed since the policy check: check the rebased result again
            recheck: dir =>
              void enforcePolicies({
                repo: new RepoState(dir),
                dir: path.join(dir, targetPath),
                root: dir,
                logger: ctx.logger,
                unverifiableEnforce: config.unverifiableEnforcePolicies,
                context: `after rebasing ${targetPath} onto the current ${config.branch}`,
              }),
          });
          return {
            commitSha: pushed.commitSha,
            changed: pushed.changed,
            rebases: pushed.rebases,
            rejectedPushes: pushed.rejectedPushes,
            queuedMs: pushed.queuedMs,
            landingMs: pushed.landingMs,
          };
        },
      });
      ctx.logger.info(
        `${result.changed ? 'pushed' : 'unchanged'} ${targetPath} at ${
          result.commitSha
        } to ${pushBranch} after ${result.rebases ?? 0} rebase(s) and ${
          result.rejectedPushes ?? 0
        } rejected push(es); waited ${
          result.queuedMs ?? 0
        } ms for the push queue, landed in ${result.landingMs ?? 0} ms`,
      );

      if (pr && result.changed) {
        const prUrl = await ctx.checkpoint({
          key: `gitops-pr-${targetPath}`,
          fn: () =>
            repository.openPullRequest({
              head: pushBranch,
              title: ctx.input.message,
              body: message,
              fetchImpl: deps.fetchImpl,
            }),
        });
        ctx.output('pullRequestUrl', prUrl);
      }
      ctx.output('commitSha', result.commitSha);
      ctx.output('path', targetPath);
      ctx.output(
        'landing',
        landingSentence({
          changed: result.changed,
          commitSha: result.commitSha,
          branch: config.branch,
          pullRequestBranch: pr ? pushBranch : undefined,
        }),
      );
      const url = browseUrl(
        config.browseUrlTemplate,
        result.commitSha,
        targetPath,
      );
      if (url) ctx.output('browseUrl', url);
    },
  });
}

/**
 * Where a commit went, for the templates' "What happens next": in pull-request mode nothing
 * reaches ArgoCD or the catalog until someone merges, and the text must not promise otherwise.
 */
export function landingSentence(options: {
  changed: boolean;
  commitSha: string;
  branch: string;
  pullRequestBranch?: string;
}): string {
  const sha = options.commitSha.slice(0, 12);
  if (!options.changed) {
    return `was already as requested (\`${options.branch}\` at \`${sha}\`): nothing was committed`;
  }
  if (options.pullRequestBranch) {
    return `was committed as \`${sha}\` on the branch \`${options.pullRequestBranch}\` and opened as a pull request: nothing changes until it is merged into \`${options.branch}\``;
  }
  return `was committed to \`${options.branch}\` as \`${sha}\``;
}
