import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { normalizeGitRemote } from '@internal/gitops-repo';

/** The `gitops` config section, read once at startup (see config.d.ts for each key). */
export interface GitopsConfig {
  remote: string;
  branch: string;
  mode: 'push' | 'pull-request';
  browseUrlTemplate?: string;
  selfServiceOnboarding: boolean;
  platformGroup: string;
  pushRetries: number;
  unverifiableEnforcePolicies: 'fail' | 'warn';
  fallbackAuthor: { name: string; email: string };
}

export function readGitopsConfig(config: Config): GitopsConfig {
  const mode = config.getOptionalString('gitops.mode') ?? 'push';
  if (mode !== 'push' && mode !== 'pull-request') {
    throw new InputError(
      `gitops.mode must be 'push' or 'pull-request', got '${mode}'`,
    );
  }
  const unverifiable =
    config.getOptionalString('gitops.unverifiableEnforcePolicies') ?? 'fail';
  if (unverifiable !== 'fail' && unverifiable !== 'warn') {
    throw new InputError(
      `gitops.unverifiableEnforcePolicies must be 'fail' or 'warn', got '${unverifiable}'`,
    );
  }
  return {
    // a plain local path is made absolute so a clone from any temp dir still finds it
    remote: normalizeGitRemote(config.getString('gitops.remote')),
    branch: config.getOptionalString('gitops.branch') ?? 'main',
    mode,
    browseUrlTemplate: config.getOptionalString('gitops.browseUrlTemplate'),
    selfServiceOnboarding:
      config.getOptionalBoolean('gitops.selfServiceOnboarding') ?? false,
    platformGroup:
      config.getOptionalString('gitops.platformGroup') ??
      'group:default/platform-team',
    pushRetries: config.getOptionalNumber('gitops.pushRetries') ?? 5,
    unverifiableEnforcePolicies: unverifiable,
    fallbackAuthor: {
      name:
        config.getOptionalString('gitops.fallbackAuthor.name') ?? 'IDP Portal',
      email:
        config.getOptionalString('gitops.fallbackAuthor.email') ??
        'idp-portal@noreply.local',
    },
  };
}
