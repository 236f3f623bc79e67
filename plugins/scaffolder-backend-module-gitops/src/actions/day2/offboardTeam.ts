import fs from 'node:fs';
import path from 'node:path';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { APPS_DIR, teamDir } from '@internal/gitops-repo';
import { GitopsActionDeps, openTaskCheckout } from '../../core';
import { DNS1123_LABEL } from '../../validation';

/**
 * `gitops:offboard:team`: prepares the removal of `K8s/teams/<team>/` (an empty directory in the
 * workspace that gitops:commit commits as the deletion of every file), so ArgoCD's teams
 * ApplicationSet drops the team's Application and namespace and the catalog drops its Group.
 * Only for a team that owns no services (`K8s/apps/<team>/` empty), after `confirm` repeats its
 * name; only its members and platform-team.
 */
export function createOffboardTeamAction(
  deps: Pick<GitopsActionDeps, 'repository' | 'authorizer'>,
) {
  const { repository, authorizer } = deps;
  return createTemplateAction({
    id: 'gitops:offboard:team',
    description:
      'Prepares the removal of a team directory (K8s/teams/<team>) when the team owns no services.',
    schema: {
      input: {
        entity: z =>
          z
            .string()
            .describe('The team, as an entity ref (group:default/<team>)'),
        confirm: z => z.string().describe("The team's name, typed again"),
      },
      output: {
        path: z => z.string(),
        team: z => z.string(),
      },
    },
    async handler(ctx) {
      let team: string;
      try {
        const ref = parseEntityRef(ctx.input.entity, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        if (ref.kind.toLowerCase() !== 'group') throw new Error();
        team = ref.name;
      } catch {
        throw new InputError(
          `entity '${ctx.input.entity}' is not a team (Group)`,
        );
      }
      if (!DNS1123_LABEL.test(team)) {
        throw new InputError(
          `entity '${ctx.input.entity}' is not a team (Group)`,
        );
      }
      if (ctx.input.confirm.trim() !== team) {
        throw new InputError(
          `type the team's name '${team}' to confirm offboarding it (got '${ctx.input.confirm}'); nothing was changed`,
        );
      }
      const rel = teamDir(team);
      const user = await authorizer.resolveUser(ctx);
      authorizer.assertMayWrite(user, rel, 'update');
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      if (!repo.teamExists(team)) {
        throw new NotFoundError(
          `team '${team}' is not in the GitOps repository (no ${rel})`,
        );
      }
      const apps = path.join(repo.root, APPS_DIR, team);
      const services = fs.existsSync(apps)
        ? fs
            .readdirSync(apps, { withFileTypes: true })
            .filter(d => d.isDirectory())
            .map(d => d.name)
        : [];
      if (services.length) {
        throw new ConflictError(
          `team '${team}' still owns ${services.join(
            ', ',
          )}; decommission its services first, nothing was changed`,
        );
      }
      const dir = path.join(ctx.workspacePath, rel);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      ctx.output('path', rel);
      ctx.output('team', team);
    },
  });
}
