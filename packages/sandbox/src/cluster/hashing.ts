import { createHash } from 'node:crypto';
import { compareStrings } from './objects';

/**
 * The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable digits),
 * so generated names look like the real ones.
 */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A deterministic short name suffix derived from `input`, e.g. for pod-template-hash (10
 * characters) or pod names (5 characters). Same input → same suffix, which keeps tests stable.
 *
 * @param input - what the suffix identifies
 * @param length - how many characters to return
 */
export function shortHash(input: string, length: number): string {
  const digest = createHash('sha256').update(input).digest();
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[digest[i % digest.length] % SAFE_ALPHABET.length];
  }
  return out;
}

/**
 * A stable JSON rendering (object keys sorted) for hashing and comparing objects.
 *
 * @param value - any JSON value
 */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareStrings(a, b));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A deterministic number in [0, modulo) derived from `input`.
 *
 * @param input - what the number identifies
 * @param modulo - upper bound (exclusive)
 */
export function hashNumber(input: string, modulo: number): number {
  return createHash('sha256').update(input).digest().readUInt32BE(0) % modulo;
}
