import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import type { EntityPolicyResultsResponse } from '@internal/plugin-policy-reports-common';
import type { SummaryResponse } from '@internal/plugin-tier-health-common';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { readDetectorSettings } from './config';
import { NotificationDetector } from './NotificationDetector';
import { NotifiedStateStore } from './NotifiedStateStore';
import {
  ArgoCdApplicationsClient,
  readArgoCdInstances,
} from './sources/argoCdInstances';
import { ArgoCdSignalSource } from './sources/argoCdSource';
import { loadOwnedComponents } from './sources/components';
import { PluginHttpReader } from './sources/pluginHttp';
import { PolicySignalSource } from './sources/policySource';
import {
  ScaffolderTaskSignalSource,
  type ScaffolderTask,
  type ScaffolderTaskEvent,
} from './sources/scaffolderTaskSource';
import { TierStateSignalSource } from './sources/tierStateSource';

/**
 * Tells a team when something of theirs goes wrong: detection over the shared cluster data on a
 * global scheduled task, remembered in the database so every replica agrees what was notified.
 *
 * @public
 */
export const notificationsModuleIdp = createBackendModule({
  pluginId: 'notifications',
  moduleId: 'idp-detectors',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        database: coreServices.database,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const settings = readDetectorSettings(deps.config);
        const store = await NotifiedStateStore.create(
          await deps.database.getClient(),
        );
        const http = new PluginHttpReader(deps.discovery, deps.auth);
        const components = () => loadOwnedComponents(deps.catalog, deps.auth);
        const detector = new NotificationDetector({
          store,
          notifications: deps.notifications,
          logger: deps.logger,
          sources: [
            new ArgoCdSignalSource({
              instances: readArgoCdInstances(deps.config),
              client: new ArgoCdApplicationsClient(),
              components,
              graceMs: settings.applicationGraceMs,
            }),
            new PolicySignalSource({
              components,
              entityResults: component => {
                const { namespace, kind, name } = getCompoundEntityRef(
                  component.entity,
                );
                return http.get<EntityPolicyResultsResponse>(
                  'policy-reports',
                  `/entity/${encodeURIComponent(
                    namespace,
                  )}/${encodeURIComponent(kind)}/${encodeURIComponent(
                    name,
                  )}/results?result=fail&severity=high&severity=critical`,
                );
              },
            }),
            new TierStateSignalSource(() =>
              http.get<SummaryResponse>('tier-health', '/summary'),
            ),
            new ScaffolderTaskSignalSource({
              listFinished: async () =>
                (
                  await http.get<{ tasks: ScaffolderTask[] }>(
                    'scaffolder',
                    '/v2/tasks?status=completed&status=failed&order=desc:created_at&limit=100',
                  )
                ).tasks,
              events: taskId =>
                http.get<ScaffolderTaskEvent[]>(
                  'scaffolder',
                  `/v2/tasks/${encodeURIComponent(taskId)}/events`,
                ),
              // a task that ended before this replica set started is not news after a restart
              windowMs: Math.max(10 * 60_000, settings.frequencyMs * 4),
            }),
          ],
        });
        await deps.scheduler.scheduleTask({
          id: 'idp-notification-detection',
          scope: 'global',
          frequency: { milliseconds: settings.frequencyMs },
          timeout: { milliseconds: Math.max(60_000, settings.frequencyMs * 4) },
          initialDelay: { seconds: 5 },
          fn: async () => {
            const { sent, failedSources } = await detector.run();
            if (sent.length > 0)
              deps.logger.info(`notified: ${sent.join(', ')}`);
            if (failedSources.length > 0)
              deps.logger.debug(
                `sources skipped this run: ${failedSources.join(', ')}`,
              );
          },
        });
      },
    });
  },
});
