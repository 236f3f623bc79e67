import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { GitopsConfig } from './config';
import { ownerOfPath, serviceDir, teamDir } from './layout';

/**
 * Who writes, as the catalog knows them.
 *
 * @public
 */
export interface Writer {
  /** `user:default/<name>`; undefined for a task started without a user. */
  userRef?: string;
  /** Group refs the user is a member of (`group:default/<name>`). */
  groups: ReadonlySet<string>;
  /** Commit author name and email. */
  name: string;
  email: string;
}

/**
 * How a write changes its path: `create` a path that does not exist yet, or `update` one.
 *
 * @public
 */
export type WriteOperation = 'create' | 'update';

/**
 * The answer of {@link WriteAuthorizer.decide}: allowed, or why not (one sentence).
 *
 * @public
 */
export type WriteDecision =
  | { allowed: true }
  | { allowed: false; reason: string };

/**
 * The part of the catalog the authorizer reads: the user's entity with their credentials.
 * Backstage's CatalogService fits.
 *
 * @public
 */
export interface UserCatalog {
  getEntityByRef(
    ref: string,
    options: { credentials: any },
  ): Promise<Entity | undefined>;
}

/**
 * The minimum of a scaffolder action context the authorizer needs to know the task's user.
 *
 * @public
 */
export interface TaskUserContext {
  user?: { ref?: string; entity?: Entity };
  getInitiatorCredentials(): Promise<any>;
}

/**
 * `group:default/<name>` for a team name or a Group ref.
 *
 * @public
 */
export function groupRef(team: string): string {
  return stringifyEntityRef(parseEntityRef(team, { defaultKind: 'group' }));
}

/**
 * Groups from the catalog's `memberOf` relations, plus `spec.memberOf` before processing.
 *
 * @public
 */
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
 * "May this user write this path of the GitOps repository?", answered in one place for every
 * scaffolder action and for the permission policy:
 *
 * - members of the platform group (`gitops.platformGroup`) may write everything;
 * - `K8s/apps/<team>/…` and an existing `K8s/teams/<team>`: members of group `<team>`;
 * - a new `K8s/teams/<team>` (onboarding): the platform group, or every signed-in user when
 *   `gitops.selfServiceOnboarding` is on (a new team has no members to ask);
 * - anything else: the platform group only.
 *
 * Membership comes from the catalog (the user's `memberOf`), read with the task initiator's own
 * credentials, so nothing a form sends decides it.
 *
 * @public
 */
export class WriteAuthorizer {
  constructor(
    private readonly options: {
      platformGroup: string;
      selfServiceOnboarding: boolean;
      fallbackAuthor?: { name: string; email: string };
      catalog?: UserCatalog;
    },
  ) {}

  static fromConfig(config: GitopsConfig, catalog?: UserCatalog) {
    return new WriteAuthorizer({
      platformGroup: config.platformGroup,
      selfServiceOnboarding: config.selfServiceOnboarding,
      fallbackAuthor: config.fallbackAuthor,
      catalog,
    });
  }

  get platformGroup(): string {
    return this.options.platformGroup;
  }

  /** Whether the groups include the platform group, which may do everything. */
  isPlatform(groups: Iterable<string>): boolean {
    for (const g of groups) if (g === this.options.platformGroup) return true;
    return false;
  }

  /** The task's user from the catalog; the fallback author (no groups) without a user. */
  async resolveUser(ctx: TaskUserContext): Promise<Writer> {
    const credentials = await ctx.getInitiatorCredentials();
    const principal = (credentials?.principal ?? {}) as {
      type?: string;
      userEntityRef?: string;
    };
    const userRef =
      ctx.user?.ref ??
      (principal.type === 'user' ? principal.userEntityRef : undefined);
    if (!userRef) {
      return {
        groups: new Set(),
        ...(this.options.fallbackAuthor ?? {
          name: 'IDP Portal',
          email: 'idp-portal@noreply.local',
        }),
      };
    }
    const entity =
      (await this.options.catalog?.getEntityByRef(userRef, { credentials })) ??
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

  /** Pure: whether `writer` may `operation` the repository path `repoPath`, and if not why. */
  decide(
    writer: Pick<Writer, 'userRef' | 'groups'>,
    repoPath: string,
    operation: WriteOperation,
  ): WriteDecision {
    if (this.isPlatform(writer.groups)) return { allowed: true };
    const who = writer.userRef ?? 'a task without a user';
    const owner = ownerOfPath(repoPath);
    if (owner.kind === 'platform') {
      return {
        allowed: false,
        reason: `only ${
          this.options.platformGroup
        } may write ${repoPath}; teams write ${teamDir(
          '<team>',
        )} and ${serviceDir('<team>', '<service>')}`,
      };
    }
    if (owner.kind === 'team-dir' && operation === 'create') {
      return this.options.selfServiceOnboarding && writer.userRef
        ? { allowed: true }
        : {
            allowed: false,
            reason: `onboarding team '${owner.team}' requires membership of ${this.options.platformGroup} (gitops.selfServiceOnboarding is off)`,
          };
    }
    if (writer.groups.has(groupRef(owner.team))) return { allowed: true };
    return {
      allowed: false,
      reason: `${who} is not a member of team '${owner.team}' (nor of ${
        this.options.platformGroup
      }); only its members may change ${teamDir(owner.team)} or ${serviceDir(
        owner.team,
        '…',
      )}`,
    };
  }

  /** {@link WriteAuthorizer.decide}, throwing NotAllowedError with the reason. */
  assertMayWrite(
    writer: Pick<Writer, 'userRef' | 'groups'>,
    repoPath: string,
    operation: WriteOperation,
  ): void {
    const decision = this.decide(writer, repoPath, operation);
    if (!decision.allowed) throw new NotAllowedError(decision.reason);
  }
}
