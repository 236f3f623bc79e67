import fs from 'fs';
import path from 'path';
import {
  listGeneratorDirectories,
  listGeneratorFiles,
  matchesGeneratorPattern,
} from './generator';
import { createTempRepo, removeTempRepo } from './testing/tempRepo';

describe('listGeneratorDirectories', () => {
  let root: string;
  beforeAll(() => {
    root = createTempRepo(
      {
        'K8s/apps/README.md': 'not a directory',
        'K8s/apps/storefront/web/kustomization.yaml': '',
        'K8s/apps/storefront/cart/kustomization.yaml': '',
        'K8s/apps/payments/api/kustomization.yaml': '',
        'K8s/apps/payments/notes.yaml': '',
        'K8s/teams/storefront/namespace.yaml': '',
        'K8s/teams/payments/namespace.yaml': '',
      },
      [
        'K8s/apps/.hidden/x',
        'K8s/teams/team1',
        'K8s/teams/team2',
        'K8s/teams/teamA',
      ],
    );
  });
  afterAll(() => removeTempRepo(root));

  it.each([
    [
      'K8s/apps/*/*',
      [
        'K8s/apps/payments/api',
        'K8s/apps/storefront/cart',
        'K8s/apps/storefront/web',
      ],
    ],
    ['K8s/apps/*', ['K8s/apps/payments', 'K8s/apps/storefront']],
    ['./K8s/apps/*/', ['K8s/apps/payments', 'K8s/apps/storefront']],
    [
      'K8s/apps/storefront/*',
      ['K8s/apps/storefront/cart', 'K8s/apps/storefront/web'],
    ],
    ['K8s/apps/*/web', ['K8s/apps/storefront/web']],
    ['K8s/apps/storefront', ['K8s/apps/storefront']],
    ['K8s/apps/missing/*', []],
    [
      'K8s/teams/team?',
      ['K8s/teams/team1', 'K8s/teams/team2', 'K8s/teams/teamA'],
    ],
    ['K8s/teams/team[0-9]', ['K8s/teams/team1', 'K8s/teams/team2']],
    ['K8s/teams/team[!0-9]', ['K8s/teams/teamA']],
    ['K8s/teams/*s', ['K8s/teams/payments']],
    ['K8s/apps/.*', ['K8s/apps/.hidden']],
    [
      'K8s/*/*/*',
      [
        'K8s/apps/payments/api',
        'K8s/apps/storefront/cart',
        'K8s/apps/storefront/web',
      ],
    ],
  ])('%s', (pattern, expected) => {
    expect(listGeneratorDirectories(root, pattern)).toEqual(expected);
  });

  it.each(['../outside/*', 'K8s/../../*', '/'])(
    'rejects %s outside the repository',
    pattern => {
      expect(() => listGeneratorDirectories(root, pattern)).toThrow(
        /outside|escapes/,
      );
    },
  );
});

describe('listGeneratorFiles', () => {
  let root: string;
  beforeAll(() => {
    root = createTempRepo(
      {
        'K8s/apps/storefront/web/application.yaml': 'a: 1\n',
        'K8s/apps/storefront/web/kustomization.yaml': '',
        'K8s/apps/storefront/cart/application.yaml': 'a: 2\n',
        'K8s/apps/storefront/cart/nested/application.yaml': 'too deep\n',
        'K8s/apps/payments/api/application.json': '{}',
        'K8s/apps/payments/application.yaml': 'one level up\n',
        'K8s/apps/.hidden/x/application.yaml': '',
        'K8s/apps/payments/.draft/application.yaml': '',
        'K8s/apps/payments/api/.application.yaml': '',
        'K8s/teams/team1/config.yaml': '',
        'K8s/teams/team2/config.yml': '',
      },
      // a directory named like the pattern's last segment is not a file
      ['K8s/apps/payments/odd/application.yaml'],
    );
    fs.symlinkSync(
      path.join(root, 'K8s/apps/storefront/web/application.yaml'),
      path.join(root, 'K8s/apps/storefront/cart/linked.yaml'),
    );
  });
  afterAll(() => removeTempRepo(root));

  it.each([
    [
      'K8s/apps/*/*/application.yaml',
      [
        'K8s/apps/storefront/cart/application.yaml',
        'K8s/apps/storefront/web/application.yaml',
      ],
    ],
    [
      './K8s/apps/*/*/application.*',
      [
        'K8s/apps/payments/api/application.json',
        'K8s/apps/storefront/cart/application.yaml',
        'K8s/apps/storefront/web/application.yaml',
      ],
    ],
    ['K8s/apps/*/application.yaml', ['K8s/apps/payments/application.yaml']],
    [
      'K8s/apps/storefront/web/application.yaml',
      ['K8s/apps/storefront/web/application.yaml'],
    ],
    ['K8s/apps/storefront/web', []],
    ['K8s/apps/missing/*/application.yaml', []],
    [
      'K8s/apps/storefront/cart/*.yaml',
      [
        'K8s/apps/storefront/cart/application.yaml',
        'K8s/apps/storefront/cart/linked.yaml',
      ],
    ],
    ['K8s/apps/payments/*/.*', ['K8s/apps/payments/api/.application.yaml']],
    ['K8s/apps/.*/*/application.yaml', ['K8s/apps/.hidden/x/application.yaml']],
    ['K8s/teams/team?/config.y?ml', ['K8s/teams/team1/config.yaml']],
    [
      'K8s/teams/team[0-9]/config.*',
      ['K8s/teams/team1/config.yaml', 'K8s/teams/team2/config.yml'],
    ],
  ])('%s', (pattern, expected) => {
    expect(listGeneratorFiles(root, pattern)).toEqual(expected);
  });

  it.each(['../outside/*.yaml', 'K8s/../../x.yaml', '/'])(
    'rejects %s outside the repository',
    pattern => {
      expect(() => listGeneratorFiles(root, pattern)).toThrow(
        /outside|escapes/,
      );
    },
  );
});

describe('matchesGeneratorPattern', () => {
  it.each([
    ['K8s/apps/a/b', 'K8s/apps/*/*', true],
    ['K8s/apps/a/b', 'K8s/apps/*', false],
    ['K8s/apps/a', 'K8s/apps/a', true],
    ['K8s/apps/a', 'K8s/apps/b', false],
    ['K8s/x/catalog-info.yaml', 'K8s/*/catalog-info.yaml', true],
    ['K8s/apps/a/b/application.yaml', 'K8s/apps/*/*/application.yaml', true],
    ['K8s/apps/a/b/c/application.yaml', 'K8s/apps/*/*/application.yaml', false],
  ])('%s against %s is %s', (dir, pattern, expected) => {
    expect(matchesGeneratorPattern(dir, pattern)).toBe(expected);
  });
});
