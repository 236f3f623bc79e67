/**
 * Compiles repository path globs into one matcher: `*` matches within a path segment, `**`
 * any number of whole segments. Deliberately tiny: the paths come from config and are matched
 * against `git ls-tree` output, so no file system walking or brace expansion is needed.
 */
export function globMatcher(globs: string[]): (repoPath: string) => boolean {
  const regexes = globs.map(globToRegExp);
  return repoPath => regexes.some(r => r.test(repoPath));
}

function globToRegExp(glob: string): RegExp {
  const segments = glob.replace(/^\.\//, '').split('/');
  const parts = segments.map((segment, i) => {
    if (segment === '**') {
      // zero or more segments, each followed by a slash unless it is the last
      return i === segments.length - 1 ? '.*' : '(?:[^/]+/)*';
    }
    const body = segment
      .split('*')
      .map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    return i === segments.length - 1 ? body : `${body}/`;
  });
  return new RegExp(`^${parts.join('')}$`);
}
