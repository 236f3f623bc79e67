/**
 * Public types shared by the evaluator, the report builder and their callers
 * (the sandbox cluster and the scaffolder's pre-commit policy check).
 */
import type { KubernetesObject } from '@internal/kube-model';

/**
 * Any Kubernetes object, including Kyverno policies and reports: the repository's one object
 * model, `KubernetesObject` of the kube-model package, under the name this package's API uses.
 *
 * @public
 */
export type KubeResource = KubernetesObject;

/** @public */
export type PolicyResultStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** @public */
export type PolicySeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/**
 * The outcome of one validate rule (or one generated controller rule) for one
 * resource.
 *
 * @public
 */
export interface RuleResult {
  /** Policy name; namespaced Policies are `<ns>/<name>`. */
  policy: string;
  /** Rule name, or `autogen-<rule>` / `autogen-cronjob-<rule>` for generated controller rules. */
  rule: string;
  /** `fail` for a violated rule in Enforce or Audit mode (Kyverno reports both as fail). */
  result: PolicyResultStatus;
  /** Kyverno-style message, e.g. `validation error: <message>. rule <rule> failed at path /spec/containers/0/image/`. */
  message: string;
  /** True when the effective failure action is Enforce. */
  enforce: boolean;
  /** From the policy annotation `policies.kyverno.io/severity`. */
  severity?: PolicySeverity;
  /** From the policy annotation `policies.kyverno.io/category`. */
  category?: string;
  /** False only when the policy annotation `policies.kyverno.io/scored` is `"false"`. */
  scored: boolean;
}

/**
 * What the engine cannot read from the resource itself.
 *
 * @public
 */
export interface EvaluationContext {
  /**
   * Labels of the resource's namespace, for `namespaceSelector`. When omitted,
   * a Namespace resource uses its own labels and other resources use `{}`.
   */
  namespaceLabels?: Record<string, string>;
  /**
   * The admission operation. Omitted means `BACKGROUND` (a scan of existing
   * state), for which the `request.operation` variable is `CREATE`, as in
   * Kyverno's background scanner.
   */
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'BACKGROUND';
  /** The object before the change (`request.oldObject`) for UPDATE and DELETE. */
  oldObject?: KubeResource;
  /**
   * The requester's user name; `system:serviceaccount:<ns>:<name>` sets the
   * `serviceAccountName`/`serviceAccountNamespace` variables (empty for
   * other users). Omitted: there is no requester (a background scan, or a
   * check before commit), and rules using those variables end in `error`, as
   * in Kyverno's background scan.
   */
  userName?: string;
}
