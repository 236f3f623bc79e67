import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  entitySchemaValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import path from 'node:path';
import { GitRepository, readGitopsConfig } from '@internal/gitops-repo';
import { parseAllDocuments } from 'yaml';
import { globMatcher } from './globs';

/** Options of {@link GitOpsRepositoryEntityProvider}. */
export interface GitOpsRepositoryEntityProviderOptions {
  /** The GitOps repository (`gitops.remote`, `gitops.branch`); its branch is followed. */
  repository: GitRepository;
  /** This backend's own checkout the entities are read from (`gitops.catalog.workDir`). */
  checkoutDir: string;
  /** Globs of catalog files, relative to the repository root. */
  paths: string[];
  /** `gitops.browseUrlTemplate`; without it entities get `file:` locations. */
  browseUrlTemplate?: string;
  logger: LoggerService;
  /** Runs {@link GitOpsRepositoryEntityProvider.refresh} on a schedule; tests call it directly. */
  taskRunner?: SchedulerServiceTaskRunner;
}

const validateEntity = entitySchemaValidator();

/** Every entity of one YAML file; throws on a YAML error or a document that is no entity. */
function parseEntities(text: string): Entity[] {
  const entities: Entity[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      throw new Error(doc.errors[0].message.split('\n')[0]);
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    entities.push(validateEntity(value));
  }
  return entities;
}

/**
 * Emits the catalog entities the portal's templates commit to the GitOps repository
 * (`K8s/teams/<team>/catalog-info.yaml`, `K8s/apps/<team>/<service>/catalog-info.yaml`), read
 * at the head of the followed branch. Each refresh that sees a new commit replaces the whole set
 * (a full mutation), so removing a directory from the repository removes its entities.
 *
 * Git is the source of truth, so nothing here writes: a file that cannot be read is skipped and
 * logged (one bad commit must not empty the catalog), and while the remote is unreachable the
 * catalog keeps what it last received.
 *
 * @public
 */
export class GitOpsRepositoryEntityProvider implements EntityProvider {
  private readonly options: GitOpsRepositoryEntityProviderOptions;
  private readonly matches: (repoPath: string) => boolean;
  private readonly locationKey: string;
  private connection?: EntityProviderConnection;
  /** The commit whose entities the catalog has; unchanged commits cost no catalog write. */
  private appliedSha?: string;
  private appliedCount = 0;
  private unreachable = false;

  /** Creates the provider from the `gitops` config, refreshed on the configured interval. */
  static fromConfig(
    config: Config,
    deps: { logger: LoggerService; scheduler: SchedulerService },
  ): GitOpsRepositoryEntityProvider {
    const cfg = readGitopsConfig(config);
    return new GitOpsRepositoryEntityProvider({
      repository: GitRepository.fromConfig(
        cfg,
        ScmIntegrations.fromConfig(config),
      ),
      checkoutDir: cfg.catalog.workDir,
      paths: cfg.catalog.paths,
      browseUrlTemplate: cfg.browseUrlTemplate,
      logger: deps.logger,
      // `local`: every backend instance keeps its own checkout and the full mutation is
      // idempotent, so no cluster-wide lock (whose polling would add seconds of delay) is needed.
      taskRunner: deps.scheduler.createScheduledTaskRunner({
        frequency: { seconds: cfg.catalog.refreshIntervalSeconds },
        timeout: { minutes: 3 },
        scope: 'local',
      }),
    });
  }

  constructor(options: GitOpsRepositoryEntityProviderOptions) {
    this.options = options;
    this.matches = globMatcher(options.paths);
    this.locationKey = `gitops-provider:${options.repository.shownRemote}`;
  }

  getProviderName(): string {
    return 'GitOpsRepositoryEntityProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Fetches the remote and, when its head moved, replaces the provider's entities. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    const { logger, repository, checkoutDir } = this.options;
    const remote = repository.shownRemote;

    let sha: string;
    try {
      sha = await repository.follow(checkoutDir);
    } catch (error) {
      // logged once per outage: a refresh every few seconds would otherwise flood the log
      if (!this.unreachable) {
        logger.warn(
          `GitOps remote ${remote} is unreachable; the catalog keeps the ${
            this.appliedCount
          } entities read at ${
            this.appliedSha?.slice(0, 7) ?? 'no commit yet'
          }: ${(error as Error).message}`,
        );
        this.unreachable = true;
      }
      return;
    }
    if (this.unreachable) {
      logger.info(`GitOps remote ${remote} is reachable again`);
      this.unreachable = false;
    }
    if (sha === this.appliedSha) {
      return;
    }

    const entities = await this.readEntities(sha);
    await this.connection.applyMutation({ type: 'full', entities });
    this.appliedSha = sha;
    this.appliedCount = entities.length;
    logger.info(
      `Read ${entities.length} entities from ${remote} at ${sha.slice(0, 7)}`,
    );
  }

  private async readEntities(sha: string): Promise<DeferredEntity[]> {
    const { repository, checkoutDir, logger } = this.options;
    const files = (await repository.listFiles(checkoutDir, sha))
      .filter(this.matches)
      .sort();
    const emitted = new Map<string, string>();
    const result: DeferredEntity[] = [];
    for (const file of files) {
      let entities: Entity[];
      try {
        entities = parseEntities(
          await fs.promises.readFile(this.absolutePath(file), 'utf8'),
        );
      } catch (error) {
        logger.warn(
          `Skipping ${file} at ${sha.slice(0, 7)}: ${(error as Error).message}`,
        );
        continue;
      }
      for (const entity of entities) {
        const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
        const first = emitted.get(ref);
        if (first) {
          // two files claiming one entity would make the catalog flip between them
          logger.warn(
            `Skipping ${ref} in ${file} at ${sha.slice(
              0,
              7,
            )}: already defined in ${first}`,
          );
          continue;
        }
        emitted.set(ref, file);
        result.push({
          entity: this.withLocation(entity, file),
          locationKey: this.locationKey,
        });
      }
    }
    return result;
  }

  /** A file of the checked-out commit. */
  private absolutePath(repoPath: string): string {
    return path.join(this.options.checkoutDir, ...repoPath.split('/'));
  }

  /** The provider is the entity's location: the file in the repository it was read from. */
  private withLocation(entity: Entity, file: string): Entity {
    const { browseUrlTemplate, repository } = this.options;
    const branch = repository.branch;
    // the branch, not the commit: a SHA would change every entity with every commit
    const location = browseUrlTemplate
      ? `url:${browseUrlTemplate
          .replace(/\{sha\}/g, branch)
          .replace(/\{path\}/g, file)}`
      : `file:${this.absolutePath(file)}`;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_LOCATION]: location,
          [ANNOTATION_ORIGIN_LOCATION]: location,
        },
      },
    };
  }
}
