import fs from 'node:fs';
import path from 'node:path';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  APPS_DIR,
  GitRepository,
  parseManifests,
  runGit,
  serviceDir,
  WriteAuthorizer,
  Writer,
} from '@internal/gitops-repo';
import { parse as parseYaml } from 'yaml';
import { openTaskCheckout } from '../core';
import { renderService } from '../render/service';
import { toYaml } from '../render/yaml';
import { RepoState } from '../repoState';
import {
  DNS1123_LABEL,
  ServiceInput,
  validateServiceInput,
} from '../validation';
import {
  applyServiceChanges,
  readServiceSettings,
  RENDERED_SERVICE_FILES,
  ServiceChanges,
} from './serviceSettings';

/** A service directory of the GitOps repository as the remote's head holds it. */
export interface CurrentService {
  team: string;
  service: string;
  /** `K8s/apps/<team>/<service>` */
  path: string;
  /** Git tree id of the directory: changes whenever any file in it changes. */
  revision: string;
  /** The remote's head commit the settings were read at. */
  headCommit: string;
  settings: ServiceInput;
}

export interface ServiceChangePlan extends CurrentService {
  /** false: the change leaves every file as it is (nothing to commit). */
  changed: boolean;
  /** `git diff` of the directory, as the commit would record it. */
  diff: string;
  /** The settings after the change. */
  next: ServiceInput;
}

/** The service name of an entity ref (`component:default/orders` or `orders`). */
export function serviceNameOf(entityRef: string): string {
  let ref;
  try {
    ref = parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (e) {
    throw new InputError(`entity '${entityRef}' is not an entity ref`);
  }
  if (ref.kind.toLowerCase() !== 'component') {
    throw new InputError(
      `entity '${entityRef}' is a ${ref.kind}; only services (Components) can be changed`,
    );
  }
  if (!DNS1123_LABEL.test(ref.name)) {
    throw new InputError(`entity '${entityRef}' does not name a service`);
  }
  return ref.name;
}

/** The one `K8s/apps/<team>/<service>` directory of a checkout that holds `service`. */
export function findServiceDir(repo: RepoState, service: string) {
  const apps = path.join(repo.root, APPS_DIR);
  const teams = fs.existsSync(apps)
    ? fs
        .readdirSync(apps, { withFileTypes: true })
        .filter(d => d.isDirectory())
        .map(d => d.name)
    : [];
  const owners = teams.filter(t => repo.serviceExists(t, service));
  if (owners.length === 0) {
    throw new NotFoundError(
      `service '${service}' does not exist in the GitOps repository (no ${serviceDir(
        '<team>',
        service,
      )})`,
    );
  }
  if (owners.length > 1) {
    throw new ConflictError(
      `service '${service}' exists for several teams (${owners.join(
        ', ',
      )}); the repository is ambiguous`,
    );
  }
  return { team: owners[0], service, rel: serviceDir(owners[0], service) };
}

function readDirFiles(dir: string, rel: string) {
  const files: Record<string, any> = {};
  for (const f of fs.readdirSync(dir)) {
    // mkdocs.yml is the runbook's TechDocs site (new-service's skeleton), not Kubernetes
    if (!/\.ya?ml$/.test(f) || f === 'mkdocs.yml') continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    // kustomization.yaml and application.yaml are not Kubernetes objects
    files[f] =
      f === 'kustomization.yaml' || f === 'application.yaml'
        ? parseYaml(text)
        : parseManifests(text, `${rel}/${f}`);
  }
  return files;
}

/**
 * Reads a service's settings from the GitOps remote and plans changes to them, on the task's
 * checkout (openTaskCheckout: cloned at the remote's head by the task's first GitOps step, the
 * base gitops:commit then commits on). Used by the form's pre-fill and review routes (each in a
 * scratch workspace) and by the gitops:update:service action, so what the review shows is what
 * is committed. Planning leaves the checkout as it found it.
 */
export class ServiceChangePlanner {
  constructor(
    private readonly repository: GitRepository,
    private readonly authorizer: WriteAuthorizer,
  ) {}

  /** The service's current settings; only its team's members and platform-team may read them. */
  async current(
    workspace: string,
    entityRef: string,
    user: Writer,
  ): Promise<CurrentService> {
    const checkout = await openTaskCheckout(this.repository, workspace);
    return this.read(checkout.repo, entityRef, user);
  }

  /**
   * Renders the service with `changes` applied. When `outputDir` is given the directory as it
   * should be committed is written there. `baseRevision` (from the form) makes a request fail
   * when the directory changed since the form was loaded.
   */
  async plan(opts: {
    workspace: string;
    entityRef: string;
    changes: ServiceChanges;
    user: Writer;
    baseRevision?: string;
    /** Where to write the directory to commit, given its repo path. */
    outputDir?: (repoPath: string) => string;
  }): Promise<ServiceChangePlan> {
    const { repo } = await openTaskCheckout(this.repository, opts.workspace);
    const current = await this.read(repo, opts.entityRef, opts.user);
    try {
      if (opts.baseRevision && opts.baseRevision !== current.revision) {
        throw new ConflictError(
          `${
            current.path
          } changed since you opened the form (now at commit ${current.headCommit.slice(
            0,
            12,
          )}); reload the form to see the current settings, nothing was committed`,
        );
      }
      const next = validateServiceInput(
        applyServiceChanges(current.settings, opts.changes),
        repo.platformNamespaces(),
      );
      if (
        next.tier <= 2 &&
        next.tier !== current.settings.tier &&
        !this.authorizer.isPlatform(opts.user.groups)
      ) {
        throw new NotAllowedError(
          `tier ${next.tier} is reserved for platform-team; teams choose tier 3 or 4`,
        );
      }
      const ns = repo.teamNamespace(current.team);
      const rendered = renderService(next, {
        namespaceLabels: ns?.metadata.labels ?? {},
      });
      const dir = path.join(repo.root, current.path);
      // files renderService owns are replaced (or removed when no longer rendered); others stay
      for (const f of RENDERED_SERVICE_FILES) {
        fs.rmSync(path.join(dir, f), { force: true });
      }
      for (const [name, doc] of Object.entries(rendered)) {
        fs.writeFileSync(path.join(dir, name), toYaml(doc));
      }
      await runGit(['add', '--all', '--', current.path], { cwd: repo.root });
      const diff = await runGit(
        ['diff', '--cached', '--no-color', '--no-ext-diff', '--', current.path],
        { cwd: repo.root },
      );
      if (opts.outputDir) {
        const out = opts.outputDir(current.path);
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.cpSync(dir, out, { recursive: true });
      }
      return { ...current, next, changed: diff.trim() !== '', diff };
    } finally {
      // the checkout goes back to its base: gitops:commit commits the output directory on it
      await runGit(['reset', '--quiet', '--hard', 'HEAD'], { cwd: repo.root });
      await runGit(['clean', '-fdq', '--', current.path], { cwd: repo.root });
    }
  }

  private async read(
    repo: RepoState,
    entityRef: string,
    user: Writer,
  ): Promise<CurrentService> {
    const name = serviceNameOf(entityRef);
    const found = findServiceDir(repo, name);
    // membership before content: a stranger learns nothing about another team's settings
    this.authorizer.assertMayWrite(user, found.rel, 'update');
    const dir = path.join(repo.root, found.rel);
    const settings = readServiceSettings(
      found.team,
      name,
      readDirFiles(dir, found.rel),
    );
    const revision = (
      await runGit(['rev-parse', `HEAD:${found.rel}`], { cwd: repo.root })
    ).trim();
    const headCommit = (
      await runGit(['rev-parse', 'HEAD'], { cwd: repo.root })
    ).trim();
    return {
      team: found.team,
      service: name,
      path: found.rel,
      revision,
      headCommit,
      settings,
    };
  }
}
