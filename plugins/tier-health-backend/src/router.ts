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
/** Node pages: at most this many nodes per request. */
export const MAX_NODE_PAGE = 200;
const nodesQuery = z.object({
  cluster: z.string().min(1),
  pool: z.string().min(1).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_NODE_PAGE).default(50),
});
const nodeParams = z.object({
  cluster: z.string().min(1),
  node: z.string().min(1),
});

/** Whether `If-None-Match` names the current ETag (weak comparison, as for GET). */
function matchesETag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return (
    header.trim() === '*' ||
    header.split(',').some(tag => opaque(tag) === opaque(etag))
  );
}

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
 * Routes: `GET /summary?cluster=` (compact), `GET /failure-domains?cluster=` (both with an ETag:
 * `If-None-Match` gets a 304 while nothing changed), `GET /nodes?cluster=&pool=&offset=&limit=`,
 * `GET /nodes/:cluster/:node` (a node and its what-if), `GET /entity?entityRef=`.
 * Every route needs `tierHealth.read`; node details (the summary's pools, `/nodes`, a node's
 * details) also `tierHealth.nodes.read`. An unreachable cluster is an entry with its error and
 * last good data, never a 5xx.
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

  /** Sends `build()`, or a 304 when the request already has this ETag. */
  const sendTagged = <T>(
    req: express.Request,
    res: express.Response,
    answer: { etag: string; build: () => T },
  ) => {
    // the answer depends on the caller's permissions and catalog view: never a shared cache
    res.set('Cache-Control', 'private, no-cache');
    res.set('Vary', 'Authorization');
    res.set('ETag', answer.etag);
    if (matchesETag(req.get('If-None-Match'), answer.etag)) {
      res.status(304).end();
      return;
    }
    res.json(answer.build());
  };

  router.get('/summary', async (req, res) => {
    const { cluster } = parseQuery(clusterQuery, req.query);
    const credentials = await requireRead(req);
    const nodes = await isAllowed(req, tierHealthNodesReadPermission);
    sendTagged(
      req,
      res,
      await service.summary(credentials, {
        cluster,
        includeNodes: nodes.allowed,
      }),
    );
  });

  router.get('/nodes', async (req, res) => {
    const query = parseQuery(nodesQuery, req.query);
    const credentials = await requireRead(req);
    const nodes = await isAllowed(req, tierHealthNodesReadPermission);
    if (!nodes.allowed)
      throw new NotAllowedError(
        `missing permission ${tierHealthNodesReadPermission.name}`,
      );
    res.json(await service.nodes(credentials, query));
  });

  router.get('/nodes/:cluster/:node', async (req, res) => {
    const params = parseQuery(nodeParams, req.params);
    const credentials = await requireRead(req);
    const nodes = await isAllowed(req, tierHealthNodesReadPermission);
    res.json(
      await service.node(credentials, {
        ...params,
        includeDetails: nodes.allowed,
      }),
    );
  });

  router.get('/failure-domains', async (req, res) => {
    const { cluster } = parseQuery(clusterQuery, req.query);
    const credentials = await requireRead(req);
    sendTagged(
      req,
      res,
      await service.failureDomains(credentials, { cluster }),
    );
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
