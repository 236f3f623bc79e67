import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { ArgoCdDeploymentsApi } from '@internal/plugin-argocd-deployments';
import { namesArgoCdApplication } from '@internal/plugin-argocd-deployments-common';
import type { PolicyReportsApi } from '@internal/plugin-policy-reports';
import { kubernetesTargetOfEntity } from '@internal/plugin-policy-reports-common';
import type { TierHealthApi } from '@internal/plugin-tier-health';
import type { SummaryResponse } from '@internal/plugin-tier-health-common';
import type {
  KubernetesApi,
  KubernetesAuthProvidersApi,
} from '@backstage/plugin-kubernetes-react';
import type {
  KubernetesRequestAuth,
  KubernetesRequestBody,
} from '@backstage/plugin-kubernetes-common';
import {
  argoCdSignals,
  entityGlance,
  podSignals,
  policySignals,
  tierSignals,
  type Answer,
  type Signals,
} from '../glance/signals';
import type { EntityGlance } from '../glance/types';
import type { StatusGlanceApi } from './StatusGlanceApi';

async function answer<T>(promise: Promise<T>): Promise<Answer<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * Asks the views that already know each part of a component's status — ArgoCD deployments,
 * policy reports, tier health, the Kubernetes backend — through their own API refs, and reads
 * their answers into chips. Nothing is remembered between calls: stale or unreachable sources
 * show as such.
 *
 * @public
 */
export class StatusGlanceClient implements StatusGlanceApi {
  constructor(
    private readonly apis: {
      argoCdDeploymentsApi: ArgoCdDeploymentsApi;
      policyReportsApi: PolicyReportsApi;
      tierHealthApi: TierHealthApi;
      kubernetesApi: KubernetesApi;
      kubernetesAuthProvidersApi: KubernetesAuthProvidersApi;
    },
  ) {}

  async getGlances(entities: Entity[]): Promise<EntityGlance[]> {
    if (entities.length === 0) return [];
    // one summary (cluster states) for every entity; one auth for every Kubernetes request
    const [summary, auth] = await Promise.all([
      answer(this.apis.tierHealthApi.getSummary()),
      entities.some(e => kubernetesTargetOfEntity(e.metadata.annotations))
        ? answer(this.kubernetesAuth())
        : undefined,
    ]);
    return Promise.all(
      entities.map(entity => this.glance(entity, summary, auth)),
    );
  }

  private async glance(
    entity: Entity,
    summary: Answer<SummaryResponse>,
    auth: Answer<KubernetesRequestAuth> | undefined,
  ): Promise<EntityGlance> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations;
    const onKubernetes = Boolean(kubernetesTargetOfEntity(annotations));
    const parts: Promise<Signals>[] = [];
    if (namesArgoCdApplication(annotations)) {
      parts.push(
        answer(
          this.apis.argoCdDeploymentsApi.getDeploymentHistory(entity),
        ).then(argoCdSignals),
      );
    }
    if (onKubernetes) {
      parts.push(
        answer(this.apis.policyReportsApi.getEntityResults(entityRef)).then(a =>
          policySignals(a),
        ),
        answer(this.apis.tierHealthApi.getEntityTier(entityRef)).then(a =>
          tierSignals(a, summary),
        ),
        answer(this.kubernetesObjects(entity, auth)).then(podSignals),
      );
    }
    return entityGlance(entityRef, await Promise.all(parts));
  }

  private async kubernetesObjects(
    entity: Entity,
    auth: Answer<KubernetesRequestAuth> | undefined,
  ) {
    if (!auth) throw new Error('no Kubernetes auth was generated');
    if ('error' in auth) throw auth.error;
    return this.apis.kubernetesApi.getObjectsByEntity({
      entity,
      auth: auth.value,
    });
  }

  /** What the Kubernetes tab sends: each configured auth provider decorates the request. */
  private async kubernetesAuth(): Promise<KubernetesRequestAuth> {
    const clusters = await this.apis.kubernetesApi.getClusters();
    const providers = [
      ...new Set(
        clusters.map(
          c =>
            `${c.authProvider}${
              c.oidcTokenProvider ? `.${c.oidcTokenProvider}` : ''
            }`,
        ),
      ),
    ];
    let body = {} as KubernetesRequestBody;
    for (const provider of providers) {
      body =
        await this.apis.kubernetesAuthProvidersApi.decorateRequestBodyForAuth(
          provider,
          body,
        );
    }
    return body.auth ?? {};
  }
}
