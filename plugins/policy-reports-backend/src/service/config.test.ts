import { ConfigReader } from '@backstage/config';
import { resolve } from 'node:path';
import { readPolicyReportsSettings } from './config';

describe('readPolicyReportsSettings', () => {
  it.each([
    ['defaults', {}, { refreshIntervalMs: 30_000 }],
    [
      'an interval and a policy directory',
      {
        policyReports: {
          refreshIntervalSeconds: 5,
          gitopsPolicyDirectory: 'K8s/policies',
        },
      },
      {
        refreshIntervalMs: 5000,
        gitopsPolicyDirectory: resolve('K8s/policies'),
      },
    ],
  ])('reads %s', (_, data, expected) => {
    expect(readPolicyReportsSettings(new ConfigReader(data))).toEqual(expected);
  });

  it('rejects a non-positive interval', () => {
    expect(() =>
      readPolicyReportsSettings(
        new ConfigReader({ policyReports: { refreshIntervalSeconds: 0 } }),
      ),
    ).toThrow(/must be a positive number/);
  });
});
