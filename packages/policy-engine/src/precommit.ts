/**
 * What a pre-commit policy check makes of one rule result: block the commit,
 * warn, or say nothing. The one decision that is not Kyverno's own: an
 * Enforce rule the embedded engine cannot evaluate (`skip` for an
 * unsupported construct, or `error`) would be enforced by the cluster, so by
 * default the commit is blocked with "this policy cannot be checked before
 * commit" rather than let through unchecked.
 */
import { UNSUPPORTED_PREFIX } from './evaluate';
import type { RuleResult } from './types';

/**
 * How an Enforce rule the engine cannot evaluate is treated: `fail` blocks
 * the commit (default), `warn` lets it through with a warning.
 *
 * @public
 */
export type UnverifiableEnforceHandling = 'fail' | 'warn';

/** @public */
export interface PrecommitOptions {
  /** Defaults to `fail`. */
  unverifiableEnforce?: UnverifiableEnforceHandling;
}

/** @public */
export type PrecommitDecision =
  | { action: 'none' }
  | { action: 'block' | 'warn'; message: string };

/** The sentence the user sees for a rule the engine cannot evaluate. @public */
export const CANNOT_CHECK_MESSAGE =
  'this policy cannot be checked before commit';

/** Whether a result means the engine could not evaluate the rule (as opposed to "does not apply"). @public */
export function isUnverifiable(result: RuleResult): boolean {
  return (
    result.result === 'error' ||
    (result.result === 'skip' && result.message.startsWith(UNSUPPORTED_PREFIX))
  );
}

/**
 * Decides what a pre-commit check does with one rule result:
 * - `fail`: block when the rule is Enforce, warn when Audit;
 * - `skip` for an unsupported construct, or `error`: on an Enforce rule
 *   block (or warn, with `unverifiableEnforce: 'warn'`) with
 *   {@link CANNOT_CHECK_MESSAGE} and the reason; on an Audit rule warn;
 * - anything else (`pass`, `warn`, `skip` because the rule does not apply):
 *   nothing.
 *
 * @public
 */
export function precommitDecision(
  result: RuleResult,
  options: PrecommitOptions = {},
): PrecommitDecision {
  if (result.result === 'fail') {
    return {
      action: result.enforce ? 'block' : 'warn',
      message: result.message,
    };
  }
  if (!isUnverifiable(result)) return { action: 'none' };
  const message = `${CANNOT_CHECK_MESSAGE} (${result.message})`;
  if (!result.enforce) return { action: 'warn', message };
  return {
    action:
      (options.unverifiableEnforce ?? 'fail') === 'fail' ? 'block' : 'warn',
    message,
  };
}
