import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  tierHealthNodesReadPermission,
  tierHealthReadPermission,
} from '@internal/plugin-tier-health-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { TierHealthService } from './service/TierHealthService';

const clusterQuery = z.object({ cluster: z.string().min(1).optional() });
const entityQuery = z.object({ entityRef: z.string().min(1) });

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const result = schema.safeParse(query);
  if (!result.success) {
    throw new InputError(
      `invalid query: ${result.error.issues
        .map(i => `${i.path.join('.') || 'query'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** Dependencies of {@link createRouter}. */
export interface RouterOptions {
  service: TierHealthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/**
 * Routes: `GET /summary?cluster=`, `GET /failure-domains?cluster=`, `GET /entity?entityRef=`.
 * Every route needs `tierHealth.read`; node details in the summary also `tierHealth.nodes.read`.
 * An unreachable cluster is an entry with its error and last good data, never a 5xx.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, httpAuth, permissions } = options;
  const router = Router();
  router.use(express.json());

  const isAllowed = async (
    req: express.Request,
    permission: BasicPermission,
  ) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return { credentials, allowed: decision.result === AuthorizeResult.ALLOW };
  };
  const requireRead = async (req: express.Request) => {
    const { credentials, allowed } = await isAllowed(
      req,
      tierHealthReadPermission,
    );
    if (!allowed)
      throw new NotAllowedError(
        `missing permission ${tierHealthReadPermission.name}`,
      );
    return credentials;
  };

  router.get('/summary', async (req, res) => {
    const { cluster } = parseQuery(clusterQuery, req.query);
    const credentials = await requireRead(req);
    const nodes = await isAllowed(req, tierHealthNodesReadPermission);
    res.json(
      await service.summary(credentials, {
        cluster,
        includeNodes: nodes.allowed,
      }),
    );
  });

  router.get('/failure-domains', async (req, res) => {
    const { cluster } = parseQuery(clusterQuery, req.query);
    const credentials = await requireRead(req);
    res.json(await service.failureDomains(credentials, { cluster }));
  });

  router.get('/entity', async (req, res) => {
    const { entityRef } = parseQuery(entityQuery, req.query);
    let normalized: string;
    try {
      normalized = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (error) {
      throw new InputError(`invalid entityRef: ${(error as Error).message}`);
    }
    const credentials = await requireRead(req);
    res.json(await service.entity(credentials, normalized));
  });

  return router;
}
