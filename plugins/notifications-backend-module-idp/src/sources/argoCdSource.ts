import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { matchesLabelSelector, parseLabelSelector } from '@internal/kube-model';
import {
  NOTIFICATION_TOPICS,
  teamTags,
  type SignalSource,
  type WatchedSignal,
} from '../signals';
import { entityPath, type OwnedComponent } from './components';
import type {
  ArgoCdApplication,
  ArgoCdApplicationsClient,
  ArgoCdInstance,
} from './argoCdInstances';

const APP_NAME_ANNOTATION = 'argocd/app-name';
const APP_SELECTOR_ANNOTATION = 'argocd/app-selector';

/** The condition the detector tracks: a Degraded or OutOfSync Application, or `ok`. */
export type ApplicationCondition = 'Degraded' | 'OutOfSync' | 'ok';

/**
 * `Degraded` wins over `OutOfSync`; Healthy and Synced is `ok`. Anything in between
 * (Progressing, Missing, Unknown, Suspended) is `undefined`: no change is recorded, so an
 * Application rolling out neither starts nor ends a problem.
 */
export function applicationCondition(
  app: ArgoCdApplication,
): ApplicationCondition | undefined {
  const health = app.status?.health?.status;
  const sync = app.status?.sync?.status;
  if (health === 'Degraded') return 'Degraded';
  if (sync === 'OutOfSync') return 'OutOfSync';
  if (health === 'Healthy' && sync === 'Synced') return 'ok';
  return undefined;
}

/**
 * The components an Application belongs to: those naming it in `argocd/app-name` first (the
 * most specific, used for the link), then those whose `argocd/app-selector` matches its labels.
 */
export function componentsOfApplication(
  app: ArgoCdApplication,
  components: OwnedComponent[],
): OwnedComponent[] {
  const byName = components.filter(
    c => annotation(c.entity, APP_NAME_ANNOTATION) === app.metadata.name,
  );
  const bySelector = components.filter(c => {
    const selector = annotation(c.entity, APP_SELECTOR_ANNOTATION);
    if (!selector || byName.includes(c)) return false;
    try {
      return matchesLabelSelector(
        app.metadata.labels,
        parseLabelSelector(selector),
      );
    } catch {
      return false; // a malformed annotation matches nothing
    }
  });
  return [...byName, ...bySelector];
}

function annotation(entity: Entity, name: string): string | undefined {
  return entity.metadata.annotations?.[name];
}

/**
 * ArgoCD Applications that are OutOfSync or Degraded for longer than `graceMs`, and their
 * recovery, for the teams owning the components they belong to.
 */
export class ArgoCdSignalSource implements SignalSource {
  readonly name = 'argocd';

  constructor(
    private readonly options: {
      instances: ArgoCdInstance[];
      client: Pick<ArgoCdApplicationsClient, 'list'>;
      components: () => Promise<OwnedComponent[]>;
      graceMs: number;
    },
  ) {}

  async collect(): Promise<WatchedSignal[]> {
    const { instances, client, graceMs } = this.options;
    const components = await this.options.components();
    const signals: WatchedSignal[] = [];
    for (const instance of instances) {
      for (const app of await client.list(instance)) {
        const condition = applicationCondition(app);
        const owners = componentsOfApplication(app, components);
        if (!condition || owners.length === 0) continue;
        const main = owners[0];
        const name = app.metadata.name;
        const revision = app.status?.sync?.revision?.slice(0, 7);
        const at = revision ? ` at revision ${revision}` : '';
        const link = `${entityPath(main.entity)}/argocd`;
        const teams = [...new Set(owners.map(o => o.ownerRef))];
        const recipients = { type: 'entity' as const, entityRef: teams };
        const componentRef = stringifyEntityRef(main.entity);
        signals.push({
          key: `argocd:${instance.name}:${name}`,
          condition,
          healthy: condition === 'ok',
          graceMs,
          recipients,
          payload:
            condition === 'ok'
              ? {
                  title: `Resolved: Application ${name} is Healthy and Synced`,
                  description: `${componentRef} recovered${at} (ArgoCD ${
                    instance.name
                  }). ${teamTags(teams)}`,
                  link,
                  severity: 'low',
                  topic: NOTIFICATION_TOPICS.argoCd,
                }
              : {
                  title: `Application ${name} is ${condition}`,
                  description: `${componentRef}: ${
                    condition === 'Degraded'
                      ? `health Degraded${
                          app.status?.health?.message
                            ? ` (${app.status.health.message})`
                            : ''
                        }`
                      : 'the cluster differs from the GitOps repository'
                  }${at}, for more than ${Math.round(
                    graceMs / 1000,
                  )} s (ArgoCD ${instance.name}). ${teamTags(teams)}`,
                  link,
                  severity: condition === 'Degraded' ? 'high' : 'normal',
                  topic: NOTIFICATION_TOPICS.argoCd,
                },
        });
      }
    }
    return signals;
  }
}
