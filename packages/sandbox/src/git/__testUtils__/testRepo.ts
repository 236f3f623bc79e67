import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '@internal/gitops-repo';

/**
 * A working clone of a test remote, for tests that push commits the way the portal does.
 * Test helper only: used by the git and reconciler tests.
 */
export class TestClone {
  private constructor(readonly dir: string) {}

  /** Clones `remote` into a new temp dir. */
  static async of(remote: string): Promise<TestClone> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idp-sandbox-clone-'));
    await runGit(['clone', '--quiet', remote, dir]);
    return new TestClone(dir);
  }

  /** Writes files (repo-relative path → content), deletes those mapped to null. */
  write(files: Record<string, string | null>): void {
    for (const [rel, content] of Object.entries(files)) {
      const abs = path.join(this.dir, rel);
      if (content === null) {
        fs.rmSync(abs, { recursive: true, force: true });
      } else {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, content);
      }
    }
  }

  /** Commits everything and pushes to main; returns the new commit SHA. */
  async commitAndPush(
    message: string,
    author = 'Dev Eloper <dev@example.com>',
  ): Promise<string> {
    await runGit(['add', '--all'], { cwd: this.dir });
    await runGit(
      [
        '-c',
        'user.name=committer',
        '-c',
        'user.email=c@example.com',
        'commit',
        '--quiet',
        '--author',
        author,
        '-m',
        message,
      ],
      { cwd: this.dir },
    );
    await runGit(['push', '--quiet', 'origin', 'HEAD:refs/heads/main'], {
      cwd: this.dir,
    });
    return (await runGit(['rev-parse', 'HEAD'], { cwd: this.dir })).trim();
  }

  /** Removes the clone. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A fresh temp dir removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes a tree of files (relative path → content) under `root`. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}
