import type { KubernetesObject } from '@internal/kube-model';
import type { ObjectRef } from '../store/types';

/** The reference the store uses to find an object again. */
export function refOf(obj: KubernetesObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  };
}

/** `namespace/name` (or `name` for cluster-scoped objects). */
export function keyOf(obj: {
  metadata: { namespace?: string; name: string };
}): string {
  return obj.metadata.namespace
    ? `${obj.metadata.namespace}/${obj.metadata.name}`
    : obj.metadata.name;
}

/** The controller among an object's ownerReferences, if any. */
export function controllerOf(obj: KubernetesObject) {
  const owners = obj.metadata.ownerReferences ?? [];
  return owners.find(o => o.controller) ?? owners[0];
}

/** An RFC 3339 timestamp with second precision, as the API server writes them. */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A deep copy of a JSON value. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Orders strings by code unit, for deterministic sorting independent of locale. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Deep equality of JSON values where a key holding `undefined` counts as absent (as it would
 * after serialization). Used to skip store writes that would not change anything.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  )
    return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return (
      a.length === other.length && a.every((v, i) => jsonEqual(v, other[i]))
    );
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (!jsonEqual(left[key], right[key])) return false;
  }
  return true;
}
