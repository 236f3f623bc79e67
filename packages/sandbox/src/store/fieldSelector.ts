import type { KubernetesObject } from '@internal/kube-model';

/** Thrown when a field selector is malformed or names a field the kind does not support. */
export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

/** A predicate over a whole object. */
export type FieldMatcher = (obj: KubernetesObject) => boolean;

type FieldReader = (obj: KubernetesObject) => string;

const str = (v: unknown): string =>
  v === undefined || v === null ? '' : String(v);
const at =
  (...path: string[]): FieldReader =>
  obj => {
    let v: unknown = obj;
    for (const p of path) v = (v as Record<string, unknown> | undefined)?.[p];
    return str(v);
  };

// Every kind supports metadata.name/namespace; these are the extra fields the real API server
// indexes for the kinds the portal reads.
const KIND_FIELDS: Record<string, Record<string, FieldReader>> = {
  Pod: {
    'spec.nodeName': at('spec', 'nodeName'),
    'spec.restartPolicy': at('spec', 'restartPolicy'),
    'spec.schedulerName': at('spec', 'schedulerName'),
    'spec.serviceAccountName': at('spec', 'serviceAccountName'),
    'status.phase': at('status', 'phase'),
    'status.podIP': at('status', 'podIP'),
  },
  Node: {
    'spec.unschedulable': obj =>
      str(at('spec', 'unschedulable')(obj) === 'true'),
  },
  Namespace: { 'status.phase': at('status', 'phase') },
  Event: {
    'involvedObject.kind': at('involvedObject', 'kind'),
    'involvedObject.name': at('involvedObject', 'name'),
    'involvedObject.namespace': at('involvedObject', 'namespace'),
    'involvedObject.uid': at('involvedObject', 'uid'),
    reason: at('reason'),
    type: at('type'),
  },
};

const COMMON_FIELDS: Record<string, FieldReader> = {
  'metadata.name': at('metadata', 'name'),
  'metadata.namespace': at('metadata', 'namespace'),
};

/**
 * Parses a field selector (`metadata.name=x,spec.nodeName!=y`; `=`, `==`, `!=`) for objects of
 * `kind`. An empty selector matches everything.
 *
 * @throws FieldSelectorError on bad syntax or a field the kind does not support (the API server
 * answers 400 for those too).
 */
export function parseFieldSelector(
  selector: string,
  kind: string,
): FieldMatcher {
  const fields = { ...COMMON_FIELDS, ...KIND_FIELDS[kind] };
  const checks: FieldMatcher[] = [];
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') {
      if (selector.trim() === '') continue;
      throw new FieldSelectorError(
        `invalid field selector "${selector}": empty term`,
      );
    }
    const match = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
    if (!match) {
      throw new FieldSelectorError(
        `invalid field selector "${selector}": "${term}" is not of the form field=value`,
      );
    }
    const [, field, op, value] = match;
    const read = fields[field];
    if (!read) {
      throw new FieldSelectorError(
        `field label not supported: ${field} (kind ${kind})`,
      );
    }
    checks.push(
      op === '!=' ? obj => read(obj) !== value : obj => read(obj) === value,
    );
  }
  if (checks.length === 0) return () => true;
  return obj => checks.every(c => c(obj));
}
