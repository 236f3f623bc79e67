import fs from 'node:fs';
import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GitopsActionDeps, openTaskCheckout } from '../../core';
import { findServiceDir, serviceNameOf } from '../../day2/ServiceChangePlanner';

/**
 * `gitops:decommission:service`: prepares the removal of `K8s/apps/<team>/<service>/` — an empty
 * directory at that path in the workspace, which gitops:commit (allowUpdate) commits as the
 * deletion of every file. ArgoCD's apps ApplicationSet then drops the Application and prunes its
 * resources; the catalog drops the Component. Refused unless `confirm` repeats the service's
 * name, and while other catalog components depend on it (platform-team may override).
 */
export function createDecommissionServiceAction(
  deps: Pick<GitopsActionDeps, 'repository' | 'authorizer' | 'catalog'>,
) {
  const { repository, authorizer, catalog } = deps;
  return createTemplateAction({
    id: 'gitops:decommission:service',
    description:
      'Prepares the removal of a service directory (K8s/apps/<team>/<service>) after checking the typed confirmation, membership and that no other component depends on it.',
    schema: {
      input: {
        entity: z =>
          z
            .string()
            .describe(
              'The service, as an entity ref (component:default/<name>)',
            ),
        confirm: z => z.string().describe("The service's name, typed again"),
        ignoreDependents: z =>
          z
            .boolean()
            .optional()
            .describe(
              'platform-team only: decommission although other components declare dependsOn on it',
            ),
      },
      output: {
        path: z => z.string(),
        team: z => z.string(),
        service: z => z.string(),
      },
    },
    async handler(ctx) {
      const service = serviceNameOf(ctx.input.entity);
      if (ctx.input.confirm.trim() !== service) {
        throw new InputError(
          `type the service's name '${service}' to confirm its decommissioning (got '${ctx.input.confirm}'); nothing was changed`,
        );
      }
      const user = await authorizer.resolveUser(ctx);
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      const found = findServiceDir(repo, service);
      authorizer.assertMayWrite(user, found.rel, 'update');

      const ref = stringifyEntityRef({
        kind: 'component',
        namespace: 'default',
        name: service,
      });
      const { items } = await catalog.getEntities(
        {
          filter: { 'relations.dependsOn': ref },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      const dependents = items
        .map(e => stringifyEntityRef(e))
        .filter(r => r !== ref);
      if (dependents.length) {
        if (!ctx.input.ignoreDependents) {
          throw new ConflictError(
            `${dependents.join(', ')} depend${
              dependents.length === 1 ? 's' : ''
            } on ${ref} (dependsOn); remove the dependency first${
              authorizer.isPlatform(user.groups)
                ? ' or decommission with ignoreDependents'
                : ' (platform-team may override)'
            }; nothing was changed`,
          );
        }
        if (!authorizer.isPlatform(user.groups)) {
          throw new ConflictError(
            `only platform-team may decommission ${ref} while ${dependents.join(
              ', ',
            )} depend on it; nothing was changed`,
          );
        }
        ctx.logger.warn(
          `decommissioning ${ref} although ${dependents.join(
            ', ',
          )} depend on it (platform-team override)`,
        );
      }
      // an empty directory: committed over the service's directory it deletes every file
      const dir = path.join(ctx.workspacePath, found.rel);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      ctx.output('path', found.rel);
      ctx.output('team', found.team);
      ctx.output('service', service);
    },
  });
}
