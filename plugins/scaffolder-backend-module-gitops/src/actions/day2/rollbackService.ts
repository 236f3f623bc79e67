import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseManifests, runGit } from '@internal/gitops-repo';
import { GitopsActionDeps, openTaskCheckout } from '../../core';
import {
  findServiceDir,
  ServiceChangePlanner,
  serviceNameOf,
} from '../../day2/ServiceChangePlanner';
import { splitImage } from '../../day2/serviceSettings';

const SHA = /^[0-9a-f]{40}$/;

/**
 * `gitops:rollback:service`: a commit that restores what a service ran at an earlier revision
 * of the GitOps repository (one ArgoCD deployed, picked from the Application's history): its
 * image tag, or with `wholeDirectory` the whole service directory as it was. Git stays the
 * truth; ArgoCD is never asked to roll back. An auto-updating service is pinned
 * (imageUpdate none), or Image Updater would roll it forward again at once.
 */
export function createRollbackServiceAction(
  deps: Pick<GitopsActionDeps, 'config' | 'repository' | 'authorizer'> & {
    planner: ServiceChangePlanner;
  },
) {
  const { config, repository, authorizer, planner } = deps;
  return createTemplateAction({
    id: 'gitops:rollback:service',
    description:
      "Restores a service's image tag (or its whole directory) as it was at an earlier revision of the GitOps repository, into the workspace for gitops:commit.",
    schema: {
      input: {
        entity: z =>
          z
            .string()
            .describe(
              'The service, as an entity ref (component:default/<name>)',
            ),
        revision: z =>
          z
            .string()
            .describe('The commit (40 hex) ArgoCD deployed, from its history'),
        wholeDirectory: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Restore every file of the service directory, not only the image tag',
            ),
      },
      output: {
        path: z => z.string(),
        changed: z => z.boolean(),
        diff: z => z.string(),
        tag: z => z.string(),
        team: z => z.string(),
        service: z => z.string(),
      },
    },
    async handler(ctx) {
      const revision = ctx.input.revision.trim().toLowerCase();
      if (!SHA.test(revision)) {
        throw new InputError(
          `revision '${ctx.input.revision}' must be a full commit id (40 hex digits) from the Application's history`,
        );
      }
      const service = serviceNameOf(ctx.input.entity);
      const user = await authorizer.resolveUser(ctx);
      // the task's checkout has the branch's full history (a single-branch clone, not shallow):
      // the revision may be any earlier commit of the branch
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      const root = repo.root;
      const git = (args: string[]) => runGit(args, { cwd: root });
      let found: { team: string; rel: string };
      let tag: string;
      let restored: { changed: boolean; diff: string } | undefined;
      try {
        found = findServiceDir(repo, service);
        authorizer.assertMayWrite(user, found.rel, 'update');
        try {
          await git(['merge-base', '--is-ancestor', revision, 'HEAD']);
        } catch {
          throw new InputError(
            `revision ${revision} is not in the history of ${config.branch}; pick one the Application deployed`,
          );
        }
        let deployment;
        try {
          deployment = parseManifests(
            await git(['show', `${revision}:${found.rel}/deployment.yaml`]),
            `${found.rel}/deployment.yaml@${revision}`,
          )[0] as any;
        } catch {
          throw new InputError(
            `${found.rel} did not exist at revision ${revision.slice(
              0,
              12,
            )}; nothing to roll back to`,
          );
        }
        const image = deployment?.spec?.template?.spec?.containers?.[0]?.image;
        const old = image ? splitImage(String(image)).tag : undefined;
        if (!old) {
          throw new InputError(
            `the Deployment at revision ${revision.slice(
              0,
              12,
            )} has no tagged image`,
          );
        }
        tag = old;
        if (ctx.input.wholeDirectory) {
          await git(['rm', '-r', '-q', '--', found.rel]);
          await git(['checkout', revision, '--', found.rel]);
          const diff = await git([
            'diff',
            '--cached',
            '--no-color',
            '--',
            found.rel,
          ]);
          const out = path.join(ctx.workspacePath, found.rel);
          fs.rmSync(out, { recursive: true, force: true });
          fs.mkdirSync(path.dirname(out), { recursive: true });
          fs.cpSync(path.join(root, found.rel), out, { recursive: true });
          restored = { changed: diff.trim() !== '', diff };
        }
      } finally {
        // the checkout goes back to its base: gitops:commit commits the output directory on it
        await git(['reset', '--quiet', '--hard', 'HEAD']);
      }
      const result =
        restored ??
        (await planner.plan({
          workspace: ctx.workspacePath,
          entityRef: ctx.input.entity,
          changes: { tag, imageUpdate: 'none' },
          user,
          outputDir: rel => path.join(ctx.workspacePath, rel),
        }));
      ctx.logger.info(
        result.changed
          ? `rolling ${found.rel} back to ${tag} (revision ${revision.slice(
              0,
              12,
            )}):\n${result.diff}`
          : `nothing to change: ${
              found.rel
            } already runs what revision ${revision.slice(0, 12)} ran`,
      );
      ctx.output('path', found.rel);
      ctx.output('changed', result.changed);
      ctx.output('diff', result.diff);
      ctx.output('tag', tag);
      ctx.output('team', found.team);
      ctx.output('service', service);
    },
  });
}
