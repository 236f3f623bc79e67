import type { KubernetesObject } from '@internal/kube-model';
import fs from 'node:fs';
import path from 'node:path';
import {
  expandApplicationSet,
  findApplicationSets,
  parseManifests,
} from '@internal/gitops-repo';

/** The namespace ArgoCD's own objects live in. */
export const ARGOCD_NAMESPACE = 'argocd';

/** What the platform's bootstrap applies: every stack's ApplicationSet and AppProject. */
export interface Bootstrap {
  applicationSets: KubernetesObject[];
  appProjects: KubernetesObject[];
}

/** One ApplicationSet with what it generated, or why it could not. */
export interface Expansion {
  applicationSet: KubernetesObject;
  applications: KubernetesObject[];
  error?: string;
}

function withArgoNamespace(obj: KubernetesObject): KubernetesObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      namespace: obj.metadata.namespace ?? ARGOCD_NAMESPACE,
    },
  };
}

/** Files at the top of a stack (`K8s/<stack>/`) that the bootstrap applies. */
const BOOTSTRAP_FILE = /^(applicationset|appproject)-.*\.ya?ml$/;

/**
 * AppProjects at the top of each stack (`K8s/<stack>/appproject-*.yaml`, or beside the
 * ApplicationSet in `applicationset-*.yaml`). Files deeper down belong to Applications.
 */
function findAppProjects(repoRoot: string): KubernetesObject[] {
  const root = path.join(repoRoot, 'K8s');
  if (!fs.existsSync(root)) return [];
  const found: KubernetesObject[] = [];
  const stacks = fs
    .readdirSync(root, { withFileTypes: true })
    .filter(e => e.isDirectory() && !e.name.startsWith('.'));
  for (const stack of stacks.map(e => e.name).sort()) {
    const files = fs
      .readdirSync(path.join(root, stack), { withFileTypes: true })
      .filter(e => e.isFile() && BOOTSTRAP_FILE.test(e.name));
    for (const file of files.map(e => e.name).sort()) {
      const relPath = `K8s/${stack}/${file}`;
      const objects = parseManifests(
        fs.readFileSync(path.join(root, stack, file), 'utf8'),
        relPath,
      );
      found.push(
        ...objects.filter(
          o =>
            o.kind === 'AppProject' && o.apiVersion.startsWith('argoproj.io/'),
        ),
      );
    }
  }
  return found;
}

/**
 * Reads the bootstrap objects of the GitOps repository checkout.
 *
 * @throws ManifestParseError when one of the files is malformed (the whole pass then fails,
 *   as ArgoCD's root Application would)
 */
export function readBootstrap(repoRoot: string): Bootstrap {
  return {
    applicationSets: findApplicationSets(repoRoot).map(withArgoNamespace),
    appProjects: findAppProjects(repoRoot).map(withArgoNamespace),
  };
}

/**
 * Runs each ApplicationSet's git generators (directories, and files such as the apps stack's
 * `K8s/apps/<team>/<service>/application.yaml`). A failing ApplicationSet (e.g. a parameters
 * file that is not valid YAML or lacks a key the template uses) reports its error and
 * generates nothing; the caller keeps its previous Applications, as the ApplicationSet
 * controller does.
 */
export function expandAll(
  applicationSets: KubernetesObject[],
  repoRoot: string,
): Expansion[] {
  return applicationSets.map(applicationSet => {
    try {
      return {
        applicationSet,
        applications: expandApplicationSet(
          applicationSet,
          repoRoot,
        ) as KubernetesObject[],
      };
    } catch (e) {
      return { applicationSet, applications: [], error: (e as Error).message };
    }
  });
}
