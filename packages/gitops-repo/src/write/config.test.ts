import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { gitAuthArgs } from './auth';
import {
  assertGitopsWritable,
  DEFAULT_CATALOG_PATHS,
  readGitopsConfig,
} from './config';

describe('readGitopsConfig', () => {
  it('defaults: push to main, 120 s push deadline, template catalog paths, 5 s refresh', () => {
    const cfg = readGitopsConfig(
      new ConfigReader({ gitops: { remote: '../../.sandbox/gitops.git' } }),
      '/repo/packages/backend',
    );
    expect(cfg).toEqual({
      // a local path is resolved against the backend's working directory
      remote: '/repo/.sandbox/gitops.git',
      branch: 'main',
      mode: 'push',
      browseUrlTemplate: undefined,
      selfServiceOnboarding: false,
      platformGroup: 'group:default/platform-team',
      ownerGroupPrefixes: [],
      pushDeadlineSeconds: 120,
      unverifiableEnforcePolicies: 'fail',
      fallbackAuthor: {
        name: 'IDP Portal',
        email: 'idp-portal@noreply.local',
      },
      catalog: {
        paths: DEFAULT_CATALOG_PATHS,
        refreshIntervalSeconds: 5,
        workDir: expect.stringContaining(
          path.join(os.tmpdir(), 'idp-portal-gitops-catalog'),
        ),
      },
    });
  });

  it('reads every key and keeps URLs as they are', () => {
    const cfg = readGitopsConfig(
      new ConfigReader({
        gitops: {
          remote: 'https://github.com/acme/gitops.git',
          branch: 'release',
          mode: 'pull-request',
          browseUrlTemplate: 'https://github.com/acme/gitops/tree/{sha}/{path}',
          selfServiceOnboarding: true,
          platformGroup: 'group:default/sre',
          ownerGroupPrefixes: ['oidc:'],
          pushDeadlineSeconds: 30,
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
      mode: 'pull-request',
      selfServiceOnboarding: true,
      platformGroup: 'group:default/sre',
      ownerGroupPrefixes: ['oidc:'],
      pushDeadlineSeconds: 30,
      catalog: {
        paths: ['K8s/teams/*/catalog-info.yaml'],
        refreshIntervalSeconds: 30,
        workDir: '/srv/data/gitops-catalog',
      },
    });
  });

  it.each([
    [{ remote: undefined }, /gitops.remote is not set.*GITOPS_REMOTE_URL/],
    [{ mode: 'yolo' }, /gitops.mode must be 'push' or 'pull-request'/],
    [
      { catalog: { paths: ['../secrets/*.yaml'] } },
      /relative to the repository root/,
    ],
    [
      { catalog: { paths: ['/etc/*.yaml'] } },
      /relative to the repository root/,
    ],
    [{ catalog: { refreshIntervalSeconds: 0 } }, /must be positive/],
    [
      { pushDeadlineSeconds: -1 },
      /gitops.pushDeadlineSeconds must be positive/,
    ],
    [{ ownerGroupPrefixes: ['oidc'] }, /gitops.ownerGroupPrefixes/],
    [
      { unverifiableEnforcePolicies: 'maybe' },
      /gitops.unverifiableEnforcePolicies must be 'fail' or 'warn'/,
    ],
  ])('refuses %j', (gitops, message) => {
    expect(() =>
      readGitopsConfig(
        new ConfigReader({ gitops: { remote: '/r.git', ...gitops } }),
      ),
    ).toThrow(message);
  });
});

describe('assertGitopsWritable (startup check)', () => {
  const check = (gitops: object, integrations?: object) => {
    const config = new ConfigReader({
      gitops,
      ...(integrations ? { integrations } : {}),
    });
    return () =>
      assertGitopsWritable(
        readGitopsConfig(config),
        ScmIntegrations.fromConfig(config),
      );
  };

  it('accepts push mode with any remote, and pull-request mode with a GitHub remote and token', () => {
    expect(check({ remote: '/tmp/gitops.git' })).not.toThrow();
    expect(
      check(
        { remote: 'https://github.com/acme/gitops.git', mode: 'pull-request' },
        { github: [{ host: 'github.com', token: 'ghp_x' }] },
      ),
    ).not.toThrow();
  });

  it('refuses pull-request mode on a local remote, naming the key and the variable', () => {
    expect(check({ remote: '/tmp/gitops.git', mode: 'pull-request' })).toThrow(
      /^gitops.mode is 'pull-request' but gitops.remote \(GITOPS_REMOTE_URL\) is '\/tmp\/gitops.git', not an https URL/,
    );
  });

  it('refuses pull-request mode on a host no integration covers', () => {
    expect(
      check({
        remote: 'https://git.example.com/acme/gitops.git',
        mode: 'pull-request',
      }),
    ).toThrow(
      /gitops.remote \(GITOPS_REMOTE_URL\) is on git.example.com, which no integrations.github entry covers/,
    );
  });

  it('refuses pull-request mode without a token, naming GITHUB_TOKEN', () => {
    expect(
      check({
        remote: 'https://github.com/acme/gitops.git',
        mode: 'pull-request',
      }),
    ).toThrow(
      /integrations.github \(host github.com\) has no token: set GITHUB_TOKEN/,
    );
  });
});

describe('gitAuthArgs', () => {
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_secret' }],
        gitea: [{ host: 'gitea.example.com', username: 'bot', password: 'pw' }],
      },
    }),
  );

  it('sends the integration token as a header for http(s) remotes', () => {
    expect(
      gitAuthArgs(integrations, 'https://github.com/acme/gitops.git'),
    ).toEqual([
      '-c',
      `http.extraHeader=Authorization: Basic ${Buffer.from(
        'x-access-token:ghp_secret',
      ).toString('base64')}`,
    ]);
    expect(
      gitAuthArgs(integrations, 'https://gitea.example.com/p/g.git'),
    ).toEqual([
      '-c',
      `http.extraHeader=Authorization: Basic ${Buffer.from('bot:pw').toString(
        'base64',
      )}`,
    ]);
  });

  it('adds nothing for other hosts and local remotes', () => {
    expect(gitAuthArgs(integrations, 'https://gitlab.com/a/b.git')).toEqual([]);
    expect(gitAuthArgs(integrations, '/tmp/gitops.git')).toEqual([]);
  });
});
