/**
 * Where the sandbox's git, reconciler and cluster simulator report what they do.
 * Compatible with `console` and with Backstage's LoggerService.
 */
export type Logger = {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
};

/** A logger that drops everything; the default when none is given. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
