import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The module's settings from `idpNotifications.*`. */
export interface DetectorSettings {
  frequencyMs: number;
  applicationGraceMs: number;
}

function seconds(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(`idpNotifications.${key}`) ?? fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(
      `idpNotifications.${key} must be a number of seconds >= 0, got ${value}`,
    );
  }
  return value * 1000;
}

export function readDetectorSettings(config: Config): DetectorSettings {
  const frequencyMs = seconds(config, 'frequencySeconds', 15);
  if (frequencyMs === 0) {
    throw new InputError('idpNotifications.frequencySeconds must be above 0');
  }
  return {
    frequencyMs,
    applicationGraceMs: seconds(
      config,
      'applicationUnhealthyAfterSeconds',
      120,
    ),
  };
}
