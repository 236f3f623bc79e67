import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootHealthService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { Config } from '@backstage/config';

/** Checks that the database answers; rejects when it does not. */
export type DatabaseProbe = () => Promise<void>;

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Readiness that reflects the database: 503 while the backend starts or shuts down (as
 * Backstage's default does) and also whenever the database does not answer a trivial query
 * within two seconds, so Kubernetes takes a replica that lost PostgreSQL out of its Service
 * instead of sending people to pages that fail. The reason is logged; the response names no
 * host or port.
 */
export class DatabaseReadiness implements RootHealthService {
  #state: 'init' | 'up' | 'down' = 'init';

  constructor(
    lifecycle: Pick<
      RootLifecycleService,
      'addStartupHook' | 'addBeforeShutdownHook'
    >,
    private readonly probe: DatabaseProbe | undefined,
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {
    lifecycle.addStartupHook(() => {
      this.#state = 'up';
    });
    lifecycle.addBeforeShutdownHook(() => {
      this.#state = 'down';
    });
  }

  async getLiveness() {
    return { status: 200, payload: { status: 'ok' } };
  }

  async getReadiness() {
    if (this.#state === 'init') {
      return {
        status: 503,
        payload: { status: 'error', message: 'Backend has not started yet' },
      };
    }
    if (this.#state === 'down') {
      return {
        status: 503,
        payload: { status: 'error', message: 'Backend is shutting down' },
      };
    }
    if (this.probe) {
      try {
        await withTimeout(this.probe(), this.timeoutMs);
      } catch (error) {
        this.logger.warn(
          `readiness: the database does not answer: ${
            (error as Error).message
          }`,
        );
        return {
          status: 503,
          payload: { status: 'error', message: 'Database unavailable' },
        };
      }
    }
    return { status: 200, payload: { status: 'ok' } };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `select 1` on the catalog's database through Backstage's own DatabaseManager (same
 * connection settings, TLS and per-plugin database as the catalog). Only for PostgreSQL: SQLite
 * lives in the process's own files, so there is nothing to lose contact with.
 */
export function postgresProbe(
  config: Config,
  lifecycle: RootLifecycleService,
  logger: LoggerService,
): DatabaseProbe | undefined {
  if (config.getOptionalString('backend.database.client') !== 'pg') {
    return undefined;
  }
  const database = DatabaseManager.fromConfig(config, {
    rootLogger: logger,
    rootLifecycle: lifecycle,
  }).forPlugin('catalog', { logger, lifecycle });
  return async () => {
    const client = await database.getClient();
    await client.raw('select 1');
  };
}

/** Replaces Backstage's default rootHealth service with {@link DatabaseReadiness}. */
export const databaseReadinessServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.rootLifecycle,
    logger: coreServices.rootLogger,
  },
  async factory({ config, lifecycle, logger }) {
    return new DatabaseReadiness(
      lifecycle,
      postgresProbe(config, lifecycle, logger),
      logger,
    );
  },
});
