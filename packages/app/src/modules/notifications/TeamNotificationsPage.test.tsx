import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  notificationsApiRef,
  type NotificationsApi,
} from '@backstage/plugin-notifications';
import type { NotificationSettings } from '@backstage/plugin-notifications-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KindSettings } from './TeamNotificationsPage';
import { kindsOf } from './notificationFilters';

const settings: NotificationSettings = {
  channels: [
    {
      id: 'Web',
      origins: [
        {
          id: 'plugin:notifications',
          enabled: true,
          topics: [{ id: 'policy-failure', enabled: true }],
        },
      ],
    },
  ],
};

/** Answers like a backend over HTTP: later, not within the click that asked. */
const later = <T,>(value: () => T) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(value());
      } catch (error) {
        reject(error);
      }
    }, 20),
  );

function renderSwitches(api: Partial<NotificationsApi>) {
  return renderInTestApp(<KindSettings kinds={kindsOf([])} />, {
    apis: [[notificationsApiRef, api as NotificationsApi]],
  });
}

describe('KindSettings', () => {
  it('mutes a kind in the person’s notification settings and shows it off', async () => {
    const updateNotificationSettings = jest.fn((next: NotificationSettings) =>
      later(() => next),
    );
    await renderSwitches({
      getNotificationSettings: () => later(() => settings),
      updateNotificationSettings,
    });
    const policy = await screen.findByRole('switch', {
      name: 'Policy failure',
    });
    await waitFor(() => expect(policy).toBeEnabled());
    expect(policy).toBeChecked();
    // the broadcast kind has no switch: the backend ignores personal settings for it
    expect(
      screen.getByText('Cluster tier state: sent to everyone, cannot be muted'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('switch', { name: /Cluster tier state/ }),
    ).toBeNull();

    // the switch saves, then shows what the backend answered
    await userEvent.click(policy);
    await waitFor(() => expect(policy).not.toBeChecked());
    expect(updateNotificationSettings).toHaveBeenCalledWith({
      channels: [
        {
          id: 'Web',
          origins: [
            {
              id: 'plugin:notifications',
              enabled: true,
              topics: [{ id: 'policy-failure', enabled: false }],
            },
          ],
        },
      ],
    });
  });

  it('says when the settings cannot be saved and keeps the switch as it was', async () => {
    await renderSwitches({
      getNotificationSettings: () => later(() => settings),
      updateNotificationSettings: () =>
        later(() => {
          throw new Error('notifications backend unavailable');
        }),
    });
    const policy = await screen.findByRole('switch', {
      name: 'Policy failure',
    });
    await waitFor(() => expect(policy).toBeEnabled());
    await userEvent.click(policy);
    expect(
      await screen.findByText(
        /Could not change your notification settings: Error: notifications backend unavailable/,
      ),
    ).toBeInTheDocument();
    expect(policy).toBeChecked();
  });
});
