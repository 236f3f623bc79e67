/**
 * Notification topics: one per kind of event, so a person can filter and mute each.
 *
 * @public
 */
export const NOTIFICATION_TOPICS = {
  argoCd: 'argocd-application',
  policy: 'policy-failure',
  tierState: 'cluster-tier-state',
  scaffolderTask: 'scaffolder-task',
} as const;

/**
 * A kind of notification: its topic, a label, and whether a person can mute it.
 *
 * @public
 */
export interface NotificationKind {
  topic: string;
  label: string;
  /** Broadcasts reach everyone: the notifications backend applies no personal settings to them. */
  mutable: boolean;
}

/**
 * The kinds the portal sends, in the order the notifications page lists them.
 *
 * @public
 */
export const NOTIFICATION_KINDS: NotificationKind[] = [
  {
    topic: NOTIFICATION_TOPICS.argoCd,
    label: 'ArgoCD Application unhealthy',
    mutable: true,
  },
  { topic: NOTIFICATION_TOPICS.policy, label: 'Policy failure', mutable: true },
  {
    topic: NOTIFICATION_TOPICS.scaffolderTask,
    label: 'Template run finished',
    mutable: true,
  },
  {
    topic: NOTIFICATION_TOPICS.tierState,
    label: 'Cluster tier state',
    mutable: false,
  },
];

/**
 * How a notification's description names a team it is addressed to. The notifications backend
 * keeps no metadata, so the notifications page filters by team with the stock full-text
 * `search` for this tag; the closing parenthesis cannot occur in an entity ref, so one team's
 * tag never matches another's.
 *
 * @public
 */
export function teamTag(teamRef: string): string {
  return `(team ${teamRef})`;
}

/**
 * The team tags of `teamRefs`, one per team, to end a description with.
 *
 * @public
 */
export function teamTags(teamRefs: string[]): string {
  return teamRefs.map(teamTag).join(' ');
}
