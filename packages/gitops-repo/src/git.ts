import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * `-c` settings put before every command so that git behaves the same whatever the host's
 * configuration: no signing, no hooks, `main` as the initial branch, no detached-HEAD advice.
 */
const GIT_CONFIG_ARGS = [
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
];

const DEFAULT_TIMEOUT_MS = 120_000;

/** An `http.extraHeader` setting: its value carries a token. */
const EXTRA_HEADER = /^(?:-c)?http\.extraheader=/i;

/** The scheme of a URL, or the user and host of git's scp-like `user@host:path` syntax. */
const URL_LIKE = /^([a-z][a-z0-9+.-]*:\/\/|[^/]+@[^/]+:)/i;

/**
 * Hides credentials embedded in URLs (`https://user:token@host` becomes `https://***@host`), so
 * text that may contain a remote URL can be logged or shown to users.
 *
 * @public
 * @param text - any text, e.g. a git command line or git's stderr
 * @returns the text with the user-info part of every URL replaced by `***`
 */
export function redactCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

/**
 * Makes a git remote from configuration usable from any working directory: URL-like remotes
 * (`scheme://...` or scp-like `user@host:path`) are returned unchanged, plain paths are resolved
 * to an absolute path against `cwd`.
 *
 * @public
 * @param remote - a URL or a local path
 * @param cwd - the directory relative paths are resolved against
 * @returns the remote as git should be given it
 */
export function normalizeGitRemote(
  remote: string,
  cwd: string = process.cwd(),
): string {
  return URL_LIKE.test(remote) ? remote : path.resolve(cwd, remote);
}

/** The arguments as they may be shown: URL credentials and `http.extraHeader` values hidden. */
function redactArgs(args: readonly string[]): string[] {
  return args.map(arg =>
    EXTRA_HEADER.test(arg)
      ? arg.replace(/=.*$/s, '=***')
      : redactCredentials(arg),
  );
}

/** The arguments for an error message: `http.extraHeader` settings (and their `-c`) left out. */
function shownArgs(args: readonly string[]): string[] {
  const shown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' && EXTRA_HEADER.test(args[i + 1] ?? '')) {
      i++;
    } else if (!EXTRA_HEADER.test(args[i])) {
      shown.push(redactCredentials(args[i]));
    }
  }
  return shown;
}

/**
 * A git command that failed, carrying git's own stderr so that the real cause reaches the log.
 * Nothing it holds contains credentials: URL user-info and `http.extraHeader` values are
 * redacted.
 *
 * @public
 */
export class GitCommandError extends Error {
  /** The arguments given to {@link runGit} (without the settings it adds), redacted. */
  readonly args: string[];
  /** git's stderr (when git wrote none: why it failed), with URL credentials redacted. */
  readonly stderr: string;
  /** git's exit code, or the error code or signal when git did not run or was stopped. */
  readonly exitCode: number | string | undefined;

  constructor(
    args: readonly string[],
    stderr: string,
    exitCode?: number | string,
  ) {
    const safeStderr = redactCredentials(stderr);
    super(
      `git ${shownArgs(args).join(' ')} failed${
        exitCode !== undefined ? ` (${exitCode})` : ''
      }: ${safeStderr.trim()}`,
    );
    this.name = 'GitCommandError';
    this.args = redactArgs(args);
    this.stderr = safeStderr;
    this.exitCode = exitCode;
  }
}

/**
 * Options of {@link runGit}.
 *
 * @public
 */
export interface RunGitOptions {
  /** The working directory; the process's by default. */
  cwd?: string;
  /** Environment variables added to (and overriding) the process's and runGit's own. */
  env?: Record<string, string>;
  /** How long git may run before it is stopped; 120 s by default. */
  timeoutMs?: number;
}

/**
 * Runs the git CLI without a shell (arguments are never interpreted) and without prompts: a
 * missing or wrong credential fails the command instead of hanging it. The system configuration
 * is ignored and `-c` settings make git independent of the user's global configuration (no
 * signing, no hooks, `main` as the initial branch); an identity must be passed as
 * `-c user.name=... -c user.email=...` by commands that commit.
 *
 * @public
 * @param args - git's arguments, e.g. `['clone', '--quiet', '--', url, dir]`
 * @param options - working directory, extra environment and timeout
 * @returns git's stdout
 * @throws {@link GitCommandError} when git fails, cannot be started or times out
 */
export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<string> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...GIT_CONFIG_ARGS, ...args],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: 'echo',
          GIT_CONFIG_NOSYSTEM: '1',
          LC_ALL: 'C',
          ...options.env,
        },
        timeout,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(String(stdout));
          return;
        }
        const { code, signal, killed } = error as NodeJS.ErrnoException & {
          code?: number | string | null;
          signal?: NodeJS.Signals | null;
          killed?: boolean;
        };
        let detail = String(stderr);
        if (!detail.trim()) {
          if (killed && signal) {
            detail = `stopped by ${signal} (timeout ${timeout} ms)`;
          } else if (typeof code === 'string') {
            // git could not be started, e.g. ENOENT; the message names only the program
            detail = `${code}: ${error.message.split('\n')[0]}`;
          }
        }
        reject(new GitCommandError(args, detail, code ?? signal ?? undefined));
      },
    );
  });
}
