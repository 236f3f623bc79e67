import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { LabelSelectorError } from '@internal/kube-model';
import type { ClusterStore } from '../store';
import type { Logger } from '../control-api/types';
import { bearerToken, secretEquals } from '../kube-api/auth';
import { pathSegments } from '../kube-api/http';
import { sendJson } from '../kube-api/status';
import { findApplication, listApplications } from './applications';
import { GrpcCode, sendArgoError } from './errors';
import { managedObjects, resourceTree } from './resourceTree';

/** Commit metadata for `.../revisions/{rev}/metadata` (the GitOps remote provides it). */
export interface RevisionMetadataSource {
  revisionMetadata(
    sha: string,
  ): Promise<
    | { author: string; date: string; message: string; tags?: string[] }
    | undefined
  >;
}

/** Options of {@link ArgoCdApiServer}. */
export interface ArgoCdApiServerOptions {
  store: ClusterStore;
  revisions: RevisionMetadataSource;
  /** Credentials `POST /api/v1/session` accepts. */
  username: string;
  password: string;
  /** A token accepted without a session (for config files: `argocd.appLocatorMethods[].instances[].token`). */
  staticToken?: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  logger?: Logger;
}

/** What `GET /api/version` reports. */
export const SANDBOX_ARGOCD_VERSION = {
  Version: 'v2.13.0+sandbox',
  BuildDate: '2026-01-01T00:00:00Z',
  GitCommit: '0000000000000000000000000000000000000000',
  GitTreeState: 'clean',
  GoVersion: 'go1.22.0',
  Compiler: 'gc',
  Platform: 'linux/amd64',
};

const MAX_BODY_BYTES = 64 * 1024;

async function readJsonBody(
  req: IncomingMessage,
): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === 'argocd.token') return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The subset of the ArgoCD REST API the Roadie ArgoCD plugin and backend call, served from the
 * Applications in the {@link ClusterStore}. Read-only: sync, create and delete answer 405.
 */
export class ArgoCdApiServer {
  private readonly server: Server;
  private readonly sessions = new Set<string>();
  private address?: AddressInfo;

  constructor(private readonly options: ArgoCdApiServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        options.logger?.error(
          `argocd-api ${req.method} ${req.url} failed: ${
            error?.stack ?? error
          }`,
        );
        if (!res.headersSent)
          sendArgoError(
            res,
            500,
            GrpcCode.Unknown,
            String(error?.message ?? error),
          );
        else res.destroy();
      });
    });
  }

  /** Starts listening; resolves with the base URL (`http://127.0.0.1:7101`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(
        this.options.port,
        this.options.host ?? '127.0.0.1',
        () => {
          this.server.off('error', reject);
          resolve();
        },
      );
    });
    this.address = this.server.address() as AddressInfo;
    return this.url;
  }

  get url(): string {
    if (!this.address) throw new Error('ArgoCdApiServer is not started');
    return `http://${this.address.address}:${this.address.port}`;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>(resolve =>
      this.server.close(() => resolve()),
    );
    this.server.closeAllConnections();
    await closed;
  }

  private authenticated(req: IncomingMessage): boolean {
    const token = bearerToken(req) ?? cookieToken(req);
    if (token === undefined) return false;
    if (
      this.options.staticToken &&
      secretEquals(token, this.options.staticToken)
    )
      return true;
    return this.sessions.has(token);
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const segments = pathSegments(url.pathname);
    const method = req.method ?? 'GET';

    if (url.pathname === '/api/version' && method === 'GET') {
      sendJson(res, 200, SANDBOX_ARGOCD_VERSION);
      return;
    }
    if (url.pathname === '/api/v1/session' && method === 'POST') {
      await this.createSession(req, res);
      return;
    }
    if (!this.authenticated(req)) {
      sendArgoError(
        res,
        401,
        GrpcCode.Unauthenticated,
        'no session information',
      );
      return;
    }
    if (method !== 'GET') {
      sendArgoError(
        res,
        405,
        GrpcCode.Unimplemented,
        `the sandbox ArgoCD API is read-only (${method} ${url.pathname}): change the GitOps repository instead`,
      );
      return;
    }
    if (url.pathname === '/api/v1/session/userinfo') {
      sendJson(res, 200, {
        loggedIn: true,
        username: this.options.username,
        iss: 'argocd',
      });
    } else if (
      segments[0] === 'api' &&
      segments[1] === 'v1' &&
      segments[2] === 'applications'
    ) {
      await this.handleApplications(res, url, segments.slice(3));
    } else if (
      segments[0] === 'api' &&
      segments[1] === 'v1' &&
      segments[2] === 'projects'
    ) {
      this.handleProjects(res, segments.slice(3));
    } else {
      sendArgoError(res, 404, GrpcCode.NotFound, `Not Found: ${url.pathname}`);
    }
  }

  private async createSession(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const body = await readJsonBody(req);
    const ok =
      body !== undefined &&
      typeof body.username === 'string' &&
      typeof body.password === 'string' &&
      body.username === this.options.username &&
      secretEquals(body.password, this.options.password);
    if (!ok) {
      sendArgoError(
        res,
        401,
        GrpcCode.Unauthenticated,
        'Invalid username or password',
      );
      return;
    }
    const token = randomBytes(24).toString('hex');
    this.sessions.add(token);
    sendJson(res, 200, { token });
  }

  private async handleApplications(
    res: ServerResponse,
    url: URL,
    rest: string[],
  ): Promise<void> {
    const { store } = this.options;
    const appNamespace = url.searchParams.get('appNamespace') || undefined;
    if (rest.length === 0) {
      const projects = [
        ...url.searchParams.getAll('projects'),
        ...url.searchParams.getAll('project'),
      ].filter(Boolean);
      try {
        const items = listApplications(store, {
          selector: url.searchParams.get('selector') ?? undefined,
          projects,
          appNamespace,
          name: url.searchParams.get('name') || undefined,
        });
        sendJson(res, 200, {
          metadata: { resourceVersion: store.resourceVersion },
          items,
        });
      } catch (error) {
        if (!(error instanceof LabelSelectorError)) throw error;
        sendArgoError(res, 400, GrpcCode.InvalidArgument, error.message);
      }
      return;
    }
    const [name, sub, ...more] = rest;
    const app = findApplication(store, name, appNamespace);
    if (!app) {
      sendArgoError(
        res,
        404,
        GrpcCode.NotFound,
        `applications.argoproj.io "${name}" not found`,
      );
      return;
    }
    if (sub === undefined) {
      sendJson(res, 200, app);
    } else if (
      sub === 'revisions' &&
      more.length === 2 &&
      more[1] === 'metadata'
    ) {
      const metadata = await this.options.revisions.revisionMetadata(more[0]);
      if (!metadata) {
        sendArgoError(
          res,
          404,
          GrpcCode.NotFound,
          `revision ${more[0]} not found`,
        );
        return;
      }
      sendJson(res, 200, {
        author: metadata.author,
        date: metadata.date,
        message: metadata.message,
        tags: metadata.tags ?? [],
      });
    } else if (sub === 'resource-tree' && more.length === 0) {
      sendJson(res, 200, resourceTree(store, name));
    } else if (sub === 'managed-resources' && more.length === 0) {
      const items = managedObjects(store, name).map(obj => {
        const slash = obj.apiVersion.indexOf('/');
        const state = JSON.stringify(obj);
        return {
          group: slash < 0 ? '' : obj.apiVersion.slice(0, slash),
          version: obj.apiVersion.slice(slash + 1),
          kind: obj.kind,
          namespace: obj.metadata.namespace ?? '',
          name: obj.metadata.name,
          liveState: state,
          targetState: state,
          normalizedLiveState: state,
          predictedLiveState: state,
        };
      });
      sendJson(res, 200, { items });
    } else {
      sendArgoError(
        res,
        404,
        GrpcCode.NotFound,
        `Not Found: applications/${rest.join('/')}`,
      );
    }
  }

  private handleProjects(res: ServerResponse, rest: string[]): void {
    const projects = this.options.store.listShared({
      kind: 'AppProject',
      apiVersion: 'argoproj.io/v1alpha1',
    });
    if (rest.length === 0) {
      sendJson(res, 200, {
        metadata: { resourceVersion: this.options.store.resourceVersion },
        items: projects,
      });
      return;
    }
    const project =
      rest.length === 1
        ? projects.find(p => p.metadata.name === rest[0])
        : undefined;
    if (project) sendJson(res, 200, project);
    else
      sendArgoError(
        res,
        404,
        GrpcCode.NotFound,
        `appprojects.argoproj.io "${rest.join('/')}" not found`,
      );
  }
}
