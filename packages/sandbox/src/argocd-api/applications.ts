import {
  compileLabelSelector,
  type KubernetesObject,
} from '@internal/kube-model';
import type { ClusterStore } from '../store';

type Obj = Record<string, any>;

/** The namespace Applications live in unless they say otherwise. */
export const DEFAULT_APP_NAMESPACE = 'argocd';

/** Which Applications a list request selects. */
export interface ApplicationQuery {
  /** Label selector on the Application's labels. */
  selector?: string;
  /** Any of these projects (empty = all). */
  projects?: string[];
  appNamespace?: string;
  name?: string;
}

/**
 * An Application as the ArgoCD API returns it: guaranteed `metadata.namespace`,
 * `status.sync.status` and `status.health.status` (`Unknown` until the reconciler has set them),
 * which the Roadie plugin's response validation requires.
 */
export function withApplicationDefaults(
  app: KubernetesObject,
): KubernetesObject {
  const status: Obj = (app.status as Obj | undefined) ?? {};
  return {
    ...app,
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      ...app.metadata,
      namespace: app.metadata.namespace ?? DEFAULT_APP_NAMESPACE,
    },
    status: {
      ...status,
      sync: { ...status.sync, status: status.sync?.status ?? 'Unknown' },
      health: { ...status.health, status: status.health?.status ?? 'Unknown' },
    },
  };
}

/**
 * The Applications matching `query`, with defaults filled in.
 *
 * @throws LabelSelectorError for a malformed selector.
 */
export function listApplications(
  store: ClusterStore,
  query: ApplicationQuery,
): KubernetesObject[] {
  const matches = compileLabelSelector(query.selector ?? '');
  const projects = new Set(query.projects ?? []);
  return store
    .listShared({
      kind: 'Application',
      apiVersion: 'argoproj.io/v1alpha1',
      namespace: query.appNamespace,
    })
    .filter(app => matches(app.metadata.labels))
    .filter(
      app =>
        projects.size === 0 ||
        projects.has((app as Obj).spec?.project ?? 'default'),
    )
    .filter(app => query.name === undefined || app.metadata.name === query.name)
    .map(withApplicationDefaults);
}

/**
 * One Application by name: in `appNamespace` when given, else in the `argocd` namespace, else in
 * whichever namespace has one of that name.
 */
export function findApplication(
  store: ClusterStore,
  name: string,
  appNamespace?: string,
): KubernetesObject | undefined {
  const candidates = store.listShared({
    kind: 'Application',
    apiVersion: 'argoproj.io/v1alpha1',
    namespace: appNamespace,
    fieldSelector: `metadata.name=${name}`,
  });
  const found =
    candidates.find(
      app =>
        (app.metadata.namespace ?? DEFAULT_APP_NAMESPACE) ===
        DEFAULT_APP_NAMESPACE,
    ) ?? candidates[0];
  return found && withApplicationDefaults(found);
}
