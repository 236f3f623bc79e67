import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { WriteAuthorizer } from '@internal/gitops-repo';
import { ServiceChangePlanner } from '../../day2/ServiceChangePlanner';
import { changesFromParameters } from '../../day2/serviceSettings';

/**
 * `gitops:update:service`: re-renders an existing `K8s/apps/<team>/<service>/` with the given
 * fields changed (every other field as the remote holds it now) into the task workspace, for
 * gitops:policy:check and gitops:commit (allowUpdate) to follow. `changed: false` means the
 * request changes no file: the template then skips the commit and says "nothing to change".
 */
export function createUpdateServiceAction(deps: {
  planner: ServiceChangePlanner;
  authorizer: WriteAuthorizer;
}) {
  const { planner, authorizer } = deps;
  return createTemplateAction({
    id: 'gitops:update:service',
    description:
      'Re-renders an existing service directory (K8s/apps/<team>/<service>) with the given fields changed and the others as the GitOps repository holds them now.',
    schema: {
      input: {
        entity: z =>
          z
            .string()
            .describe(
              'The service, as an entity ref (component:default/<name>)',
            ),
        changes: z =>
          z
            .record(z.string(), z.unknown())
            .describe(
              'Fields to change, named as new-service names them (replicas, tag, imageUpdate, semverRange, tagPattern, exposure, hostname, size, tier, env, secrets, ...); the template passes its parameters',
            ),
        baseRevision: z =>
          z
            .string()
            .optional()
            .describe(
              'Tree id of the service directory when the form was loaded; a different current one fails the task',
            ),
      },
      output: {
        path: z => z.string(),
        changed: z => z.boolean(),
        diff: z => z.string(),
        team: z => z.string(),
        service: z => z.string(),
      },
    },
    async handler(ctx) {
      const changes = changesFromParameters(ctx.input.changes);
      const user = await authorizer.resolveUser(ctx);
      // the rendered directory goes where gitops:commit reads it: the same path as in the repo
      const plan = await planner.plan({
        workspace: ctx.workspacePath,
        entityRef: ctx.input.entity,
        changes,
        user,
        baseRevision: ctx.input.baseRevision || undefined,
        outputDir: dir => path.join(ctx.workspacePath, dir),
      });
      if (plan.changed) {
        ctx.logger.info(`${plan.path} changes:\n${plan.diff}`);
      } else {
        ctx.logger.info(
          `nothing to change: ${plan.path} already has these settings; no commit`,
        );
      }
      ctx.output('path', plan.path);
      ctx.output('changed', plan.changed);
      ctx.output('diff', plan.diff);
      ctx.output('team', plan.team);
      ctx.output('service', plan.service);
    },
  });
}
