import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  POLICY_SEVERITIES,
  type PolicyDefinition,
  type PolicySeverity,
} from '@internal/plugin-policy-reports-common';
import type { ClusterPolicyManifest } from './policyReportKinds';
import type { PolicyReportIndex } from './PolicyReportIndex';
import { readClusterPolicyManifests } from './policyManifestText';

const ANNOTATION = 'policies.kyverno.io/';

/** The detail-page view of a ClusterPolicy manifest. */
export function toPolicyDefinition(
  manifest: ClusterPolicyManifest,
  source: PolicyDefinition['source'],
): PolicyDefinition {
  const annotations = manifest.metadata.annotations ?? {};
  const severity = annotations[`${ANNOTATION}severity`]?.toLowerCase();
  const rules = manifest.spec?.rules ?? [];
  const action =
    manifest.spec?.validationFailureAction ??
    rules.find(rule => rule.validate?.failureAction)?.validate?.failureAction;
  const optional = (key: string, value: string | undefined) =>
    value ? { [key]: value } : {};
  return {
    name: manifest.metadata.name,
    ...optional('title', annotations[`${ANNOTATION}title`]),
    ...optional('description', annotations[`${ANNOTATION}description`]),
    ...(POLICY_SEVERITIES.includes(severity as PolicySeverity)
      ? { severity: severity as PolicySeverity }
      : {}),
    ...optional('category', annotations[`${ANNOTATION}category`]),
    ...optional('validationFailureAction', action),
    rules: rules.map(rule => rule.name ?? '').filter(Boolean),
    source,
  };
}

async function yamlFilesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, {
    withFileTypes: true,
    recursive: true,
  });
  return entries
    .filter(entry => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map(entry => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Finds a ClusterPolicy: in the clusters' shared snapshot first (what is
 * enforced), else in the GitOps repository checkout (what is declared, e.g.
 * while ArgoCD has not synced it yet or a cluster is unreachable).
 */
export class PolicyDefinitions {
  constructor(
    private readonly index: PolicyReportIndex,
    private readonly options: {
      /** Directory of ClusterPolicy manifests; the fallback is off when absent. */
      gitopsPolicyDirectory?: string;
      logger: LoggerService;
    },
  ) {}

  async find(name: string): Promise<PolicyDefinition | undefined> {
    const inCluster = this.index.clusterPolicy(name);
    if (inCluster) {
      return toPolicyDefinition(inCluster.manifest, {
        type: 'cluster',
        cluster: inCluster.cluster,
      });
    }
    return this.findInGitOpsRepository(name);
  }

  private async findInGitOpsRepository(
    name: string,
  ): Promise<PolicyDefinition | undefined> {
    const directory = this.options.gitopsPolicyDirectory;
    if (!directory) return undefined;
    let files: string[];
    try {
      files = await yamlFilesUnder(directory);
    } catch (error) {
      // A missing checkout must not break the page: the results are still worth showing.
      this.options.logger.warn(
        `cannot read ClusterPolicies from ${directory}: ${error}`,
      );
      return undefined;
    }
    for (const file of files) {
      // kustomization files list resources; they are not Kubernetes objects
      if (/^kustomization\.ya?ml$/.test(basename(file))) continue;
      let manifests: ClusterPolicyManifest[];
      try {
        manifests = readClusterPolicyManifests(
          await readFile(file, 'utf8'),
          file,
        );
      } catch (error) {
        // one broken file in Git must not hide the policies of the others
        this.options.logger.warn(`skipping ${file}: ${error}`);
        continue;
      }
      const manifest = manifests.find(
        candidate => candidate.metadata.name === name,
      );
      if (manifest) {
        return toPolicyDefinition(manifest, {
          type: 'gitops-repo',
          path: relative(directory, file),
        });
      }
    }
    return undefined;
  }
}
