import type { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ArgoInstance,
  emptyLocatorFailure,
  httpReachability,
  isLocatorPath,
  Reachability,
  translateFailure,
} from './failures';
import { requiredPermission } from './routes';

/** The ArgoCD instances of `argocd.appLocatorMethods[].instances[]` (name and URL only). */
export function readArgoInstances(config: Config): ArgoInstance[] {
  return (config.getOptionalConfigArray('argocd.appLocatorMethods') ?? [])
    .flatMap(m => m.getOptionalConfigArray('instances') ?? [])
    .map(i => ({ name: i.getString('name'), url: i.getString('url') }));
}

/** Backstage's error body shape, without stack: what `@backstage/errors` clients parse. */
function errorBody(
  req: Request,
  status: number,
  name: string,
  message: string,
) {
  return {
    error: { name, message },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: status },
  };
}

/**
 * Runs before Roadie's router in the `argocd` plugin (a module of a plugin initialises before the
 * plugin itself, and both add to the same plugin router):
 * - a write (any method but GET/HEAD/OPTIONS) needs `argocd.application.sync` or
 *   `argocd.application.write` for the signed-in user, else 403 before Roadie sees it;
 * - a failed answer is rewritten as one that names the ArgoCD instance (503 unreachable,
 *   404 unknown Application or instance) and never carries a stack or a file path;
 * - an empty answer of the locator (`/find/...`), which leaves out instances it could not ask,
 *   becomes 503 naming them when an instance does not answer.
 */
export function createArgocdGuard(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  instances: ArgoInstance[];
  logger: LoggerService;
  reachability?: Reachability;
}) {
  const { httpAuth, permissions, instances, logger } = options;
  const reachability = options.reachability ?? httpReachability();
  const router = Router();

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const permission = requiredPermission(req.method, req.path);
    if (permission) {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result !== AuthorizeResult.ALLOW) {
        res
          .status(403)
          .json(
            errorBody(
              req,
              403,
              'NotAllowedError',
              `${req.method} ${req.path} changes ArgoCD and needs the permission ${permission.name}; changes to Applications go through the GitOps repository`,
            ),
          );
        return;
      }
    }
    // both Roadie's own `res.status(500).send({...})` and Backstage's error handler end in json()
    const json = res.json.bind(res);
    const path = req.path;
    const fail = (failure: {
      status: number;
      name: string;
      message: string;
    }) => {
      logger.warn(
        `${req.method} ${path}: ${failure.status} ${failure.message}`,
      );
      res.status(failure.status);
      return json(
        errorBody(req, failure.status, failure.name, failure.message),
      );
    };
    res.json = (body: unknown) => {
      if (
        res.statusCode === 200 &&
        isLocatorPath(path) &&
        Array.isArray(body) &&
        body.length === 0
      ) {
        // "on no instance" is only true if every instance could be asked
        emptyLocatorFailure(instances, reachability).then(
          failure => (failure ? fail(failure) : json(body)),
          () => json(body),
        );
        return res;
      }
      const failure = translateFailure({
        status: res.statusCode,
        body,
        path,
        instances,
      });
      return failure ? fail(failure) : json(body);
    };
    next();
  });
  return router;
}
