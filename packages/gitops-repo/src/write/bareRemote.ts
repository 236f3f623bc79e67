import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../git';
import { GitAuthor } from './GitRepository';

/**
 * Options of {@link createSeededBareRemote}.
 *
 * @public
 */
export interface SeededBareRemoteOptions {
  /** Where the bare repository goes; must not exist yet. */
  remotePath: string;
  /** A directory copied under `K8s/` in the first commit; nothing when omitted. */
  seedFrom?: string;
  /** The first commit's author. */
  author: GitAuthor;
  message: string;
}

/**
 * Creates a bare repository whose `main` holds one commit with `seedFrom` under `K8s/`: the
 * shape of the sandbox's GitOps remote and of the tests' remotes. It is built beside its final
 * place and renamed in, so a crash never leaves a half-seeded remote that would be taken as
 * existing.
 *
 * @public
 */
export async function createSeededBareRemote(
  options: SeededBareRemoteOptions,
): Promise<void> {
  const { remotePath, seedFrom, author, message } = options;
  fs.mkdirSync(path.dirname(remotePath), { recursive: true });
  const building = `${remotePath}.seeding-${process.pid}`;
  const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idp-gitops-seed-'));
  try {
    fs.rmSync(building, { recursive: true, force: true });
    await runGit([
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      building,
    ]);
    await runGit(['init', '--quiet', '--initial-branch=main', seedDir]);
    if (seedFrom) {
      fs.cpSync(seedFrom, path.join(seedDir, 'K8s'), {
        recursive: true,
        filter: source => path.basename(source) !== '.git',
      });
    }
    await runGit(['add', '--all'], { cwd: seedDir });
    await runGit(
      [
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        message,
      ],
      { cwd: seedDir },
    );
    await runGit(['push', '--quiet', building, 'HEAD:refs/heads/main'], {
      cwd: seedDir,
    });
    fs.renameSync(building, remotePath);
  } finally {
    fs.rmSync(seedDir, { recursive: true, force: true });
    fs.rmSync(building, { recursive: true, force: true });
  }
}
