/**
 * Where teams and their services live in the GitOps repository. Every writer (templates,
 * day-2 actions, the permission policy) and every reader asks these functions, so the layout is
 * decided once.
 */

/** The directory onboarding writes one sub-directory per team into. */
export const TEAMS_DIR = 'K8s/teams';
/** The directory new-service writes `<team>/<service>` into. */
export const APPS_DIR = 'K8s/apps';
/** The Kyverno policies every rendered manifest is checked against. */
export const POLICY_DIR = 'K8s/policies/kyverno-policies';

/** What a team can be named: a DNS-1123 label (it names the namespace). */
const TEAM_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `K8s/teams/<team>`: the team's namespace, quota, RBAC, AppProject and catalog Group.
 *
 * @public
 */
export function teamDir(team: string): string {
  return `${TEAMS_DIR}/${team}`;
}

/**
 * `K8s/apps/<team>/<service>`: one service's manifests and catalog Component.
 *
 * @public
 */
export function serviceDir(team: string, service: string): string {
  return `${APPS_DIR}/${team}/${service}`;
}

/**
 * What a repository path is in the layout: a team directory (onboarding writes it), something
 * of a team's services, or platform territory (anything else).
 *
 * @public
 */
export type PathOwner =
  | { kind: 'team-dir'; team: string }
  | { kind: 'team-apps'; team: string }
  | { kind: 'platform' };

/**
 * Which team a repository path belongs to: `K8s/teams/<team>` is the team's own directory,
 * `K8s/apps/<team>/...` its services; anything else (including files directly in `K8s/teams`
 * or `K8s/apps`) belongs to the platform.
 *
 * @public
 */
export function ownerOfPath(repoPath: string): PathOwner {
  const s = repoPath.split('/');
  const top = `${s[0]}/${s[1]}`;
  // only a name a team can have (a DNS-1123 label) makes a team's directory; a file such as
  // K8s/teams/applicationset-teams.yaml stays the platform's
  const team = s[2] && TEAM_NAME.test(s[2]) ? s[2] : undefined;
  if (top === TEAMS_DIR && team) return { kind: 'team-dir', team };
  if (top === APPS_DIR && team) return { kind: 'team-apps', team };
  return { kind: 'platform' };
}
