import { groupOfApiVersion, type KubernetesObject } from '@internal/kube-model';
import type { ObjectRef } from '../store/types';

/** ArgoCD's default tracking label: the name of the Application that manages the object. */
export const TRACKING_LABEL = 'app.kubernetes.io/instance';
/**
 * ArgoCD's annotation-based tracking id. The sandbox writes it besides the label so pruning
 * only ever touches objects the reconciler itself applied (workload templates often carry
 * their own `app.kubernetes.io/instance`, which pods inherit).
 */
export const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** `<group>/<kind>/<namespace>/<name>`: identifies an object across API versions. */
export function objectKey(obj: {
  apiVersion: string;
  kind: string;
  metadata?: { namespace?: string; name: string };
  namespace?: string;
  name?: string;
}): string {
  const namespace = obj.metadata?.namespace ?? obj.namespace ?? '';
  const name = obj.metadata?.name ?? obj.name ?? '';
  return `${groupOfApiVersion(obj.apiVersion)}/${
    obj.kind
  }/${namespace}/${name}`;
}

/** The tracking id ArgoCD writes: `<app>:<group>/<kind>:<namespace>/<name>`. */
export function trackingId(appName: string, obj: KubernetesObject): string {
  return `${appName}:${groupOfApiVersion(obj.apiVersion)}/${obj.kind}:${
    obj.metadata.namespace ?? ''
  }/${obj.metadata.name}`;
}

/** The Application that the tracking annotation names, if any. */
export function trackedBy(obj: KubernetesObject): string | undefined {
  const id = obj.metadata.annotations?.[TRACKING_ID_ANNOTATION];
  return id ? id.slice(0, id.indexOf(':')) : undefined;
}

/** The store reference of an object. */
export function refOf(obj: KubernetesObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  };
}
