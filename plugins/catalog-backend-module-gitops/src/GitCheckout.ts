import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '@internal/gitops-repo';

/** Marks a directory as this module's checkout, so it never cleans a directory it did not make. */
const MARKER_KEY = 'idp-portal.catalogCheckout';

/** Options of {@link GitCheckout}. */
export interface GitCheckoutOptions {
  /** Any URL or path the git CLI accepts. */
  remote: string;
  /** The branch to follow. */
  branch: string;
  /** The local checkout; created when missing. */
  dir: string;
  /** `-c` arguments for authentication (see gitAuthArgs). */
  authArgs?: string[];
}

/**
 * A local checkout that follows one branch of a remote. The working tree is detached at the
 * fetched commit, so the files the catalog points at (`file:` locations) are exactly the ones
 * read, and a force-push or a rewritten history on the remote is followed as well.
 */
export class GitCheckout {
  private readonly remote: string;
  private readonly branch: string;
  readonly dir: string;
  private readonly authArgs: string[];

  constructor(options: GitCheckoutOptions) {
    // neither may be mistaken for a git option
    if (options.remote.startsWith('-')) {
      throw new Error(`invalid git remote '${options.remote}'`);
    }
    if (
      !/^[A-Za-z0-9._/-]+$/.test(options.branch) ||
      /^[-/]/.test(options.branch)
    ) {
      throw new Error(`invalid git branch '${options.branch}'`);
    }
    this.remote = options.remote;
    this.branch = options.branch;
    this.dir = path.resolve(options.dir);
    this.authArgs = options.authArgs ?? [];
  }

  /** Fetches the branch and checks out its head; returns the commit SHA. */
  async update(): Promise<string> {
    await this.ensureRepository();
    const ref = `refs/remotes/gitops/${this.branch}`;
    await runGit(
      [
        ...this.authArgs,
        'fetch',
        '--quiet',
        '--no-tags',
        '--force',
        this.remote,
        `+refs/heads/${this.branch}:${ref}`,
      ],
      { cwd: this.dir },
    );
    const sha = (
      await runGit(['rev-parse', '--verify', `${ref}^{commit}`], {
        cwd: this.dir,
      })
    ).trim();
    await runGit(['checkout', '--quiet', '--force', '--detach', sha], {
      cwd: this.dir,
    });
    await runGit(['clean', '--quiet', '-ffdx'], { cwd: this.dir });
    return sha;
  }

  /** The repository-relative paths of all files at a commit. */
  async listFiles(sha: string): Promise<string[]> {
    const out = await runGit(['ls-tree', '-r', '-z', '--name-only', sha], {
      cwd: this.dir,
    });
    return out.split('\0').filter(Boolean);
  }

  /** Reads a file of the checked-out commit. */
  readFile(repoPath: string): Promise<string> {
    return fs.promises.readFile(this.absolutePath(repoPath), 'utf8');
  }

  /** The file's absolute path in the checkout. */
  absolutePath(repoPath: string): string {
    return path.join(this.dir, ...repoPath.split('/'));
  }

  private async ensureRepository(): Promise<void> {
    if (fs.existsSync(path.join(this.dir, '.git'))) {
      const marker = await runGit(['config', '--get', MARKER_KEY], {
        cwd: this.dir,
      }).catch(() => '');
      if (marker.trim() !== 'true') {
        throw new Error(
          `${this.dir} is a git repository this module did not create; refusing to reset it`,
        );
      }
      return;
    }
    if (fs.existsSync(this.dir) && fs.readdirSync(this.dir).length > 0) {
      throw new Error(
        `${this.dir} exists and is not an empty directory; refusing to use it as the GitOps checkout`,
      );
    }
    fs.mkdirSync(this.dir, { recursive: true });
    await runGit(['init', '--quiet'], { cwd: this.dir });
    await runGit(['config', MARKER_KEY, 'true'], { cwd: this.dir });
  }
}
