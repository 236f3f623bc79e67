import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseManifests } from '@internal/gitops-repo';
import { parse as parseYaml } from 'yaml';
import { KubeResource } from '@internal/policy-engine';
import { GitopsConfig } from '../config';
import { withCheckout } from '../checkout';
import { assertSafeRepoPath, GitopsRemote } from '../git/GitopsRemote';
import { checkPolicies, formatFinding } from '../policy/check';

/** The manifests a rendered directory applies: its kustomization's resources, else all YAML but the catalog file. */
export function renderedManifestFiles(dir: string): string[] {
  const kustomization = path.join(dir, 'kustomization.yaml');
  if (fs.existsSync(kustomization)) {
    const [k] = parseManifestsLoose(fs.readFileSync(kustomization, 'utf8'));
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

// kustomization.yaml has no metadata.name, so it is read with the yaml parser directly
function parseManifestsLoose(text: string): Array<Record<string, unknown>> {
  return [parseYaml(text) ?? {}];
}

export function createPolicyCheckAction(deps: {
  config: GitopsConfig;
  remote: GitopsRemote;
}) {
  const { config, remote } = deps;
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
      const rel = assertSafeRepoPath(ctx.input.path, 'path');
      const dir = path.join(ctx.workspacePath, rel);
      if (!fs.existsSync(dir)) {
        throw new InputError(
          `nothing rendered at ${rel} in the task workspace`,
        );
      }
      const resources = renderedManifestFiles(dir).flatMap(
        f =>
          parseManifests(
            fs.readFileSync(f, 'utf8'),
            path.relative(ctx.workspacePath, f),
          ) as KubeResource[],
      );
      const findings = await withCheckout(
        remote,
        config.branch,
        ctx.workspacePath,
        repo => {
          const policies = repo.policies();
          ctx.logger.info(
            `checking ${resources.length} resources against ${policies.length} policies`,
          );
          return checkPolicies(
            policies,
            resources,
            ns => repo.teamNamespace(ns)?.metadata.labels,
            { unverifiableEnforce: config.unverifiableEnforcePolicies },
          );
        },
      );
      const audit = findings.filter(f => !f.enforce);
      for (const f of audit)
        ctx.logger.warn(`policy warning: ${formatFinding(f)}`);
      const enforce = findings.filter(f => f.enforce);
      if (enforce.length) {
        throw new InputError(
          `${
            enforce.length
          } Enforce policy violation(s), nothing was committed:\n${enforce
            .map(f => `- ${formatFinding(f)}`)
            .join('\n')}`,
        );
      }
      ctx.output('warnings', audit.length);
    },
  });
}
