import { execFile } from 'node:child_process';

/** The identity the sandbox commits with, so no global git identity is needed. */
export const SANDBOX_GIT_IDENTITY = {
  name: 'IDP Portal Sandbox',
  email: 'sandbox@idp-portal.local',
};

/** A failed git invocation, with git's own explanation. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | string | undefined,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/** Hides credentials embedded in URLs (`https://user:token@host`) from messages. */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}

/**
 * Runs the git CLI without a shell and without prompts (a missing credential fails instead of
 * hanging), with settings that make it independent of the user's global configuration.
 *
 * @param args - git arguments
 * @param options - working directory and timeout
 * @returns git's stdout
 */
export function runGit(
  args: string[],
  options: {
    cwd?: string;
    timeoutMs?: number;
    env?: Record<string, string>;
  } = {},
): Promise<string> {
  const fullArgs = [
    '-c',
    'commit.gpgsign=false',
    '-c',
    'tag.gpgsign=false',
    '-c',
    'core.hooksPath=/dev/null',
    '-c',
    'init.defaultBranch=main',
    '-c',
    'advice.detachedHead=false',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      fullArgs,
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: 'echo',
          LC_ALL: 'C',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail =
            String(stderr || error.message)
              .trim()
              .split('\n')
              .filter(Boolean)
              .pop() ?? '';
          reject(
            new GitCommandError(
              redactUrl(`git ${args[0]} failed: ${detail}`),
              redactUrl(String(stderr)),
              (
                error as NodeJS.ErrnoException & { code?: number | string }
              ).code,
            ),
          );
          return;
        }
        resolve(String(stdout));
      },
    );
  });
}
