import fs from 'node:fs';
import path from 'node:path';
import {
  KubeObject,
  parseManifests,
  POLICY_DIR,
  serviceDir,
  teamDir,
  TEAMS_DIR,
} from '@internal/gitops-repo';
import { isKyvernoPolicy, KubeResource } from '@internal/policy-engine';

/** Fallback when the repository's teams ApplicationSet cannot be read. */
export const DEFAULT_ARGO_REPO_URL =
  'https://git.example.com/platform/gitops.git';

/** Manifest files of a directory; kustomization.yaml is not a Kubernetes object. */
function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f) && !/^kustomization\.ya?ml$/.test(f))
    .map(f => path.join(dir, f));
}

function readObjects(file: string, root: string): KubeObject[] {
  return parseManifests(
    fs.readFileSync(file, 'utf8'),
    path.relative(root, file),
  );
}

/**
 * Facts the actions need from a checkout of the GitOps repository (a directory with `K8s/`).
 * Reads files only; the caller owns the checkout.
 */
export class RepoState {
  constructor(readonly root: string) {}

  /** Namespaces the platform stacks declare in `K8s/<stack>/governance`. */
  platformNamespaces(): string[] {
    const k8s = path.join(this.root, 'K8s');
    const names = new Set<string>();
    for (const stack of fs.existsSync(k8s) ? fs.readdirSync(k8s) : []) {
      for (const f of yamlFiles(path.join(k8s, stack, 'governance'))) {
        for (const o of readObjects(f, this.root)) {
          if (o.kind === 'Namespace') names.add(o.metadata.name);
        }
      }
    }
    return [...names].sort();
  }

  teamExists(team: string): boolean {
    return fs.existsSync(path.join(this.root, teamDir(team)));
  }

  serviceExists(team: string, service: string): boolean {
    return fs.existsSync(path.join(this.root, serviceDir(team, service)));
  }

  /** The team's Namespace as onboarding wrote it (labels: business-unit, environment...). */
  teamNamespace(team: string): KubeObject | undefined {
    for (const f of yamlFiles(path.join(this.root, teamDir(team)))) {
      const ns = readObjects(f, this.root).find(
        o => o.kind === 'Namespace' && o.metadata.name === team,
      );
      if (ns) return ns;
    }
    return undefined;
  }

  /** The repoURL ArgoCD reads the repository from (from the teams ApplicationSet). */
  argoRepoUrl(): string {
    const file = path.join(this.root, TEAMS_DIR, 'applicationset-teams.yaml');
    if (!fs.existsSync(file)) return DEFAULT_ARGO_REPO_URL;
    const set = readObjects(file, this.root)[0] as any;
    return set?.spec?.template?.spec?.source?.repoURL ?? DEFAULT_ARGO_REPO_URL;
  }

  /** The Kyverno ClusterPolicies/Policies of the repository. */
  policies(): KubeResource[] {
    return yamlFiles(path.join(this.root, POLICY_DIR))
      .flatMap(f => readObjects(f, this.root))
      .filter(o => isKyvernoPolicy(o as KubeResource)) as KubeResource[];
  }
}
