import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_CATALOG_PATHS,
  gitAuthArgs,
  readGitopsCatalogConfig,
} from './config';

describe('readGitopsCatalogConfig', () => {
  it('defaults to the template paths, main and a 5 s refresh', () => {
    const cfg = readGitopsCatalogConfig(
      new ConfigReader({ gitops: { remote: '../../.sandbox/gitops.git' } }),
      '/repo/packages/backend',
    );
    expect(cfg).toEqual({
      // resolved like the scaffolder actions resolve it
      remote: '/repo/.sandbox/gitops.git',
      branch: 'main',
      browseUrlTemplate: undefined,
      paths: DEFAULT_CATALOG_PATHS,
      refreshIntervalSeconds: 5,
      workDir: expect.stringContaining(
        path.join(os.tmpdir(), 'idp-portal-gitops-catalog'),
      ),
    });
  });

  it('reads every key and keeps URLs as they are', () => {
    const cfg = readGitopsCatalogConfig(
      new ConfigReader({
        gitops: {
          remote: 'https://github.com/acme/gitops.git',
          branch: 'release',
          browseUrlTemplate: 'https://github.com/acme/gitops/tree/{sha}/{path}',
          catalog: {
            paths: ['K8s/teams/*/catalog-info.yaml'],
            refreshIntervalSeconds: 30,
            workDir: 'data/gitops-catalog',
          },
        },
      }),
      '/srv',
    );
    expect(cfg).toMatchObject({
      remote: 'https://github.com/acme/gitops.git',
      branch: 'release',
      paths: ['K8s/teams/*/catalog-info.yaml'],
      refreshIntervalSeconds: 30,
      workDir: '/srv/data/gitops-catalog',
    });
  });

  it.each([
    [
      { catalog: { paths: ['../secrets/*.yaml'] } },
      /relative to the repository root/,
    ],
    [
      { catalog: { paths: ['/etc/*.yaml'] } },
      /relative to the repository root/,
    ],
    [{ catalog: { refreshIntervalSeconds: 0 } }, /must be positive/],
  ])('refuses %j', (gitops, message) => {
    expect(() =>
      readGitopsCatalogConfig(
        new ConfigReader({ gitops: { remote: '/r.git', ...gitops } }),
      ),
    ).toThrow(message);
  });
});

describe('gitAuthArgs', () => {
  const config = new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', token: 'ghp_secret' }],
      gitea: [{ host: 'gitea.example.com', username: 'bot', password: 'pw' }],
    },
  });

  it('sends the integration token as a header for http(s) remotes', () => {
    expect(gitAuthArgs(config, 'https://github.com/acme/gitops.git')).toEqual([
      '-c',
      `http.extraHeader=Authorization: Basic ${Buffer.from(
        'x-access-token:ghp_secret',
      ).toString('base64')}`,
    ]);
    expect(gitAuthArgs(config, 'https://gitea.example.com/p/g.git')).toEqual([
      '-c',
      `http.extraHeader=Authorization: Basic ${Buffer.from('bot:pw').toString(
        'base64',
      )}`,
    ]);
  });

  it('adds nothing for other hosts and local remotes', () => {
    expect(gitAuthArgs(config, 'https://gitlab.com/a/b.git')).toEqual([]);
    expect(gitAuthArgs(config, '/tmp/gitops.git')).toEqual([]);
  });
});
