import {
  evaluatePolicies,
  KubeResource,
  precommitDecision,
  PrecommitOptions,
  RuleResult,
} from '@internal/policy-engine';

/** One failed rule for one rendered resource. */
export interface PolicyFinding {
  policy: string;
  rule: string;
  resource: string;
  message: string;
  enforce: boolean;
}

/**
 * Evaluates the repository's policies on rendered resources as an admission (CREATE) would.
 * A finding is `enforce` when it blocks the commit: an Enforce failure, or an Enforce rule the
 * engine cannot evaluate unless `options.unverifiableEnforce` is `warn`.
 * Namespace labels come from a rendered Namespace of the same name, else from `lookup`
 * (the team's existing Namespace in the repository). Pure.
 */
export function checkPolicies(
  policies: KubeResource[],
  resources: KubeResource[],
  lookupNamespaceLabels: (ns: string) => Record<string, string> | undefined,
  options: PrecommitOptions = {},
): PolicyFinding[] {
  const rendered = new Map(
    resources
      .filter(r => r.kind === 'Namespace')
      .map(r => [r.metadata.name, r.metadata.labels ?? {}]),
  );
  const findings: PolicyFinding[] = [];
  for (const resource of resources) {
    const ns =
      resource.kind === 'Namespace'
        ? resource.metadata.name
        : resource.metadata.namespace;
    const namespaceLabels = ns
      ? rendered.get(ns) ?? lookupNamespaceLabels(ns) ?? {}
      : undefined;
    const results: RuleResult[] = evaluatePolicies(policies, resource, {
      namespaceLabels,
      operation: 'CREATE',
    });
    for (const r of results) {
      // Enforce rules the engine cannot evaluate block too (configurable): see precommitDecision.
      const decision = precommitDecision(r, options);
      if (decision.action === 'none') continue;
      findings.push({
        policy: r.policy,
        rule: r.rule,
        resource: `${resource.kind} ${
          resource.metadata.namespace ? `${resource.metadata.namespace}/` : ''
        }${resource.metadata.name}`,
        message: decision.message,
        enforce: decision.action === 'block',
      });
    }
  }
  return findings;
}

export function formatFinding(f: PolicyFinding): string {
  return `${f.policy}/${f.rule} on ${f.resource}: ${f.message}`;
}
