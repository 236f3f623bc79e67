import { ConfigReader } from '@backstage/config';
import { resolve } from 'node:path';
import { readPolicyReportsSettings } from './config';

describe('readPolicyReportsSettings', () => {
  it.each([
    ['defaults', {}, {}],
    [
      'a policy directory',
      { policyReports: { gitopsPolicyDirectory: 'K8s/policies' } },
      { gitopsPolicyDirectory: resolve('K8s/policies') },
    ],
  ])('reads %s', (_, data, expected) => {
    expect(readPolicyReportsSettings(new ConfigReader(data))).toEqual(expected);
  });
});
