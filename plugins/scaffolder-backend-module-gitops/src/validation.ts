import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Server-side validation of everything the templates send. The forms validate the same rules
 * (JSON Schema patterns); these run again because the scaffolder HTTP API accepts any input.
 * Pure functions: no IO, table-tested in validation.test.ts.
 */

/** DNS-1123 label: what a namespace or a Kubernetes object name must be. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS name (hostname): dot-separated DNS-1123 labels. */
export const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Team names stay short so `<team>-<service>` (the Application name) fits 63 characters. */
export const MAX_TEAM_LENGTH = 40;
/** Service names: `<team>-<service>` ≤ 63 with the longest team would leave 22; 30 is the cap. */
export const MAX_SERVICE_LENGTH = 30;

/** Namespaces and names no team may take, besides the platform's own namespaces. */
export const STATIC_RESERVED = [
  'default',
  'argocd',
  'kyverno',
  'kyverno-system',
  'platform-team',
  'gateway',
  'monitoring',
  'engineering',
];

export function isReservedName(
  name: string,
  platformNamespaces: Iterable<string>,
): boolean {
  return (
    name.startsWith('kube-') ||
    name === 'kube' ||
    STATIC_RESERVED.includes(name) ||
    new Set(platformNamespaces).has(name)
  );
}

/** Returns the problem with a name, or undefined when it is a valid DNS-1123 label. */
export function dnsLabelProblem(name: string, max: number): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > max)
    return `must be at most ${max} characters (got ${name.length})`;
  if (!DNS1123_LABEL.test(name)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * Free text ends up as YAML scalars (always through the serializer); newlines and control
 * characters are still refused because they make catalog titles and commit messages ambiguous.
 */
export function freeTextProblem(
  value: string,
  max: number,
): string | undefined {
  if (value.length > max) return `must be at most ${max} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(value)) {
    return 'must be a single line without control characters';
  }
  return undefined;
}

/**
 * Container image repository, e.g. `ghcr.io/acme/web`: no tag, no digest (the tag is its own
 * input), no path traversal.
 */
export function imageProblem(image: string): string | undefined {
  if (image.length > 255) return 'must be at most 255 characters';
  if (image.includes('..') || image.startsWith('/') || image.includes('//')) {
    return 'must not contain "..", "//" or start with "/"';
  }
  if (image.includes('@'))
    return 'must not carry a digest; give the tag separately';
  const lastSegment = image.split('/').pop() ?? '';
  if (lastSegment.includes(':')) {
    return 'must be a repository without a tag; give the tag (never "latest") in the tag field';
  }
  if (
    !/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(
      image,
    )
  ) {
    return 'must be an image repository like registry.example.com/team/app';
  }
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  if (tag.toLowerCase() === 'latest')
    return '"latest" is not allowed; pin a version';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    return 'must be a valid image tag (letters, digits, "_", ".", "-"; at most 128)';
  }
  return undefined;
}

export function semverRangeProblem(range: string): string | undefined {
  if (
    !/^[~^]?v?\d+(\.(\d+|x|\*)){0,2}(\.\*)?(\s*-\s*v?\d+(\.\d+){0,2}|(\s+[<>=]{1,2}v?\d+(\.\d+){0,2})*)?$|^[<>=]{1,2}\s*v?\d+(\.\d+){0,2}(\s+[<>=]{1,2}\s*v?\d+(\.\d+){0,2})?$/.test(
      range.trim(),
    ) ||
    range.length > 64
  ) {
    return 'must be a semver constraint like "^1.2", "~1.4.0" or ">=1.0 <2.0"';
  }
  return undefined;
}

/** A Vault key below the team's path: `a/b-c`, no traversal, no leading slash. */
export function secretKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 128) return 'must be 1-128 characters';
  if (
    !/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) ||
    key.split('/').includes('..')
  ) {
    return 'must be a relative Vault key (letters, digits, "_", "-", "/"), without ".."';
  }
  return undefined;
}

export function urlPathProblem(p: string): string | undefined {
  if (!/^\/[A-Za-z0-9._~\/-]{0,127}$/.test(p) || p.split('/').includes('..')) {
    return 'must be an absolute URL path like /metrics, without ".."';
  }
  return undefined;
}

export function tagPatternProblem(p: string): string | undefined {
  if (p.length > 128) return 'must be at most 128 characters';
  try {
    RegExp(p);
  } catch {
    return 'must be a valid regular expression';
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(p)) return 'must be a single line';
  return undefined;
}

/** Collects problems as `field: problem` and throws one InputError listing all of them. */
export class Problems {
  private readonly list: string[] = [];
  check(field: string, problem: string | undefined) {
    if (problem) this.list.push(`${field} ${problem}`);
    return this;
  }
  add(message: string) {
    this.list.push(message);
    return this;
  }
  throwIfAny(what: string) {
    if (this.list.length) {
      throw new InputError(`invalid ${what}: ${this.list.join('; ')}`);
    }
  }
}

/**
 * Kubernetes' own identities: binding one of them to a team's namespace would hand the team
 * (or whoever can claim the name) rights nobody meant to give.
 */
const SYSTEM_GROUP = /^(system:|kube-)/i;
/** A group name as an identity provider issues it: no `:` or `/` (those mean a prefix). */
const IDP_GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/**
 * Whether `group` may become the subject of a team's RoleBinding: a group name your identity
 * provider would issue, never a Kubernetes system group; `:` and `/` only as part of a prefix
 * the platform allows (`gitops.ownerGroupPrefixes`, e.g. `oidc:`).
 */
export function ownerGroupProblem(
  group: string,
  allowedPrefixes: readonly string[],
): string | undefined {
  if (SYSTEM_GROUP.test(group)) {
    return `'${group}' is a Kubernetes system group (system:*, kube-*); name a group of your identity provider, e.g. team-checkout`;
  }
  const prefix = allowedPrefixes.find(p => group.startsWith(p));
  const name = prefix ? group.slice(prefix.length) : group;
  if (IDP_GROUP_NAME.test(name)) return undefined;
  const allowed = allowedPrefixes.length
    ? `, optionally after one of the prefixes ${allowedPrefixes.join(', ')}`
    : ' (":" and "/" only in a prefix the platform allows in gitops.ownerGroupPrefixes)';
  return `must be a group name of your identity provider: letters, digits, ".", "_", "@" and "-"${allowed}`;
}

/**
 * The owner of a service: a catalog Group ref (`group:default/<team>`, as the owner picker
 * sends it); a bare team name is read as `group:default/<name>`. Anything else is refused with a
 * sentence that names the field.
 */
export function normalizeOwnerRef(raw: string): { ref: string; team: string } {
  const example = 'a catalog Group ref such as group:default/team-checkout';
  let ref;
  try {
    ref = parseEntityRef(raw.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(`owner must be ${example}, got '${raw}'`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `owner must be ${example}, got a ${ref.kind} ref '${raw}'`,
    );
  }
  if (ref.namespace !== 'default') {
    throw new InputError(
      `owner must be a Group of the default namespace (teams are group:default/<team>), got '${raw}'`,
    );
  }
  const problem = dnsLabelProblem(ref.name, MAX_TEAM_LENGTH);
  if (problem) {
    throw new InputError(`owner '${raw}' names no team: its name ${problem}`);
  }
  return { ref: `group:default/${ref.name}`, team: ref.name };
}

/**
 * Refuses input a template could not render: a value that still holds `${{ … }}` means the
 * template passed an expression where a value was expected. The expression itself is not
 * repeated, so no error ever shows unrendered template text.
 */
export function assertRendered(input: Record<string, unknown>): void {
  const unrendered = (v: unknown): boolean => {
    if (typeof v === 'string') return v.includes('${{');
    return Array.isArray(v) && v.some(unrendered);
  };
  const fields = Object.entries(input)
    .filter(([, v]) => unrendered(v))
    .map(([k]) => k);
  if (fields.length) {
    throw new InputError(
      `${fields.join(', ')} ${
        fields.length === 1 ? 'was' : 'were'
      } not filled in: the template passed a template expression it could not render instead of a value; nothing was changed`,
    );
  }
}

// ---- input schemas (zod v4 for pure validation; the action schemas mirror them) ----

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export const QUOTA_SIZES = ['small', 'medium', 'large'] as const;
export const EXPOSURES = ['none', 'internal', 'public'] as const;
export const IMAGE_UPDATES = ['none', 'semver', 'tag-pattern'] as const;
/** Requests/limits presets of a service's container (see render/service.ts SIZE_RESOURCES). */
export const SIZES = ['small', 'medium', 'large'] as const;
/** A plain environment variable name, as POSIX shells accept it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const teamInputSchema = z.object({
  team: z.string(),
  displayName: z.string().min(1),
  description: z.string().optional(),
  ownerGroup: z.string().optional(),
  businessUnit: z.string(),
  environment: z.enum(ENVIRONMENTS),
  quotaSize: z.enum(QUOTA_SIZES),
  costCenter: z.string(),
});
export type TeamInput = z.infer<typeof teamInputSchema>;

export const serviceInputSchema = z.object({
  name: z.string(),
  owner: z.string(),
  description: z.string(),
  image: z.string(),
  tag: z.string().optional(),
  semverRange: z.string().optional(),
  port: z.number().int().min(1).max(65535),
  replicas: z.number().int().min(1).max(10),
  tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  exposure: z.enum(EXPOSURES),
  hostname: z.string().optional(),
  metricsPath: z.string().optional(),
  secrets: z.array(z.string()).max(20).optional(),
  imageUpdate: z.enum(IMAGE_UPDATES).optional(),
  tagPattern: z.string().optional(),
  size: z.enum(SIZES).optional(),
  env: z
    .array(z.object({ name: z.string(), value: z.string() }))
    .max(50)
    .optional(),
});
export type ServiceInput = z.infer<typeof serviceInputSchema>;

/**
 * Templates render an unset optional parameter as an empty string: treat it as absent, so
 * "not given" means the same whether the form or the HTTP API sent the task.
 */
function dropEmpty(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return input;
  }
  return Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== '' && v !== null),
  );
}

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(dropEmpty(input));
  if (!r.success) {
    throw new InputError(
      `invalid ${what}: ${r.error.issues
        .map(
          i =>
            `${i.path.join('.') || 'input'} ${
              /received undefined/.test(i.message) ? 'is required' : i.message
            }`,
        )
        .join('; ')}`,
    );
  }
  return r.data;
}

/** Validates onboarding input without IO; repo/catalog facts are checked by the caller. */
export function validateTeamInput(
  raw: unknown,
  platformNamespaces: Iterable<string>,
  ownerGroupPrefixes: readonly string[] = [],
): TeamInput & { ownerGroup: string } {
  const input = parse(teamInputSchema, raw, 'team input');
  const ownerGroup = input.ownerGroup?.trim() || input.team;
  const p = new Problems()
    .check('team', dnsLabelProblem(input.team, MAX_TEAM_LENGTH))
    .check('displayName', freeTextProblem(input.displayName, 64))
    .check('description', freeTextProblem(input.description ?? '', 280))
    .check('businessUnit', dnsLabelProblem(input.businessUnit, 63))
    .check('costCenter', freeTextProblem(input.costCenter, 32))
    .check(
      'costCenter',
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.costCenter)
        ? undefined
        : 'must be letters, digits, ".", "_" or "-" (it becomes a label value)',
    )
    .check('ownerGroup', ownerGroupProblem(ownerGroup, ownerGroupPrefixes));
  if (isReservedName(input.team, platformNamespaces)) {
    p.add(
      `team '${input.team}' is a reserved name (platform namespace or system name)`,
    );
  }
  p.throwIfAny('team input');
  return { ...input, ownerGroup };
}

export function validateServiceInput(
  raw: unknown,
  platformNamespaces: Iterable<string>,
): ServiceInput {
  const parsed = parse(serviceInputSchema, raw, 'service input');
  // the directory and the namespace are named after the team: the Group ref's name
  const input = { ...parsed, owner: normalizeOwnerRef(parsed.owner).team };
  const p = new Problems()
    .check('name', dnsLabelProblem(input.name, MAX_SERVICE_LENGTH))
    .check('owner', dnsLabelProblem(input.owner, MAX_TEAM_LENGTH))
    .check('description', freeTextProblem(input.description, 280))
    .check('image', imageProblem(input.image));
  if (isReservedName(input.name, platformNamespaces)) {
    p.add(`name '${input.name}' is a reserved name`);
  }
  if (isReservedName(input.owner, platformNamespaces)) {
    p.add(`owner '${input.owner}' is a platform namespace, not a team`);
  }
  if ((input.tag === undefined) === (input.semverRange === undefined)) {
    p.add('give exactly one of tag or semverRange');
  }
  if (input.tag !== undefined) p.check('tag', tagProblem(input.tag));
  if (input.semverRange !== undefined) {
    p.check('semverRange', semverRangeProblem(input.semverRange));
  }
  if (input.exposure !== 'none') {
    if (!input.hostname)
      p.add(`hostname is required for ${input.exposure} exposure`);
    else if (!DNS_NAME.test(input.hostname))
      p.add('hostname must be a DNS name like web.example.com');
  }
  if (input.metricsPath !== undefined)
    p.check('metricsPath', urlPathProblem(input.metricsPath));
  for (const [i, s] of (input.secrets ?? []).entries()) {
    p.check(`secrets[${i}]`, secretKeyProblem(s));
  }
  if (new Set(input.secrets ?? []).size !== (input.secrets ?? []).length) {
    p.add('secrets must not repeat');
  }
  for (const [i, e] of (input.env ?? []).entries()) {
    if (!ENV_NAME.test(e.name) || e.name.length > 128) {
      p.add(
        `env[${i}].name '${e.name}' must be a variable name (letters, digits, "_"; not starting with a digit)`,
      );
    }
    p.check(`env[${i}].value`, freeTextProblem(e.value, 1024));
  }
  const envNames = (input.env ?? []).map(e => e.name);
  if (new Set(envNames).size !== envNames.length) {
    p.add('env names must not repeat');
  }
  const update = input.imageUpdate ?? 'none';
  if (update === 'tag-pattern') {
    if (!input.tagPattern)
      p.add('tagPattern is required for imageUpdate tag-pattern');
    else p.check('tagPattern', tagPatternProblem(input.tagPattern));
  }
  if (update === 'semver' && input.semverRange === undefined) {
    p.add('imageUpdate semver needs a semverRange');
  }
  p.throwIfAny('service input');
  return input;
}
