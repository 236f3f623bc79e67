import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  parseTier,
  priorityClassTiers,
  type Tier,
} from '@internal/plugin-tier-health-common';

/** The tier-health settings after defaults. */
export interface TierHealthSettings {
  priorityClassTiers: Record<string, Tier>;
}

/** Reads `tierHealth.*`; a tier outside 1–4 is a startup error, not a silent tier 4. */
export function readTierHealthSettings(config: Config): TierHealthSettings {
  const overrides: Record<string, Tier> = {};
  const mapping = config.getOptionalConfig('tierHealth.priorityClassTiers');
  for (const name of mapping?.keys() ?? []) {
    const value = mapping!.getNumber(name);
    const tier = parseTier(value);
    if (!tier) {
      throw new InputError(
        `tierHealth.priorityClassTiers.${name} must be a tier from 1 to 4, got ${value}`,
      );
    }
    overrides[name] = tier;
  }
  return {
    priorityClassTiers: priorityClassTiers(overrides),
  };
}
