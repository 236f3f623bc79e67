import { stringify } from 'yaml';

/**
 * The only way this module produces YAML: objects through the serializer, never string
 * concatenation, so user text can never become YAML structure. An array becomes a
 * multi-document file.
 */
export function toYaml(doc: unknown): string {
  const one = (d: unknown) =>
    stringify(d, { lineWidth: 0, aliasDuplicateObjects: false });
  return Array.isArray(doc) ? doc.map(one).join('---\n') : one(doc);
}

/** Files of a rendered directory: file name → object (or array of objects) to serialize. */
export type RenderedFiles = Record<string, unknown>;

export function kustomization(resources: string[]) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
  };
}
