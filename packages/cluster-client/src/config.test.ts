import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readClustersFromConfig } from './config';

describe('readClustersFromConfig', () => {
  it('reads the clusters of config locators only', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: [
              {
                name: 'sandbox',
                url: 'http://127.0.0.1:7100',
                authProvider: 'serviceAccount',
                serviceAccountToken: 't',
              },
              {
                name: 'edge',
                url: 'https://10.0.0.1:6443',
                caData: 'Y2E=',
                skipTLSVerify: false,
              },
            ],
          },
        ],
      },
    });
    expect(readClustersFromConfig(config)).toEqual([
      {
        name: 'sandbox',
        url: 'http://127.0.0.1:7100',
        serviceAccountToken: 't',
        caData: undefined,
        skipTLSVerify: false,
      },
      {
        name: 'edge',
        url: 'https://10.0.0.1:6443',
        serviceAccountToken: undefined,
        caData: 'Y2E=',
        skipTLSVerify: false,
      },
    ]);
  });

  it('reads caFile into caData', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cluster-client-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(
      caFile,
      '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n',
    );
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [{ name: 'c', url: 'https://c', caFile }],
          },
        ],
      },
    });
    expect(readClustersFromConfig(config)[0].caData).toContain(
      'BEGIN CERTIFICATE',
    );
  });

  it('returns no clusters without Kubernetes config', () => {
    expect(readClustersFromConfig(new ConfigReader({}))).toEqual([]);
  });
});
