import {
  Entity,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Who runs the task, as the catalog knows them. */
export interface TaskUser {
  /** `user:default/<name>`, or undefined for a task started without a user. */
  userRef?: string;
  /** Group refs the user is a member of (`group:default/<name>`). */
  groups: Set<string>;
  name: string;
  email: string;
}

/** The minimum of an action context this module needs to know the task's user. */
export interface UserContext {
  user?: { ref?: string; entity?: Entity };
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

export function groupRef(team: string): string {
  return stringifyEntityRef(parseEntityRef(team, { defaultKind: 'group' }));
}

/** Groups from the catalog's `memberOf` relations, plus `spec.memberOf` before processing. */
export function groupsOf(entity: Entity | undefined): Set<string> {
  const groups = new Set<string>();
  for (const r of entity?.relations ?? []) {
    if (r.type === RELATION_MEMBER_OF) groups.add(r.targetRef);
  }
  const specMemberOf = (entity?.spec as { memberOf?: unknown } | undefined)
    ?.memberOf;
  if (Array.isArray(specMemberOf)) {
    for (const g of specMemberOf) {
      if (typeof g === 'string') groups.add(groupRef(g));
    }
  }
  return groups;
}

/**
 * Resolves the task's user from the catalog with the task initiator's own credentials, so
 * team boundaries are enforced on the server no matter what the form sent.
 */
export class TeamMembership {
  constructor(
    private readonly catalog: CatalogService,
    private readonly platformGroup: string,
    private readonly fallbackAuthor: { name: string; email: string },
  ) {}

  async resolve(ctx: UserContext): Promise<TaskUser> {
    const credentials = await ctx.getInitiatorCredentials();
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    const userRef =
      ctx.user?.ref ??
      (principal.type === 'user' ? principal.userEntityRef : undefined);
    if (!userRef) {
      return { groups: new Set(), ...this.fallbackAuthor };
    }
    const entity =
      (await this.catalog.getEntityByRef(userRef, { credentials })) ??
      ctx.user?.entity;
    const profile = (
      entity?.spec as
        | { profile?: { displayName?: string; email?: string } }
        | undefined
    )?.profile;
    const { name } = parseEntityRef(userRef);
    return {
      userRef,
      groups: groupsOf(entity),
      name: profile?.displayName ?? name,
      email: profile?.email ?? `${name}@users.noreply.idp-portal`,
    };
  }

  isPlatform(user: TaskUser): boolean {
    return user.groups.has(this.platformGroup);
  }

  /** Throws NotAllowedError unless the user is in the team or in the platform group. */
  assertMember(user: TaskUser, team: string): void {
    if (this.isPlatform(user) || user.groups.has(groupRef(team))) return;
    throw new NotAllowedError(
      `${
        user.userRef ?? 'this task'
      } is not a member of team '${team}' (nor of ${
        this.platformGroup
      }); only its members may change K8s/teams/${team} or K8s/apps/${team}`,
    );
  }
}
