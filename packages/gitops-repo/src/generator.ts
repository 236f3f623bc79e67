import fs from 'fs';
import path from 'path';
import { normalizeRepoPath, resolveInRepo } from './paths';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles one path segment of a generator pattern, with the semantics of Go's
 * `path.Match` that ArgoCD uses: `*` and `?` never match `/`, `[...]` is a class
 * (`[^...]`/`[!...]` negated).
 */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '\\' && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i]);
    } else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        throw new Error(
          `Invalid generator pattern segment ${segment}: unterminated [`,
        );
      }
      let body = segment.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^') || body.startsWith('!')) {
        negate = true;
        body = body.slice(1);
      }
      source += `[${negate ? '^' : ''}${body.replace(/[\]\\^]/g, '\\$&')}]`;
      i = end;
    } else {
      source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`);
}

function hasMagic(segment: string): boolean {
  return /[*?[\\]/.test(segment);
}

/** Whether a repo-relative directory matches a generator pattern (segment by segment). */
export function matchesGeneratorPattern(dir: string, pattern: string): boolean {
  const dirSegments = normalizeRepoPath(dir).split('/');
  const patternSegments = normalizeRepoPath(pattern).split('/');
  return (
    dirSegments.length === patternSegments.length &&
    patternSegments.every((s, i) => segmentRegExp(s).test(dirSegments[i]))
  );
}

type EntryKind = 'directory' | 'file';

function isEntryKind(absPath: string, kind: EntryKind): boolean {
  if (!fs.existsSync(absPath)) return false;
  const stat = fs.statSync(absPath);
  return kind === 'directory' ? stat.isDirectory() : stat.isFile();
}

/**
 * Walks the repository segment by segment: every segment but the last matches directories, the
 * last one matches entries of `kind`. Returns repo-relative posix paths, sorted.
 */
function listGeneratorMatches(
  repoRoot: string,
  pattern: string,
  kind: EntryKind,
): string[] {
  const normalized = normalizeRepoPath(pattern);
  if (
    normalized === '' ||
    normalized === '..' ||
    normalized.startsWith('../')
  ) {
    throw new Error(`Generator path ${pattern} is outside the repository`);
  }
  resolveInRepo(repoRoot, '.');
  const segments = normalized.split('/');
  let current: string[] = [''];
  segments.forEach((segment, n) => {
    const want: EntryKind = n === segments.length - 1 ? kind : 'directory';
    const next: string[] = [];
    for (const dir of current) {
      const absDir = resolveInRepo(repoRoot, dir === '' ? '.' : dir);
      if (!hasMagic(segment)) {
        if (isEntryKind(path.join(absDir, segment), want)) {
          next.push(dir === '' ? segment : `${dir}/${segment}`);
        }
        continue;
      }
      if (!isEntryKind(absDir, 'directory')) {
        continue;
      }
      const regExp = segmentRegExp(segment);
      for (const entry of fs.readdirSync(absDir, { withFileTypes: true })) {
        if (entry.name.startsWith('.') && !segment.startsWith('.')) {
          continue;
        }
        if (!regExp.test(entry.name)) {
          continue;
        }
        // follows symlinks (resolveInRepo keeps the walk inside the repository)
        if (isEntryKind(path.join(absDir, entry.name), want)) {
          next.push(dir === '' ? entry.name : `${dir}/${entry.name}`);
        }
      }
    }
    current = next;
  });
  return current.sort();
}

/**
 * Directories (repo-relative, posix) matching a generator path such as `K8s/apps/*\/*`; only
 * directories, sorted.
 *
 * Each `/`-separated segment is matched like Go's `path.Match` (`*`, `?`, `[...]`), so `*`
 * never crosses a `/`. Directories whose name starts with `.` only match a segment that starts
 * with `.` too. A pattern that would leave the repository throws.
 *
 * @param repoRoot - the repository checkout on disk
 * @param pattern - the generator's `path`, relative to the repository root
 * @public
 */
export function listGeneratorDirectories(
  repoRoot: string,
  pattern: string,
): string[] {
  return listGeneratorMatches(repoRoot, pattern, 'directory');
}

/**
 * Files (repo-relative, posix) matching a git files generator path such as
 * `K8s/apps/*\/*\/application.yaml`; only regular files (or symlinks to them), sorted.
 *
 * Segments match as in {@link listGeneratorDirectories}: every segment but the last matches
 * directories, the last one file names; `*` never crosses a `/` (ArgoCD's segment-wise file
 * globbing; its legacy default lets `*` cross `/`). Entries starting with `.` only match a
 * segment that starts with `.`. A pattern that would leave the repository throws.
 *
 * @param repoRoot - the repository checkout on disk
 * @param pattern - the generator's file `path`, relative to the repository root
 * @public
 */
export function listGeneratorFiles(
  repoRoot: string,
  pattern: string,
): string[] {
  return listGeneratorMatches(repoRoot, pattern, 'file');
}
