import { useEffect, useState } from 'react';
import { Content, ResponseErrorPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  NotificationsTable,
  notificationsApiRef,
  useNotificationsApi,
} from '@backstage/plugin-notifications';
import type { NotificationSettings } from '@backstage/plugin-notifications-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { Flex, Grid, Select, Switch, Text } from '@backstage/ui';
import {
  isKindMuted,
  kindsOf,
  matchesText,
  notificationsQuery,
  withKindMuted,
  type NotificationFilters,
} from './notificationFilters';

const ALL = '___all___';

/**
 * The notifications page: the stock notifications table, filtered by kind (topic) and by the
 * person's teams, with a switch per kind that mutes it for this person in their notification
 * settings (the notifications backend then stops storing that kind for them).
 */
export function TeamNotificationsPage() {
  const [filters, setFilters] = useState<NotificationFilters>({
    view: 'unread',
    page: 0,
    pageSize: 10,
  });
  const [text, setText] = useState<string>();
  const update = (change: Partial<NotificationFilters>) =>
    setFilters(previous => ({ ...previous, page: 0, ...change }));

  const { value, error, loading, retry } = useNotificationsApi(
    api =>
      Promise.all([
        api.getNotifications(notificationsQuery({ ...filters, text })),
        api.getStatus(),
        api.getTopics(),
      ]),
    [filters, text],
  );

  // a new notification, or one read elsewhere, reloads the list (as the stock page does); a
  // burst of signals (a broadcast, many resolved at once) reloads once
  const { lastSignal } = useSignal('notifications');
  useEffect(() => {
    if (!lastSignal) return undefined;
    const timer = setTimeout(retry, 500);
    return () => clearTimeout(timer);
  }, [lastSignal, retry]);

  if (error) return <ResponseErrorPanel error={error} />;
  const [list, status, topics] = value ?? [];
  // the text box narrows a team's page on the client: the backend has one search term
  const notifications = list?.notifications.filter(n =>
    filters.team ? matchesText(n, text) : true,
  );
  const kinds = kindsOf(topics?.topics ?? []);

  return (
    <Content>
      <Grid.Root columns="12" gap="6">
        <Grid.Item colSpan="3">
          <Flex direction="column" gap="4">
            <Text variant="title-x-small">Filters</Text>
            <Select
              label="View"
              value={filters.view}
              onChange={key =>
                update({ view: key as NotificationFilters['view'] })
              }
              options={[
                { value: 'unread', label: 'Unread' },
                { value: 'saved', label: 'Saved' },
                { value: 'all', label: 'All' },
              ]}
            />
            <Select
              label="Kind"
              value={filters.kind ?? ALL}
              onChange={key =>
                update({ kind: key === ALL ? undefined : String(key) })
              }
              options={[
                { value: ALL, label: 'Every kind' },
                ...kinds.map(k => ({ value: k.topic, label: k.label })),
              ]}
            />
            <TeamSelect
              value={filters.team}
              onChange={team => update({ team })}
            />
            <KindSettings kinds={kinds} />
          </Flex>
        </Grid.Item>
        <Grid.Item colSpan="9">
          <NotificationsTable
            title={`${list?.totalCount ?? 0} ${
              list?.totalCount === 1 ? 'notification' : 'notifications'
            }`}
            isLoading={loading}
            isUnread={!!status?.unread}
            notifications={notifications}
            onUpdate={retry}
            setContainsText={search => setText(search || undefined)}
            onPageChange={page => setFilters(f => ({ ...f, page }))}
            onRowsPerPageChange={pageSize =>
              setFilters(f => ({ ...f, page: 0, pageSize }))
            }
            page={filters.page}
            pageSize={filters.pageSize}
            totalCount={list?.totalCount}
          />
        </Grid.Item>
      </Grid.Root>
    </Content>
  );
}

/** The teams (Groups) the signed-in person is a member of, as a filter. */
function TeamSelect(props: {
  value?: string;
  onChange: (team?: string) => void;
}) {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [teams, setTeams] = useState<Entity[]>([]);
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const { userEntityRef } = await identityApi.getBackstageIdentity();
      const { items } = await catalogApi.getEntities({
        filter: { kind: 'Group', 'relations.hasMember': userEntityRef },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.profile.displayName',
        ],
      });
      if (!cancelled) setTeams(items);
    })().catch(e => !cancelled && setFailure(String(e)));
    return () => {
      cancelled = true;
    };
  }, [identityApi, catalogApi]);
  return (
    <Flex direction="column" gap="1">
      <Select
        label="Team"
        value={props.value ?? ALL}
        onChange={key => props.onChange(key === ALL ? undefined : String(key))}
        options={[
          { value: ALL, label: 'Every team' },
          ...teams.map(team => ({
            value: stringifyEntityRef(team),
            label:
              (team.spec?.profile as { displayName?: string } | undefined)
                ?.displayName ?? team.metadata.name,
          })),
        ]}
      />
      {failure && (
        <Text variant="body-small" color="danger">
          Could not load your teams: {failure}
        </Text>
      )}
    </Flex>
  );
}

/** A switch per kind: off mutes that kind for this person (their notification settings). */
export function KindSettings(props: { kinds: ReturnType<typeof kindsOf> }) {
  const notificationsApi = useApi(notificationsApiRef);
  const [settings, setSettings] = useState<NotificationSettings>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    notificationsApi
      .getNotificationSettings()
      .then(setSettings, e => setFailure(String(e)));
  }, [notificationsApi]);

  const toggle = async (topic: string, notify: boolean) => {
    if (!settings) return;
    try {
      setSettings(
        await notificationsApi.updateNotificationSettings(
          withKindMuted(settings, topic, !notify),
        ),
      );
      setFailure(undefined);
    } catch (e) {
      setFailure(String(e));
    }
  };

  return (
    <Flex direction="column" gap="2">
      <Text variant="title-x-small">Notify me about</Text>
      {props.kinds.map(kind =>
        kind.mutable ? (
          <Switch
            key={kind.topic}
            label={kind.label}
            isDisabled={!settings}
            isSelected={settings ? !isKindMuted(settings, kind.topic) : true}
            onChange={notify => toggle(kind.topic, notify)}
          />
        ) : (
          <Text key={kind.topic} variant="body-small">
            {kind.label}: sent to everyone, cannot be muted
          </Text>
        ),
      )}
      {failure && (
        <Text variant="body-small" color="danger">
          Could not change your notification settings: {failure}
        </Text>
      )}
    </Flex>
  );
}
