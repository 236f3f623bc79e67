import fs from 'node:fs';
import path from 'node:path';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parse as parseYaml } from 'yaml';
import { teamDir } from '@internal/gitops-repo';
import { GitopsActionDeps, openTaskCheckout } from '../../core';
import { toYaml } from '../../render/yaml';
import { DNS1123_LABEL } from '../../validation';

/** `user:default/<name>` for a user ref or bare name; InputError for anything else. */
export function userRefOf(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(`'${value}' is not a user reference`);
  }
  if (ref.kind.toLowerCase() !== 'user') {
    throw new InputError(`'${value}' is a ${ref.kind}, not a User`);
  }
  return stringifyEntityRef(ref);
}

/** How a Group lists a member: the bare name in the default namespace, as onboarding writes it. */
function memberEntry(userRef: string): string {
  const r = parseEntityRef(userRef);
  return r.namespace === 'default' ? r.name : userRef;
}

/**
 * The Group's members after adding and removing (pure). Never leaves the Group without members;
 * removing someone who is not listed is an error (it would silently do nothing).
 */
export function changeMembers(
  current: string[],
  add: string[],
  remove: string[],
): string[] {
  const refs = current.map(userRefOf);
  const toRemove = remove.map(userRefOf);
  for (const r of toRemove) {
    if (!refs.includes(r)) {
      throw new InputError(
        `${r} is not listed as a member of the team's Group, so it cannot be removed`,
      );
    }
  }
  const next = refs.filter(r => !toRemove.includes(r));
  for (const r of add.map(userRefOf)) if (!next.includes(r)) next.push(r);
  if (next.length === 0) {
    throw new InputError(
      'a team keeps at least one member: removing the last member is refused (offboard the team instead)',
    );
  }
  return next;
}

/**
 * `gitops:team:members`: adds and removes catalog Users in the Group of `K8s/teams/<team>/`
 * (its catalog-info.yaml) and writes the team directory into the workspace for gitops:commit.
 * Only the team's members and platform-team; added users must exist in the catalog.
 */
export function createTeamMembersAction(
  deps: Pick<GitopsActionDeps, 'repository' | 'authorizer' | 'catalog'>,
) {
  const { repository, authorizer, catalog } = deps;
  return createTemplateAction({
    id: 'gitops:team:members',
    description:
      "Adds and removes catalog Users in a team's Group (K8s/teams/<team>/catalog-info.yaml); never removes the last member.",
    schema: {
      input: {
        entity: z =>
          z
            .string()
            .describe('The team, as an entity ref (group:default/<team>)'),
        add: z =>
          z
            .array(z.string())
            .max(50)
            .optional()
            .describe('Users to add (user refs)'),
        remove: z =>
          z
            .array(z.string())
            .max(50)
            .optional()
            .describe('Users to remove (user refs)'),
      },
      output: {
        path: z => z.string(),
        team: z => z.string(),
        changed: z => z.boolean(),
        members: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      let ref;
      try {
        ref = parseEntityRef(ctx.input.entity, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
      } catch {
        throw new InputError(
          `entity '${ctx.input.entity}' is not an entity ref`,
        );
      }
      if (ref.kind.toLowerCase() !== 'group' || !DNS1123_LABEL.test(ref.name)) {
        throw new InputError(
          `entity '${ctx.input.entity}' is not a team (Group)`,
        );
      }
      const team = ref.name;
      const add = (ctx.input.add ?? []).filter(Boolean);
      const remove = (ctx.input.remove ?? []).filter(Boolean);
      const rel = teamDir(team);
      const user = await authorizer.resolveUser(ctx);
      authorizer.assertMayWrite(user, rel, 'update');
      const credentials = await ctx.getInitiatorCredentials();
      for (const u of add) {
        const userRef = userRefOf(u);
        if (!(await catalog.getEntityByRef(userRef, { credentials }))) {
          throw new InputError(`${userRef} is not a User in the catalog`);
        }
      }
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      const result = (() => {
        const dir = path.join(repo.root, rel);
        const file = path.join(dir, 'catalog-info.yaml');
        if (!fs.existsSync(file)) {
          throw new NotFoundError(
            `team '${team}' is not in the GitOps repository (no ${rel}/catalog-info.yaml)`,
          );
        }
        const group = parseYaml(fs.readFileSync(file, 'utf8'));
        if (group?.kind !== 'Group' || group?.metadata?.name !== team) {
          throw new InputError(
            `${rel}/catalog-info.yaml is not the Group '${team}'`,
          );
        }
        const current: string[] = group.spec?.members ?? [];
        const next = changeMembers(current, add, remove).map(memberEntry);
        const changed = JSON.stringify(next) !== JSON.stringify(current);
        group.spec = { ...group.spec, members: next };
        const out = path.join(ctx.workspacePath, rel);
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.cpSync(dir, out, { recursive: true });
        fs.writeFileSync(path.join(out, 'catalog-info.yaml'), toYaml(group));
        return { changed, members: next };
      })();
      ctx.logger.info(
        result.changed
          ? `${rel}: members become ${result.members.join(', ')}`
          : `nothing to change: ${rel} already lists these members`,
      );
      ctx.output('path', rel);
      ctx.output('team', team);
      ctx.output('changed', result.changed);
      ctx.output('members', result.members);
    },
  });
}
