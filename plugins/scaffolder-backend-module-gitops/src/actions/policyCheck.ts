import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { assertSafeRepoPath, parseManifests } from '@internal/gitops-repo';
import { parse as parseYaml } from 'yaml';
import { KubeResource } from '@internal/policy-engine';
import { GitopsActionDeps, openTaskCheckout } from '../core';
import { checkPolicies, formatFinding } from '../policy/check';
import { RepoState } from '../repoState';
import { assertRendered } from '../validation';

/** The manifests a rendered directory applies: its kustomization's resources, else all YAML but the catalog file. */
export function renderedManifestFiles(dir: string): string[] {
  const kustomization = path.join(dir, 'kustomization.yaml');
  if (fs.existsSync(kustomization)) {
    // kustomization.yaml has no metadata.name, so it is read with the yaml parser directly
    const k = parseYaml(fs.readFileSync(kustomization, 'utf8')) ?? {};
    const resources = (k?.resources as string[] | undefined) ?? [];
    return resources.map(r => {
      const p = assertSafeRepoPath(r, 'kustomization resource');
      return path.join(dir, p);
    });
  }
  return fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f) && f !== 'catalog-info.yaml')
    .map(f => path.join(dir, f));
}

/**
 * Evaluates `repo`'s Kyverno policies on the manifests rendered in `dir` (file names in
 * messages relative to `root`): Audit failures are logged, Enforce failures throw an
 * InputError that names the path, each violated rule and the resource.
 *
 * @returns how many Audit warnings there were
 */
export function enforcePolicies(opts: {
  repo: RepoState;
  dir: string;
  root: string;
  logger: LoggerService;
  /** Said before the violations, e.g. which head the rendered files were rebased onto. */
  context?: string;
  /** `gitops.unverifiableEnforcePolicies`: what an Enforce rule the engine cannot check does. */
  unverifiableEnforce?: 'fail' | 'warn';
}): number {
  const { repo, dir, root, logger } = opts;
  const rel = path.relative(root, dir);
  const resources = renderedManifestFiles(dir).flatMap(
    f =>
      parseManifests(
        fs.readFileSync(f, 'utf8'),
        path.relative(root, f),
      ) as KubeResource[],
  );
  const policies = repo.policies();
  logger.info(
    `checking ${resources.length} resources of ${rel} against ${policies.length} policies`,
  );
  const findings = checkPolicies(
    policies,
    resources,
    ns => repo.teamNamespace(ns)?.metadata.labels,
    { unverifiableEnforce: opts.unverifiableEnforce },
  );
  const audit = findings.filter(f => !f.enforce);
  for (const f of audit) logger.warn(`policy warning: ${formatFinding(f)}`);
  const enforce = findings.filter(f => f.enforce);
  if (enforce.length) {
    throw new InputError(
      `${opts.context ? `${opts.context}: ` : ''}${
        enforce.length
      } Enforce policy violation(s) in ${rel}, nothing was committed:\n${enforce
        .map(f => `- ${formatFinding(f)}`)
        .join('\n')}`,
    );
  }
  return audit.length;
}

export function createPolicyCheckAction(deps: GitopsActionDeps) {
  const { config, repository } = deps;
  return createTemplateAction({
    id: 'gitops:policy:check',
    description:
      "Evaluates the GitOps repository's Kyverno policies on rendered manifests; Enforce failures fail the task, Audit failures are logged as warnings.",
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe('Workspace-relative directory of rendered manifests'),
      },
      output: {
        warnings: z => z.number(),
      },
    },
    async handler(ctx) {
      assertRendered(ctx.input);
      const rel = assertSafeRepoPath(ctx.input.path, 'path');
      const dir = path.join(ctx.workspacePath, rel);
      if (!fs.existsSync(dir)) {
        throw new InputError(
          `nothing rendered at ${rel} in the task workspace`,
        );
      }
      // the policies of the head the task rendered on; the commit checks again after a rebase
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      const warnings = enforcePolicies({
        repo,
        dir,
        root: ctx.workspacePath,
        logger: ctx.logger,
        unverifiableEnforce: config.unverifiableEnforcePolicies,
      });
      ctx.output('warnings', warnings);
    },
  });
}
