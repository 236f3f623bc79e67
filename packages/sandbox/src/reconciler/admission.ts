import type { KubernetesObject } from '@internal/kube-model';
import {
  enforceViolations,
  evaluatePolicies,
  RuleResult,
} from '@internal/policy-engine';

/** A Kyverno admission denial of one object. */
export interface AdmissionDenial {
  object: KubernetesObject;
  violations: RuleResult[];
  /** The message the API server returns (Kyverno's webhook wording). */
  message: string;
}

function resourceName(obj: KubernetesObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/**
 * Kyverno's validating webhook: evaluates the active policies against an object about to be
 * created or updated and denies it when an Enforce rule fails.
 */
export class Admission {
  /**
   * @param policies - the active ClusterPolicies
   * @param namespaceLabels - labels of each Namespace (from this batch, else the store)
   */
  constructor(
    private readonly policies: KubernetesObject[],
    private readonly namespaceLabels: (
      namespace: string,
    ) => Record<string, string> | undefined,
  ) {}

  /** The denial for `obj`, or undefined when it is admitted. */
  review(
    obj: KubernetesObject,
    operation: 'CREATE' | 'UPDATE',
    /** The live object an UPDATE replaces (`request.oldObject`). */
    oldObject?: KubernetesObject,
  ): AdmissionDenial | undefined {
    if (this.policies.length === 0) return undefined;
    const namespace =
      obj.kind === 'Namespace' ? obj.metadata.name : obj.metadata.namespace;
    const results = evaluatePolicies(this.policies, obj, {
      operation,
      ...(oldObject ? { oldObject } : {}),
      ...(obj.kind === 'Namespace' || !namespace
        ? {}
        : { namespaceLabels: this.namespaceLabels(namespace) ?? {} }),
    });
    const violations = enforceViolations(results);
    if (violations.length === 0) return undefined;
    const byPolicy = new Map<string, RuleResult[]>();
    for (const v of violations)
      byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    const details = [...byPolicy.entries()]
      .map(
        ([policy, rules]) =>
          `${policy}: ${rules.map(r => `${r.rule}: ${r.message}`).join('; ')}`,
      )
      .join('; ');
    return {
      object: obj,
      violations,
      message: `admission webhook "validate.kyverno.svc-fail" denied the request: resource ${resourceName(
        obj,
      )} was blocked due to the following policies: ${details}`,
    };
  }
}
