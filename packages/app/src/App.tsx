import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { authModule } from './modules/auth';
import { podLogsModule } from './modules/podLogs';
import { observabilityModule } from './modules/observability';
import { day2Module } from './modules/day2';
import { notificationsModule } from './modules/notifications';

export default createApp({
  features: [
    catalogPlugin,
    navModule,
    authModule,
    podLogsModule,
    observabilityModule,
    day2Module,
    notificationsModule,
  ],
});
