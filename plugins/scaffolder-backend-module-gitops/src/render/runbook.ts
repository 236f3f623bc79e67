import { ServiceInput } from '../validation';

/**
 * The values the new-service runbook skeleton (templates/new-service/skeleton) substitutes.
 * The sentences that depend on the inputs are decided here, once, so the skeleton needs nothing
 * beyond `${{ values.x }}` and the first-run world (src/firstRun) renders it byte for byte as
 * the template's fetch:template step does.
 */
export function runbookValues(input: ServiceInput): Record<string, string> {
  const version =
    input.imageUpdate === 'semver' ? input.semverRange ?? '' : input.tag ?? '';
  const secrets = input.secrets ?? [];
  return {
    name: input.name,
    team: input.owner,
    description: input.description,
    image: input.image,
    version,
    port: String(input.port),
    tier: String(input.tier),
    exposure: input.exposure,
    tierSummary:
      input.tier === 3
        ? 'important service: degrades the platform to Yellow when down'
        : 'application workload',
    exposureSummary:
      input.exposure === 'none'
        ? `cluster-internal only (Service \`${input.name}\` port 80)`
        : `\`${input.exposure}\` gateway at \`https://${input.hostname}\``,
    secretsSection: secrets.length
      ? [
          `The ExternalSecret \`${input.name}\` reads these keys from Vault`,
          `(\`${input.owner}/${input.name}\`) into the Secret \`${input.name}-secrets\`, which the`,
          'container gets as environment variables:',
          '',
          ...secrets.map(key => `- \`${key}\``),
          '',
          'Rotate a secret in Vault; External Secrets refreshes it within an hour (restart the pods to pick',
          'it up at once).',
        ].join('\n')
      : [
          "None. To add one, change the service with the portal's day-2 template (it writes an",
          'ExternalSecret that reads from Vault); never commit secret values to the GitOps repository.',
        ].join('\n'),
  };
}
