/**
 * Kyverno `validate` evaluator for the IDP Portal: shared by the sandbox
 * cluster (PolicyReports, Enforce rejection) and the scaffolder's pre-commit
 * policy check. Pure TypeScript, no IO.
 *
 * @packageDocumentation
 */

export type {
  KubeResource,
  PolicyResultStatus,
  PolicySeverity,
  RuleResult,
  EvaluationContext,
} from './types';
export {
  evaluatePolicies,
  enforceViolations,
  isKyvernoPolicy,
  policyDisplayName,
  UNSUPPORTED_PREFIX,
} from './evaluate';
export {
  buildPolicyReport,
  summarizeResults,
  MANAGED_BY_LABEL,
} from './report';
export type { PolicyReportOptions, PolicyReportSummary } from './report';
export {
  matchPattern,
  matchValuePattern,
  parseKey,
  PatternSyntaxError,
} from './pattern';
export type { PatternOutcome, AnchorType, ParsedKey } from './pattern';
export {
  blockMatches,
  filterMatches,
  kindMatches,
  parseKindSelector,
  ruleSelects,
  selectorMatches,
} from './match';
export type { LabelSelector } from '@internal/kube-model';
export type {
  KindSelector,
  MatchBlock,
  ResourceDescription,
  ResourceFilter,
} from './match';
export {
  autogenRules,
  autogenControllers,
  canAutogen,
  AUTOGEN_ANNOTATION,
  DEFAULT_POD_CONTROLLERS,
} from './autogen';
export type { KyvernoRule } from './autogen';
export { evaluateCondition, preconditionsMet } from './conditions';
export type { Condition } from './conditions';
export { compareScalars, parseDuration } from './quantity';
export { parseQuantity } from '@internal/kube-model';
export { wildcardMatch } from './wildcard';
export {
  precommitDecision,
  isUnverifiable,
  CANNOT_CHECK_MESSAGE,
} from './precommit';
export type {
  PrecommitDecision,
  PrecommitOptions,
  UnverifiableEnforceHandling,
} from './precommit';
export {
  evaluatePodSecurity,
  formatPodSecurityChecks,
  PSS_CONTROL_NAMES,
  PSS_LATEST_VERSION,
} from './pss';
export type { PodSecurityExclude, PssCheckResult, PssFieldError } from './pss';
export { KYVERNO_FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './functions';
export { evaluateJmespath } from './jmespath';
export { parseImageReference, extractImages } from './images';
export type { ImageInfo } from './images';
export { CONDITION_OPERATORS, evaluateConditions } from './conditions';
export type { ConditionsOutcome } from './conditions';
export {
  VariableScope,
  UnsupportedVariableError,
  VariableSubstitutionError,
  substitute,
  substituteDeep,
} from './variables';
export type { ScopeInit } from './variables';
