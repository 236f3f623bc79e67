import { execFile } from 'node:child_process';

/** A git command that failed, with git's own stderr so the task log shows the real cause. */
export class GitCommandError extends Error {
  readonly stderr: string;
  readonly args: string[];
  constructor(args: string[], stderr: string, exitCode?: number | string) {
    super(
      `git ${redactArgs(args).join(' ')} failed${
        exitCode !== undefined ? ` (${exitCode})` : ''
      }: ${redact(stderr.trim())}`,
    );
    this.name = 'GitCommandError';
    this.stderr = stderr;
    this.args = args;
  }
}

/** Removes credentials embedded in URLs (`https://user:token@host`) from text shown to users. */
export function redact(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

function redactArgs(args: string[]): string[] {
  return args.map(redact);
}

export interface GitOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Runs the git CLI without a shell (arguments are never interpreted), never prompting for
 * credentials: a missing or wrong token must fail the task, not hang it.
 */
export function runGit(
  args: string[],
  options: GitOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: 'echo',
          // the task's identity comes from -c user.*; never from the host's global config
          GIT_CONFIG_NOSYSTEM: '1',
          LC_ALL: 'C',
          ...options.env,
        },
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new GitCommandError(
              args,
              String(stderr || error.message),
              (error as NodeJS.ErrnoException).code ?? undefined,
            ),
          );
          return;
        }
        resolve(String(stdout));
      },
    );
  });
}
