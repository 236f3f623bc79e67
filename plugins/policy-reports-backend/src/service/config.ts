import type { Config } from '@backstage/config';
import { resolve } from 'node:path';

/** The plugin's settings, read from `policyReports` (see config.d.ts). */
export interface PolicyReportsSettings {
  refreshIntervalMs: number;
  gitopsPolicyDirectory?: string;
}

const DEFAULT_REFRESH_INTERVAL_SECONDS = 30;

/** Reads `policyReports.*`; a missing block gives the defaults. */
export function readPolicyReportsSettings(
  config: Config,
): PolicyReportsSettings {
  const seconds =
    config.getOptionalNumber('policyReports.refreshIntervalSeconds') ??
    DEFAULT_REFRESH_INTERVAL_SECONDS;
  if (!(seconds > 0)) {
    throw new Error(
      `policyReports.refreshIntervalSeconds must be a positive number, got ${seconds}`,
    );
  }
  const directory = config.getOptionalString(
    'policyReports.gitopsPolicyDirectory',
  );
  return {
    refreshIntervalMs: seconds * 1000,
    // Relative to the backend's working directory, like other file paths in app-config.
    ...(directory ? { gitopsPolicyDirectory: resolve(directory) } : {}),
  };
}
