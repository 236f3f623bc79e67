import type { Tier } from './types';

/** The catalog annotation that states a component's tier (`"1"`..`"4"`). @public */
export const TIER_ANNOTATION = 'idp.platform/tier';

/**
 * Default PriorityClass → tier mapping, from DESIGN.md's PriorityClasses and tier definitions:
 * the built-in system classes are the control plane (tier 1); ArgoCD/Cilium/cert-manager's
 * `platform-infrastructure`, Kyverno's `platform-policy`, Vault's `platform-security` and
 * Prometheus' `platform-observability` are what is needed to see and to repair (tier 2);
 * events, CI/CD and dashboards are important services (tier 3); user and CI job workloads and
 * the unclassified default are tier 4. The catalog annotation wins over this mapping (Loki uses
 * `platform-observability` but is annotated tier 3).
 *
 * @public
 */
export const DEFAULT_PRIORITY_CLASS_TIERS: Readonly<Record<string, Tier>> = {
  'system-node-critical': 1,
  'system-cluster-critical': 1,
  'platform-infrastructure': 2,
  'platform-policy': 2,
  'platform-security': 2,
  'platform-observability': 2,
  'platform-events': 3,
  'platform-cicd': 3,
  'platform-dashboards': 3,
  'user-workloads': 4,
  'cicd-execution': 4,
  'unclassified-workload': 4,
};

/** Tier of workloads nothing classifies. @public */
export const DEFAULT_TIER: Tier = 4;

/** Parses `"1"`..`"4"` (also a number); anything else is no tier. @public */
export function parseTier(value: unknown): Tier | undefined {
  const n =
    typeof value === 'number' ? value : Number(String(value ?? '').trim());
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : undefined;
}

/** The configured mapping over the defaults (configured entries win). @public */
export function priorityClassTiers(
  overrides?: Record<string, Tier>,
): Record<string, Tier> {
  return { ...DEFAULT_PRIORITY_CLASS_TIERS, ...(overrides ?? {}) };
}
