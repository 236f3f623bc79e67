import { InputError } from '@backstage/errors';
import {
  POLICY_RESULT_STATUSES,
  POLICY_SEVERITIES,
  type PolicyResultStatus,
  type PolicySeverity,
} from '@internal/plugin-policy-reports-common';
import { z } from 'zod';

// A filter may be repeated (`?severity=high&severity=critical`) or
// comma-separated (`?severity=high,critical`); both become one list.
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(
    value =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value])
            .flatMap(entry => String(entry).split(','))
            .map(entry => entry.trim())
            .filter(Boolean),
    z.array(item).optional(),
  );
}

const severity = z.enum(
  POLICY_SEVERITIES as [PolicySeverity, ...PolicySeverity[]],
);
const resultStatus = z.enum(
  POLICY_RESULT_STATUSES as [PolicyResultStatus, ...PolicyResultStatus[]],
);
const name = z.string().min(1).max(253);

/** Kubernetes object names: DNS subdomains. */
export const policyNameSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name')
  .max(253);

/** Query of the entity results route; unknown parameters are rejected so typos do not silently widen a view. */
export const entityResultsQuerySchema = z.strictObject({
  result: listOf(resultStatus),
  severity: listOf(severity),
  policy: listOf(name),
  category: listOf(name),
  cluster: listOf(name),
  search: z.string().max(200).optional(),
});

/** Query of the overview route. */
export const overviewQuerySchema = z.strictObject({
  cluster: name.optional(),
  team: listOf(name),
  severity: listOf(severity),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform(value => value === 'true'),
});

/** Query of the policy detail route. */
export const policyQuerySchema = z.strictObject({
  cluster: name.optional(),
});

/** Parses request input or throws a 400 that says what was wrong. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(`invalid ${what}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
