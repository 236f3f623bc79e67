import fs from 'fs';
import path from 'path';

/**
 * Resolves a repo-relative posix path against repoRoot and rejects anything that leaves the
 * repository, following symlinks for the parts that exist.
 */
export function resolveInRepo(repoRoot: string, relPath: string): string {
  const root = fs.realpathSync(path.resolve(repoRoot));
  const target = path.resolve(root, relPath);
  let real = target;
  if (fs.existsSync(target)) {
    real = fs.realpathSync(target);
  }
  const rel = path.relative(root, real);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new Error(`Path ${relPath} escapes the repository ${repoRoot}`);
  }
  return real;
}

/** Converts an absolute path below repoRoot to a repo-relative posix path. */
export function toRepoPath(repoRoot: string, absPath: string): string {
  const root = fs.realpathSync(path.resolve(repoRoot));
  return path.relative(root, absPath).split(path.sep).join('/');
}

/** Normalises a repo-relative posix path: no leading `./` or `/`, no trailing `/`. */
export function normalizeRepoPath(p: string): string {
  return path.posix
    .normalize(p.replace(/\\/g, '/'))
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}
