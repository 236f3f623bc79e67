import type {
  AuthService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { podLogsReadPermission } from './permissions';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@internal/kube-model';
import { podBelongsToEntity } from './podOwnership';
import type { PodLogSource } from './PodLogSource';

// DNS-1123 names as Kubernetes requires them; anything else cannot name a pod or namespace
const dnsName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 name')
  .max(253);
const params = z.object({
  cluster: z.string().min(1).max(253),
  namespace: dnsName,
  pod: dnsName,
});
const query = z.object({
  container: dnsName,
  previous: z.enum(['true', 'false']).optional(),
  tailLines: z.coerce.number().int().min(0).max(100_000).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || what}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** Dependencies of {@link createRouter}. */
export interface RouterOptions {
  source: PodLogSource;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/**
 * `GET /clusters/{cluster}/namespaces/{namespace}/pods/{pod}/log?container=&previous=&tailLines=`
 * answers the log as text/plain to a signed-in user who may read the logs of a catalog entity
 * the pod belongs to (`kubernetes.pod-logs.read`, conditional on ownership for most users).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { source, catalog, auth, httpAuth, permissions } = options;
  const router = Router();

  const entitiesOfPod = async (
    namespace: string,
    labels: Record<string, string>,
  ): Promise<Entity[]> => {
    const { items } = await catalog.getEntities(
      {
        filter: [
          {
            [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          {
            [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
        ],
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.filter(entity =>
      podBelongsToEntity({ namespace, labels }, entity),
    );
  };

  router.get(
    '/clusters/:cluster/namespaces/:namespace/pods/:pod/log',
    async (req, res) => {
      const target = parse(params, req.params, 'path');
      const logQuery = parse(query, req.query, 'query');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });

      const [overall] = await permissions.authorizeConditional(
        [{ permission: podLogsReadPermission }],
        { credentials },
      );
      if (overall.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(
          `missing permission ${podLogsReadPermission.name}`,
        );
      }
      const labels = await source.getPodLabels(target);
      if (!labels) {
        throw new NotFoundError(
          `pod ${target.namespace}/${target.pod} not found in cluster ${target.cluster}`,
        );
      }
      if (overall.result === AuthorizeResult.CONDITIONAL) {
        const entities = await entitiesOfPod(target.namespace, labels);
        const decisions =
          entities.length === 0
            ? []
            : await permissions.authorize(
                entities.map(entity => ({
                  permission: podLogsReadPermission,
                  resourceRef: stringifyEntityRef(entity),
                })),
                { credentials },
              );
        if (!decisions.some(d => d.result === AuthorizeResult.ALLOW)) {
          throw new NotAllowedError(
            entities.length === 0
              ? `pod ${target.namespace}/${target.pod} belongs to no catalog component; only the platform team may read its logs`
              : `the logs of pod ${target.namespace}/${
                  target.pod
                } are for the owners of ${entities
                  .map(e => stringifyEntityRef(e))
                  .join(', ')}`,
          );
        }
      }
      const text = await source.getLog({
        ...target,
        container: logQuery.container,
        previous: logQuery.previous === 'true',
        tailLines: logQuery.tailLines,
      });
      res.type('text/plain').send(text);
    },
  );
  return router;
}
