import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  kubernetesTargetOfEntity,
  type EntityPolicyResultsResponse,
  type PolicyResult,
} from '@internal/plugin-policy-reports-common';
import {
  NOTIFICATION_TOPICS,
  teamTags,
  type SignalSource,
  type WatchedSignal,
} from '../signals';
import { entityPath, type OwnedComponent } from './components';

/** Severities whose new failures are notified. */
const NOTIFIED_SEVERITIES = ['critical', 'high'] as const;

/**
 * The signals of one component: one per policy evaluated on its resources, `failing` while the
 * policy has failing results of severity high or critical (however many pods fail it), `ok`
 * otherwise, so the notification of a failing policy is resolved when it passes again.
 */
export function policySignalsOfComponent(
  component: OwnedComponent,
  response: Pick<EntityPolicyResultsResponse, 'resources' | 'facets'>,
): WatchedSignal[] {
  const failing = new Map<string, PolicyResult[]>();
  for (const result of response.resources.flatMap(r => r.results)) {
    if (result.result !== 'fail') continue;
    if (!(NOTIFIED_SEVERITIES as readonly string[]).includes(result.severity))
      continue;
    failing.set(result.policy, [...(failing.get(result.policy) ?? []), result]);
  }
  const componentRef = stringifyEntityRef(component.entity);
  const link = `${entityPath(component.entity)}/policies`;
  const recipients = { type: 'entity' as const, entityRef: component.ownerRef };
  const policies = new Set([...response.facets.policies, ...failing.keys()]);
  return [...policies].sort().map(policy => {
    const results = failing.get(policy);
    const key = `policy:${componentRef}:${policy}`;
    if (!results) {
      return {
        key,
        condition: 'ok',
        healthy: true,
        graceMs: 0,
        recipients,
        payload: {
          title: `Resolved: policy ${policy} passes on ${component.entity.metadata.name}`,
          description: `${componentRef} has no failing high or critical results of ${policy} any more. ${teamTags(
            [component.ownerRef],
          )}`,
          link,
          severity: 'low' as const,
          topic: NOTIFICATION_TOPICS.policy,
        },
      };
    }
    const severity = results.some(r => r.severity === 'critical')
      ? 'critical'
      : 'high';
    const resources = [
      ...new Set(results.map(r => `${r.owner.kind} ${r.owner.name}`)),
    ].sort();
    return {
      key,
      condition: 'failing',
      healthy: false,
      graceMs: 0,
      recipients,
      payload: {
        title: `Policy ${policy} fails on ${component.entity.metadata.name} (${
          results.length
        } ${results.length === 1 ? 'result' : 'results'}, ${severity})`,
        description: `${componentRef}: ${resources.join(', ')}. ${
          results[0].message
        } ${teamTags([component.ownerRef])}`,
        link,
        severity,
        topic: NOTIFICATION_TOPICS.policy,
      },
    };
  });
}

/** New failing high/critical policy results on the resources of every owned component. */
export class PolicySignalSource implements SignalSource {
  readonly name = 'policy-reports';

  constructor(
    private readonly options: {
      components: () => Promise<OwnedComponent[]>;
      entityResults: (
        component: OwnedComponent,
      ) => Promise<EntityPolicyResultsResponse>;
    },
  ) {}

  async collect(): Promise<WatchedSignal[]> {
    const components = await this.options.components();
    const signals: WatchedSignal[] = [];
    for (const component of components) {
      if (!kubernetesTargetOfEntity(component.entity.metadata.annotations))
        continue;
      const response = await this.options.entityResults(component);
      signals.push(...policySignalsOfComponent(component, response));
    }
    return signals;
  }
}
