import type { KubernetesObject } from '@internal/kube-model';
import fs from 'node:fs';
import path from 'node:path';
import { readApplicationSource } from '@internal/gitops-repo';
import { isClusterScoped } from '../cluster/resourceScope';
import { TRACKING_ID_ANNOTATION, TRACKING_LABEL, trackingId } from './tracking';

/** How ArgoCD classifies an Application's source. */
export type SourceType = 'Kustomize' | 'Directory' | 'Helm';

/** An Application with the manifests it should apply, or why they could not be read. */
export interface AppTarget {
  /** The Application as generated (no status). */
  app: KubernetesObject;
  name: string;
  /** Repo-relative source path. */
  path: string;
  destinationNamespace: string;
  sourceType: SourceType;
  /** Prepared objects (namespace defaulted, tracking label and annotation added). */
  objects?: KubernetesObject[];
  /** `ComparisonError` message when the manifests could not be loaded. */
  error?: string;
}

type AppSpec = {
  source?: {
    path?: string;
    chart?: string;
    repoURL?: string;
    targetRevision?: string;
  };
  destination?: { namespace?: string; server?: string; name?: string };
  project?: string;
  syncPolicy?: {
    syncOptions?: string[];
    managedNamespaceMetadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
  };
};

/** The Application's spec, typed for the fields the reconciler reads. */
export function appSpec(app: KubernetesObject): AppSpec {
  return (app.spec as AppSpec | undefined) ?? {};
}

function sourceTypeOf(
  repoRoot: string,
  spec: AppSpec,
  appPath: string,
): SourceType {
  const dir = path.join(repoRoot, appPath);
  if (spec.source?.chart || fs.existsSync(path.join(dir, 'Chart.yaml')))
    return 'Helm';
  if (
    ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some(f =>
      fs.existsSync(path.join(dir, f)),
    )
  ) {
    return 'Kustomize';
  }
  return 'Directory';
}

/**
 * What ArgoCD does to a manifest before applying it: namespaced objects without a namespace go
 * to the destination namespace, cluster-scoped ones lose any namespace, and the object is
 * marked with the Application's tracking label and annotation.
 */
export function prepareObject(
  obj: KubernetesObject,
  appName: string,
  destinationNamespace: string,
): KubernetesObject {
  const prepared: KubernetesObject = structuredClone(obj);
  // server-owned fields some manifests carry (`creationTimestamp: null`, `status: {}`) would
  // otherwise make the object look drifted on every pass
  for (const field of [
    'creationTimestamp',
    'resourceVersion',
    'uid',
    'generation',
  ] as const) {
    delete prepared.metadata[field];
  }
  if (
    prepared.status !== undefined &&
    Object.keys(prepared.status ?? {}).length === 0
  ) {
    delete prepared.status;
  }
  if (isClusterScoped(prepared.kind)) delete prepared.metadata.namespace;
  else if (!prepared.metadata.namespace)
    prepared.metadata.namespace = destinationNamespace;
  prepared.metadata.labels = {
    ...(prepared.metadata.labels ?? {}),
    [TRACKING_LABEL]: appName,
  };
  prepared.metadata.annotations = {
    ...(prepared.metadata.annotations ?? {}),
    [TRACKING_ID_ANNOTATION]: trackingId(appName, prepared),
  };
  return prepared;
}

/**
 * Reads an Application's manifests from the checkout: plain objects plus the seed objects that
 * stand in for Helm charts. A read or parse error becomes the target's `error`, so one broken
 * directory only affects its own Application.
 */
export function loadTarget(app: KubernetesObject, repoRoot: string): AppTarget {
  const spec = appSpec(app);
  const name = app.metadata.name;
  const appPath = (spec.source?.path ?? '')
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '');
  const destinationNamespace = spec.destination?.namespace || 'default';
  const base = { app, name, path: appPath, destinationNamespace };
  if (!appPath) {
    return {
      ...base,
      sourceType: 'Directory',
      error: 'Failed to load target state: spec.source.path is empty',
    };
  }
  const sourceType = sourceTypeOf(repoRoot, spec, appPath);
  try {
    const source = readApplicationSource(repoRoot, appPath);
    const objects = [...source.objects, ...source.seedObjects].map(o =>
      prepareObject(o as KubernetesObject, name, destinationNamespace),
    );
    return { ...base, sourceType, objects };
  } catch (e) {
    return {
      ...base,
      sourceType,
      error: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${
        (e as Error).message
      }`,
    };
  }
}
