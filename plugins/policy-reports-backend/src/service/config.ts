import type { Config } from '@backstage/config';
import { resolve } from 'node:path';

/** The plugin's settings, read from `policyReports` (see config.d.ts). */
export interface PolicyReportsSettings {
  gitopsPolicyDirectory?: string;
}

/** Reads `policyReports.*`; a missing block gives the defaults. */
export function readPolicyReportsSettings(
  config: Config,
): PolicyReportsSettings {
  const directory = config.getOptionalString(
    'policyReports.gitopsPolicyDirectory',
  );
  return {
    // Relative to the backend's working directory, like other file paths in app-config.
    ...(directory ? { gitopsPolicyDirectory: resolve(directory) } : {}),
  };
}
