import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { WriteAuthorizer } from '@internal/gitops-repo';
import { ServiceChangePlanner } from './ServiceChangePlanner';
import { changesFromParameters } from './serviceSettings';

export interface Day2RouterOptions {
  httpAuth: HttpAuthService;
  authorizer: WriteAuthorizer;
  planner: ServiceChangePlanner;
}

const entityQuery = z.object({ entity: z.string().min(1).max(300) });
const previewBody = z.object({
  entity: z.string().min(1).max(300),
  baseRevision: z.string().max(64).optional(),
  parameters: z.record(z.string(), z.unknown()),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InputError(
      r.error.issues
        .map(i => `${i.path.join('.') || 'request'} ${i.message}`)
        .join('; '),
    );
  }
  return r.data;
}

/**
 * The day-2 forms' server side, mounted under the scaffolder's base URL:
 * - `GET /gitops/services/current?entity=` — the service's settings as the GitOps remote holds
 *   them now, plus the directory's revision the form sends back (stale-form check);
 * - `POST /gitops/services/preview` — the diff of the files the task would commit.
 * Both run as the signed-in user and only for the owning team's members and platform-team.
 */
export async function createDay2Router(
  options: Day2RouterOptions,
): Promise<express.Router> {
  const { httpAuth, authorizer, planner } = options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  async function userOf(req: express.Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return authorizer.resolveUser({
      getInitiatorCredentials: async () => credentials,
    });
  }

  async function inScratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-day2-'));
    try {
      return await fn(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  router.get('/gitops/services/current', async (req, res) => {
    const { entity } = parse(entityQuery, req.query);
    const user = await userOf(req);
    const current = await inScratch(dir => planner.current(dir, entity, user));
    res.json({
      entity,
      team: current.team,
      service: current.service,
      path: current.path,
      revision: current.revision,
      headCommit: current.headCommit,
      values: current.settings,
    });
  });

  router.post('/gitops/services/preview', async (req, res) => {
    const body = parse(previewBody, req.body);
    const changes = changesFromParameters(body.parameters);
    const user = await userOf(req);
    const plan = await inScratch(dir =>
      planner.plan({
        workspace: dir,
        entityRef: body.entity,
        changes,
        user,
        baseRevision: body.baseRevision,
      }),
    );
    res.json({
      path: plan.path,
      revision: plan.revision,
      headCommit: plan.headCommit,
      changed: plan.changed,
      diff: plan.diff,
    });
  });

  return router;
}
