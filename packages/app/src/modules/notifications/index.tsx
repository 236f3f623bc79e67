import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';

/**
 * Replaces the notifications plugin's page (`page:notifications`) with one that filters by kind
 * and team and lets a person mute a kind; the table, API and bell stay the plugin's own.
 */
export const notificationsModule = createFrontendModule({
  pluginId: 'notifications',
  extensions: [
    PageBlueprint.make({
      params: {
        path: '/notifications',
        routeRef: notificationsPlugin.routes.root,
        loader: async () => {
          const { TeamNotificationsPage } = await import(
            './TeamNotificationsPage'
          );
          return <TeamNotificationsPage />;
        },
      },
    }),
  ],
});
