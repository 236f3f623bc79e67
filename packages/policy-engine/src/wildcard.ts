/**
 * Shell-style wildcard matching as Kyverno uses it everywhere (patterns, names,
 * namespaces, label values): `*` matches any run of characters including the
 * empty one, `?` exactly one character. No other metacharacters.
 *
 * @public
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  // Iterative matcher with single backtracking point: linear-ish and no regex
  // construction from user input (no escaping pitfalls, no ReDoS).
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') {
    p++;
  }
  return p === pattern.length;
}

/** True when `text` matches at least one of the wildcard patterns. */
export function matchesAny(patterns: readonly string[], text: string): boolean {
  return patterns.some(p => wildcardMatch(p, text));
}
