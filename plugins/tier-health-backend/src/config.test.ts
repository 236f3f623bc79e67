import { ConfigReader } from '@backstage/config';
import { readTierHealthSettings } from './config';

describe('readTierHealthSettings', () => {
  it('defaults to the DESIGN.md mapping', () => {
    const settings = readTierHealthSettings(new ConfigReader({}));
    expect(settings.priorityClassTiers['platform-infrastructure']).toBe(2);
    expect(settings.priorityClassTiers['system-node-critical']).toBe(1);
  });

  it('merges configured tiers over the defaults', () => {
    const settings = readTierHealthSettings(
      new ConfigReader({
        tierHealth: {
          priorityClassTiers: { 'platform-events': 2, batch: 4 },
        },
      }),
    );
    expect(settings.priorityClassTiers).toMatchObject({
      'platform-events': 2,
      batch: 4,
      'user-workloads': 4,
    });
  });

  it.each([[{ priorityClassTiers: { odd: 7 } }, 'must be a tier from 1 to 4']])(
    'rejects %j',
    (tierHealth, message) => {
      expect(() =>
        readTierHealthSettings(new ConfigReader({ tierHealth })),
      ).toThrow(message);
    },
  );
});
