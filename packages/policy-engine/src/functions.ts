/**
 * Kyverno's custom JMESPath functions (Kyverno docs, "JMESPath" → "Custom
 * functions"), implemented from their documented behaviour. Functions that
 * need the cluster, the network or randomness are declared too, but throw
 * {@link UnsupportedFunctionError} so a rule using them is reported as a
 * `skip` naming the function instead of passing silently.
 */
import { parse as parseYamlText } from 'yaml';
import {
  epochNs,
  formatGoDuration,
  formatQuantity,
  formatRfc3339,
  fromEpochNs,
  isBinaryQuantity,
  parseGoLayout,
  parseRfc3339,
  requireDuration,
} from './goFormat';
import { md5Hex, sha1Hex, sha256Hex } from './hash';
import { parseImageReference } from './images';
import { parseDuration } from './quantity';
import { semverSatisfies } from './semver';
import { x509Decode } from './x509';
import { wildcardMatch } from './wildcard';
import { parseQuantity } from '@internal/kube-model';

/** A Kyverno function the embedded engine cannot evaluate (cluster, network, randomness). */
export class UnsupportedFunctionError extends Error {
  constructor(readonly functionName: string, reason: string) {
    super(`JMESPath function ${functionName}() ${reason}`);
    this.name = 'UnsupportedFunctionError';
  }
}

/** Argument types, mirroring the JMESPath signature types. */
export type ArgType =
  | 'string'
  | 'number'
  | 'object'
  | 'array'
  | 'boolean'
  | 'any';

/** One custom function: its name, argument types (alternatives per position) and body. */
export interface KyvernoFunction {
  name: string;
  args: ArgType[][];
  fn: (args: any[]) => unknown;
}

function goRegex(pattern: string): RegExp {
  // Go RE2 inline flags at the start ("(?i)abc") become JavaScript flags.
  let flags = 'u';
  let source = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(source);
  if (m) {
    source = source.slice(m[0].length);
    for (const f of m[1]) if (f === 'i' || f === 'm' || f === 's') flags += f;
  }
  // RE2 named groups (?P<name>...) are (?<name>...) in JavaScript.
  source = source.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(source, flags);
  } catch {
    return new RegExp(source, flags.replace('u', ''));
  }
}

/** Go's `${1}` / `$name` expansion in replacement strings, as JavaScript's `$1` / `$<name>`. */
function goReplacement(replacement: string): string {
  return replacement
    .replace(/\$\{(\d+)\}/g, '$$$1')
    .replace(/\$\{([A-Za-z_]\w*)\}/g, '$$<$1>')
    .replace(/\$([A-Za-z_]\w*)/g, '$$<$1>');
}

function ipv4Internal(parts: number[]): boolean {
  const [a, b] = parts;
  return (
    a === 127 ||
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/**
 * Kyverno's `is_external_url`: false for loopback and private addresses. An
 * IP-literal host is decided here; a host name would need a DNS lookup, which
 * a pre-commit check cannot make (unsupported, except `localhost`).
 */
function isExternalUrl(input: string): boolean {
  let host: string;
  try {
    host = new URL(input).hostname;
  } catch {
    throw new Error(`is_external_url(): cannot parse "${input}"`);
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return !ipv4Internal(v4.slice(1).map(Number));
  if (host.startsWith('[') && host.endsWith(']')) {
    const v6 = host.slice(1, -1).toLowerCase();
    const mapped = /^::ffff:(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v6);
    if (mapped) return !ipv4Internal(mapped.slice(1).map(Number));
    return !(v6 === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(v6));
  }
  if (host === 'localhost') return false;
  throw new UnsupportedFunctionError(
    'is_external_url',
    `needs DNS resolution for host "${host}"`,
  );
}

/** Go's strings.Compare: lexicographic by code unit. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const text = (v: unknown) => (typeof v === 'string' ? v : String(v));

// ---- arithmetic on numbers, quantities and durations (Kyverno "Arithmetic") --

type Operand =
  | { kind: 'number'; value: number }
  | { kind: 'quantity'; value: number; binary: boolean }
  | { kind: 'duration'; value: number };

function operand(v: unknown, fn: string): Operand {
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') {
    const q = parseQuantity(v);
    if (q !== undefined) {
      return { kind: 'quantity', value: q, binary: isBinaryQuantity(v) };
    }
    const d = parseDuration(v);
    if (d !== undefined) return { kind: 'duration', value: d };
  }
  throw new Error(`${fn}(): invalid operand ${JSON.stringify(v)}`);
}

const mismatch = (fn: string) =>
  new Error(`${fn}(): operands must be of the same type`);

function output(kind: Operand['kind'], value: number, binary = false): unknown {
  if (kind === 'number') return value;
  if (kind === 'quantity') return formatQuantity(value, binary);
  return formatGoDuration(value);
}

function addOrSubtract(a: unknown, b: unknown, sign: 1 | -1, fn: string) {
  const x = operand(a, fn);
  const y = operand(b, fn);
  if (x.kind !== y.kind) throw mismatch(fn);
  return output(
    x.kind,
    x.value + sign * y.value,
    x.kind === 'quantity' && x.binary,
  );
}

function multiply(a: unknown, b: unknown): unknown {
  const x = operand(a, 'multiply');
  const y = operand(b, 'multiply');
  if (x.kind === 'number' && y.kind === 'number') return x.value * y.value;
  if (x.kind !== 'number' && y.kind === 'number') {
    return output(x.kind, x.value * y.value, x.kind === 'quantity' && x.binary);
  }
  if (x.kind === 'number' && y.kind !== 'number') {
    return output(y.kind, x.value * y.value, y.kind === 'quantity' && y.binary);
  }
  throw mismatch('multiply');
}

function divide(a: unknown, b: unknown): unknown {
  const x = operand(a, 'divide');
  const y = operand(b, 'divide');
  if (y.value === 0) throw new Error('divide(): zero divisor');
  if (x.kind === y.kind) return x.value / y.value;
  if (y.kind === 'number') {
    return output(x.kind, x.value / y.value, x.kind === 'quantity' && x.binary);
  }
  throw mismatch('divide');
}

function modulo(a: unknown, b: unknown): unknown {
  const x = operand(a, 'modulo');
  const y = operand(b, 'modulo');
  if (x.kind !== y.kind) throw mismatch('modulo');
  if (y.value === 0) throw new Error('modulo(): zero divisor');
  if (
    x.kind !== 'duration' &&
    (!Number.isInteger(x.value) || !Number.isInteger(y.value))
  ) {
    throw new Error('modulo(): non-integer argument(s)');
  }
  return output(x.kind, x.value % y.value, x.kind === 'quantity' && x.binary);
}

function sum(values: unknown[]): unknown {
  if (values.length === 0) throw new Error('sum(): at least one element');
  return values
    .slice(1)
    .reduce(
      (acc, v) => addOrSubtract(acc, v, 1, 'sum'),
      output(
        operand(values[0], 'sum').kind,
        operand(values[0], 'sum').value,
        isBinaryQuantity(text(values[0])),
      ),
    );
}

// ---- base64 without Node APIs -------------------------------------------------

function base64Encode(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64Decode(s: string): string {
  const binary = atob(s);
  const bytes = Uint8Array.from(binary, c => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Go's `filepath.Clean` (Kyverno's `path_canonicalize`). */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

function labelMatch(
  selector: Record<string, unknown>,
  labels: Record<string, unknown>,
) {
  return Object.entries(selector).every(
    ([k, v]) =>
      Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v,
  );
}

function timeSince(layout: string, start: string, end: string): string {
  const parse = (v: string) =>
    layout === '' ? parseRfc3339(v) : parseGoLayout(layout, v);
  const s = parse(start);
  const e = end === '' ? fromEpochNs(Date.now() * 1e6, 0) : parse(end);
  return formatGoDuration(epochNs(e) - epochNs(s));
}

function timeTruncate(time: string, duration: string): string {
  const t = parseRfc3339(time);
  const d = requireDuration(duration);
  if (d <= 0) return formatRfc3339(t);
  // Go truncates the absolute time since the zero time, which for whole
  // seconds, minutes, hours and days matches truncating epoch time in UTC.
  const ns = epochNs(t);
  return formatRfc3339(fromEpochNs(ns - (((ns % d) + d) % d), t.offsetMinutes));
}

function timeToCron(time: string): string {
  const t = parseRfc3339(time);
  const local = new Date(t.epochMs + t.offsetMinutes * 60000);
  return `${local.getUTCMinutes()} ${local.getUTCHours()} ${local.getUTCDate()} ${
    local.getUTCMonth() + 1
  } ${local.getUTCDay()}`;
}

function round(value: number, digits: number): number {
  if (!Number.isInteger(digits) || digits < 0) {
    throw new Error('round(): digits must be a non-negative integer');
  }
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const unsupported = (name: string, reason: string) => (): never => {
  throw new UnsupportedFunctionError(name, reason);
};

/**
 * Every Kyverno custom function, in the order of Kyverno's function table.
 *
 * @public
 */
export const KYVERNO_FUNCTIONS: readonly KyvernoFunction[] = [
  {
    name: 'compare',
    args: [['string'], ['string']],
    fn: ([a, b]) => compareStrings(a, b),
  },
  {
    name: 'equal_fold',
    args: [['string'], ['string']],
    fn: ([a, b]) => a.toLowerCase() === b.toLowerCase(),
  },
  {
    name: 'replace',
    args: [['string'], ['string'], ['string'], ['number']],
    fn: ([s, from, to, n]) => {
      if (n < 0) return s.split(from).join(to);
      let out = s;
      let index = 0;
      for (let i = 0; i < n; i++) {
        const at = out.indexOf(from, index);
        if (at === -1) break;
        out = out.slice(0, at) + to + out.slice(at + from.length);
        index = at + to.length + (from === '' ? 1 : 0);
      }
      return out;
    },
  },
  {
    name: 'replace_all',
    args: [['string'], ['string'], ['string']],
    fn: ([s, from, to]) => s.split(from).join(to),
  },
  { name: 'to_upper', args: [['string']], fn: ([s]) => s.toUpperCase() },
  { name: 'to_lower', args: [['string']], fn: ([s]) => s.toLowerCase() },
  {
    name: 'trim',
    args: [['string'], ['string']],
    fn: ([s, cut]) => {
      const set = new Set<string>(cut);
      let start = 0;
      let end = s.length;
      while (start < end && set.has(s[start])) start++;
      while (end > start && set.has(s[end - 1])) end--;
      return s.slice(start, end);
    },
  },
  {
    name: 'trim_prefix',
    args: [['string'], ['string']],
    fn: ([s, prefix]) => (s.startsWith(prefix) ? s.slice(prefix.length) : s),
  },
  {
    name: 'split',
    args: [['string'], ['string']],
    fn: ([s, sep]) => (sep === '' ? Array.from(s) : s.split(sep)),
  },
  {
    name: 'regex_replace_all',
    args: [['string'], ['string', 'number'], ['string', 'number']],
    fn: ([re, src, repl]) =>
      text(src).replace(
        new RegExp(goRegex(re).source, `${goRegex(re).flags}g`),
        goReplacement(text(repl)),
      ),
  },
  {
    name: 'regex_replace_all_literal',
    args: [['string'], ['string', 'number'], ['string', 'number']],
    fn: ([re, src, repl]) =>
      text(src).replace(
        new RegExp(goRegex(re).source, `${goRegex(re).flags}g`),
        () => text(repl),
      ),
  },
  {
    name: 'regex_match',
    args: [['string'], ['string', 'number']],
    fn: ([re, src]) => goRegex(re).test(text(src)),
  },
  {
    name: 'pattern_match',
    args: [['string'], ['string', 'number']],
    fn: ([pattern, src]) => wildcardMatch(pattern, text(src)),
  },
  {
    name: 'label_match',
    args: [['object'], ['object']],
    fn: ([selector, labels]) => labelMatch(selector, labels),
  },
  {
    name: 'to_boolean',
    args: [['string']],
    fn: ([s]) => {
      const lower = s.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new Error(`to_boolean(): cannot convert "${s}" to boolean`);
    },
  },
  {
    name: 'add',
    args: [['any'], ['any']],
    fn: ([a, b]) => addOrSubtract(a, b, 1, 'add'),
  },
  { name: 'sum', args: [['array']], fn: ([values]) => sum(values) },
  {
    name: 'subtract',
    args: [['any'], ['any']],
    fn: ([a, b]) => addOrSubtract(a, b, -1, 'subtract'),
  },
  {
    name: 'multiply',
    args: [['any'], ['any']],
    fn: ([a, b]) => multiply(a, b),
  },
  { name: 'divide', args: [['any'], ['any']], fn: ([a, b]) => divide(a, b) },
  { name: 'modulo', args: [['any'], ['any']], fn: ([a, b]) => modulo(a, b) },
  {
    name: 'round',
    args: [['number'], ['number']],
    fn: ([v, d]) => round(v, d),
  },
  { name: 'base64_decode', args: [['string']], fn: ([s]) => base64Decode(s) },
  { name: 'base64_encode', args: [['string']], fn: ([s]) => base64Encode(s) },
  {
    name: 'time_since',
    args: [['string'], ['string'], ['string']],
    fn: ([layout, start, end]) => timeSince(layout, start, end),
  },
  {
    name: 'time_now',
    args: [],
    fn: () => formatRfc3339(fromEpochNs(Date.now() * 1e6, 0)),
  },
  {
    name: 'time_now_utc',
    args: [],
    fn: () => formatRfc3339(fromEpochNs(Date.now() * 1e6, 0)),
  },
  { name: 'path_canonicalize', args: [['string']], fn: ([p]) => cleanPath(p) },
  {
    name: 'truncate',
    args: [['string'], ['number']],
    fn: ([s, n]) => {
      if (n < 0) throw new Error('truncate(): length must be non-negative');
      return Array.from(s as string)
        .slice(0, Math.trunc(n))
        .join('');
    },
  },
  {
    name: 'semver_compare',
    args: [['string'], ['string']],
    fn: ([version, range]) => semverSatisfies(version, range),
  },
  { name: 'parse_json', args: [['string']], fn: ([s]) => JSON.parse(s) },
  {
    name: 'parse_yaml',
    args: [['string']],
    fn: ([s]) => JSON.parse(JSON.stringify(parseYamlText(s) ?? null)),
  },
  {
    name: 'lookup',
    args: [
      ['object', 'array'],
      ['string', 'number'],
    ],
    fn: ([collection, key]) => {
      if (Array.isArray(collection)) {
        if (typeof key !== 'number' || !Number.isInteger(key)) {
          throw new Error('lookup(): an array needs an integer index');
        }
        return key >= 0 && key < collection.length ? collection[key] : null;
      }
      if (typeof key !== 'string') {
        throw new Error('lookup(): an object needs a string key');
      }
      return Object.prototype.hasOwnProperty.call(collection, key)
        ? collection[key]
        : null;
    },
  },
  {
    name: 'items',
    args: [['object', 'array'], ['string'], ['string']],
    fn: ([collection, keyName, valueName]) =>
      Array.isArray(collection)
        ? collection.map((v, i) => ({ [keyName]: i, [valueName]: v }))
        : Object.keys(collection)
            .sort()
            .map(k => ({ [keyName]: k, [valueName]: collection[k] })),
  },
  {
    name: 'object_from_lists',
    args: [['array'], ['array']],
    fn: ([keys, values]) =>
      Object.fromEntries(
        (keys as unknown[]).map((k, i) => [text(k), values[i] ?? null]),
      ),
  },
  {
    name: 'random',
    args: [['string']],
    fn: unsupported(
      'random',
      'is random: a pre-commit check cannot predict it',
    ),
  },
  {
    name: 'x509_decode',
    args: [['string']],
    fn: ([pem]) => x509Decode(pem),
  },
  { name: 'time_to_cron', args: [['string']], fn: ([t]) => timeToCron(t) },
  {
    name: 'time_add',
    args: [['string'], ['string']],
    fn: ([t, d]) => {
      const time = parseRfc3339(t);
      return formatRfc3339(
        fromEpochNs(epochNs(time) + requireDuration(d), time.offsetMinutes),
      );
    },
  },
  {
    name: 'time_parse',
    args: [['string'], ['string']],
    fn: ([layout, value]) => {
      if (/^\d+$/.test(layout) && /^\d+$/.test(value)) {
        // A numeric layout means the value is a Unix epoch in seconds.
        return formatRfc3339(fromEpochNs(Number(value) * 1e9, 0));
      }
      return formatRfc3339(parseGoLayout(layout, value));
    },
  },
  {
    name: 'time_utc',
    args: [['string']],
    fn: ([t]) => formatRfc3339({ ...parseRfc3339(t), offsetMinutes: 0 }),
  },
  {
    name: 'time_diff',
    args: [['string'], ['string']],
    fn: ([a, b]) =>
      formatGoDuration(epochNs(parseRfc3339(b)) - epochNs(parseRfc3339(a))),
  },
  {
    name: 'time_before',
    args: [['string'], ['string']],
    fn: ([a, b]) => epochNs(parseRfc3339(a)) < epochNs(parseRfc3339(b)),
  },
  {
    name: 'time_after',
    args: [['string'], ['string']],
    fn: ([a, b]) => epochNs(parseRfc3339(a)) > epochNs(parseRfc3339(b)),
  },
  {
    name: 'time_between',
    args: [['string'], ['string'], ['string']],
    fn: ([t, start, end]) => {
      const x = epochNs(parseRfc3339(t));
      return x > epochNs(parseRfc3339(start)) && x < epochNs(parseRfc3339(end));
    },
  },
  {
    name: 'time_truncate',
    args: [['string'], ['string']],
    fn: ([t, d]) => timeTruncate(t, d),
  },
  {
    name: 'image_normalize',
    args: [['string']],
    fn: ([image]) => {
      const info = parseImageReference(image);
      if (!info) throw new Error(`image_normalize(): bad image "${image}"`);
      return info.reference;
    },
  },
  {
    name: 'is_external_url',
    args: [['string']],
    fn: ([url]) => isExternalUrl(url),
  },
  { name: 'sha256', args: [['string']], fn: ([s]) => sha256Hex(s) },
  { name: 'sha1', args: [['string']], fn: ([s]) => sha1Hex(s) },
  { name: 'md5', args: [['string']], fn: ([s]) => md5Hex(s) },
];

/** Names of Kyverno functions that make a rule `skip` (cluster, network, randomness, not implemented). @public */
export const UNSUPPORTED_FUNCTIONS: readonly string[] = ['random'];
