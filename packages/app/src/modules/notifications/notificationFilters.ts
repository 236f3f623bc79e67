import {
  isNotificationsEnabledFor,
  type NotificationSettings,
} from '@backstage/plugin-notifications-common';
import type { GetNotificationsOptions } from '@backstage/plugin-notifications';
import {
  NOTIFICATION_KINDS,
  teamTag,
  type NotificationKind,
} from '@internal/plugin-notifications-idp-common';

/** The channel of the portal's own notification list (the bell and this page). */
export const WEB_CHANNEL = 'Web';

/** Where the portal's detectors send from: a module of the notifications backend. */
export const IDP_NOTIFICATIONS_ORIGIN = 'plugin:notifications';

/** The kinds to offer: the portal's own, then any other topic the person has received. */
export function kindsOf(receivedTopics: string[]): NotificationKind[] {
  const known = new Set(NOTIFICATION_KINDS.map(k => k.topic));
  const others = [...new Set(receivedTopics)]
    .filter(topic => !known.has(topic))
    .sort()
    .map(topic => ({ topic, label: topic, mutable: true }));
  return [...NOTIFICATION_KINDS, ...others];
}

/** What the person picked on the page. */
export interface NotificationFilters {
  view: 'unread' | 'all' | 'saved';
  /** A topic, or every kind. */
  kind?: string;
  /** A Group entity ref, or every team. */
  team?: string;
  page: number;
  pageSize: number;
  /** Words from the table's search box. */
  text?: string;
}

/**
 * The notifications backend's query for the filters. Kind, team and view apply server side; the
 * backend has one full-text term, so with a team chosen it searches the team's tag and the page
 * narrows by the typed words (`matchesText`).
 */
export function notificationsQuery(
  filters: NotificationFilters,
): GetNotificationsOptions {
  const options: GetNotificationsOptions = {
    limit: filters.pageSize,
    offset: filters.page * filters.pageSize,
    sort: 'created',
    sortOrder: 'desc',
  };
  if (filters.view === 'unread') options.read = false;
  if (filters.view === 'saved') options.saved = true;
  if (filters.kind) options.topic = filters.kind;
  if (filters.team) options.search = teamTag(filters.team);
  else if (filters.text) options.search = filters.text;
  return options;
}

/** The origins whose notifications of `topic` the settings govern (the portal's when none lists it). */
function originsOfTopic(settings: NotificationSettings, topic: string) {
  const web = settings.channels.find(c => c.id === WEB_CHANNEL);
  const listing = (web?.origins ?? []).filter(o =>
    o.topics?.some(t => t.id === topic),
  );
  return listing.length > 0
    ? listing.map(o => o.id)
    : [IDP_NOTIFICATIONS_ORIGIN];
}

/** True when the person gets no notifications of `topic` on the web channel from any origin. */
export function isKindMuted(
  settings: NotificationSettings,
  topic: string,
): boolean {
  return originsOfTopic(settings, topic).every(
    origin => !isNotificationsEnabledFor(settings, WEB_CHANNEL, origin, topic),
  );
}

/**
 * The settings with `topic` muted (or unmuted) on the web channel for every origin sending it.
 * The notifications backend checks them when it sends, so a muted kind is never stored for the
 * person, not merely hidden.
 */
export function withKindMuted(
  settings: NotificationSettings,
  topic: string,
  muted: boolean,
): NotificationSettings {
  const origins = originsOfTopic(settings, topic);
  const channels = settings.channels.some(c => c.id === WEB_CHANNEL)
    ? settings.channels
    : [...settings.channels, { id: WEB_CHANNEL, origins: [] }];
  return {
    channels: channels.map(channel => {
      if (channel.id !== WEB_CHANNEL) return channel;
      const missing = origins.filter(
        id => !channel.origins.some(o => o.id === id),
      );
      return {
        ...channel,
        origins: [
          ...channel.origins,
          ...missing.map(id => ({ id, enabled: true, topics: [] })),
        ].map(origin => {
          if (!origins.includes(origin.id)) return origin;
          const topics = origin.topics ?? [];
          const setting = { id: topic, enabled: !muted };
          return {
            ...origin,
            topics: topics.some(t => t.id === topic)
              ? topics.map(t => (t.id === topic ? setting : t))
              : [...topics, setting],
          };
        }),
      };
    }),
  };
}

/** Whether a notification's title or description contains `text` (any case); no text matches all. */
export function matchesText(
  notification: { payload: { title: string; description?: string } },
  text?: string,
): boolean {
  if (!text) return true;
  const needle = text.toLocaleLowerCase('en-US');
  return [notification.payload.title, notification.payload.description ?? '']
    .join('\n')
    .toLocaleLowerCase('en-US')
    .includes(needle);
}
