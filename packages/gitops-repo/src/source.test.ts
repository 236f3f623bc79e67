import fs from 'fs';
import path from 'path';
import { readApplicationSource } from './source';
import { createTempRepo, removeTempRepo } from './testing/tempRepo';
import { ManifestParseError } from './types';

const deployment = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: main
          image: example/${name}:1.0.0
${extra}`;

const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
`;

const namespace = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;

describe('readApplicationSource', () => {
  let root: string;
  afterEach(() => root && removeTempRepo(root));

  it('reads every yaml file of a directory without kustomization, except catalog and seed files', () => {
    root = createTempRepo({
      'K8s/a/web/b-service.yml': service('web'),
      'K8s/a/web/a-deployment.yaml': deployment('web'),
      'K8s/a/web/catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n',
      'K8s/a/web/sandbox-seed.yaml': deployment('seed'),
      'K8s/a/web/README.md': '# not yaml',
      'K8s/a/web/nested/ignored.yaml': deployment('nested'),
    });
    const source = readApplicationSource(root, 'K8s/a/web');
    expect(source.objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/web',
      'Service/web',
    ]);
    expect(source.seedObjects).toEqual([]);
    expect(source.helmCharts).toEqual([]);
  });

  it.each([
    {
      name: 'resources files and sub-directories, recursively, in order',
      files: {
        'K8s/s/c/kustomization.yaml':
          'resources:\n  - service.yaml\n  - base\n  - ../shared/cm.yaml\n',
        'K8s/s/c/service.yaml': service('c'),
        'K8s/s/c/unlisted.yaml': deployment('unlisted'),
        'K8s/s/c/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
        'K8s/s/c/base/deployment.yaml': deployment('c'),
        'K8s/s/shared/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\n',
      },
      objects: ['Service/c', 'Deployment/c', 'ConfigMap/shared'],
    },
    {
      name: 'a sub-directory without kustomization read as plain files',
      files: {
        'K8s/s/c/kustomization.yml': 'resources: [manifests]\n',
        'K8s/s/c/manifests/one.yaml': service('one'),
        'K8s/s/c/manifests/two.yaml': service('two'),
      },
      objects: ['Service/one', 'Service/two'],
    },
  ])('follows kustomization $name', ({ files, objects }) => {
    root = createTempRepo(files);
    const source = readApplicationSource(root, 'K8s/s/c');
    expect(source.objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(
      objects,
    );
  });

  it('applies namespace, commonLabels, labels and commonAnnotations', () => {
    root = createTempRepo({
      'K8s/s/c/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: team-a
commonLabels:
  owner: team-a
labels:
  - pairs:
      environment: production
  - pairs:
      tier: backend
    includeSelectors: true
  - pairs:
      version: v1
    includeTemplates: true
commonAnnotations:
  example.com/managed: "true"
resources:
  - all.yaml
`,
      'K8s/s/c/all.yaml': `${deployment('api')}---\n${service(
        'api',
      )}---\n${namespace('team-a')}`,
    });
    const [dep, svc, ns] = readApplicationSource(root, 'K8s/s/c')
      .objects as any[];
    expect(dep.metadata).toEqual({
      name: 'api',
      namespace: 'team-a',
      labels: {
        app: 'api',
        owner: 'team-a',
        environment: 'production',
        tier: 'backend',
        version: 'v1',
      },
      annotations: { 'example.com/managed': 'true' },
    });
    expect(dep.spec.selector.matchLabels).toEqual({
      app: 'api',
      owner: 'team-a',
      tier: 'backend',
    });
    expect(dep.spec.template.metadata).toEqual({
      labels: { app: 'api', owner: 'team-a', tier: 'backend', version: 'v1' },
      annotations: { 'example.com/managed': 'true' },
    });
    expect(svc.metadata.namespace).toBe('team-a');
    expect(svc.spec.selector).toEqual({
      app: 'api',
      owner: 'team-a',
      tier: 'backend',
    });
    // cluster-scoped: no namespace, but labels still apply
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      owner: 'team-a',
      environment: 'production',
    });
  });

  it('returns helmCharts and sandbox-seed objects, transformed like the chart output', () => {
    root = createTempRepo({
      'K8s/s/loki/kustomization.yaml': `namespace: logging
commonLabels:
  owner: platform-team
resources:
  - extra.yaml
helmCharts:
  - name: loki
    repo: https://grafana.github.io/helm-charts
    version: 6.31.0
    releaseName: loki
    namespace: logging
    valuesFile: values.yaml
  - name: bare
`,
      'K8s/s/loki/extra.yaml': service('extra'),
      'K8s/s/loki/values.yaml': 'replicas: 1\n',
      'K8s/s/loki/sandbox-seed.yaml': deployment('loki'),
    });
    const source = readApplicationSource(root, 'K8s/s/loki');
    expect(source.helmCharts).toEqual([
      {
        name: 'loki',
        repo: 'https://grafana.github.io/helm-charts',
        version: '6.31.0',
        releaseName: 'loki',
        namespace: 'logging',
      },
      { name: 'bare' },
    ]);
    expect(source.objects.map(o => o.metadata.name)).toEqual(['extra']);
    expect(
      source.seedObjects.map(o => [o.metadata.name, o.metadata.namespace]),
    ).toEqual([['loki', 'logging']]);
    expect(source.seedObjects[0].metadata.labels?.owner).toBe('platform-team');
  });

  it('ignores sandbox-seed.yaml when no chart is declared', () => {
    root = createTempRepo({
      'K8s/s/c/kustomization.yaml': 'resources: [svc.yaml]\n',
      'K8s/s/c/svc.yaml': service('c'),
      'K8s/s/c/sandbox-seed.yaml': deployment('seed'),
    });
    expect(readApplicationSource(root, 'K8s/s/c').seedObjects).toEqual([]);
  });

  it('returns fresh objects on every call', () => {
    root = createTempRepo({ 'K8s/s/c/svc.yaml': service('c') });
    const first = readApplicationSource(root, 'K8s/s/c');
    first.objects[0].metadata.name = 'changed';
    expect(
      readApplicationSource(root, 'K8s/s/c').objects[0].metadata.name,
    ).toBe('c');
  });

  it.each([
    {
      name: 'malformed YAML in a resource',
      files: {
        'K8s/s/c/kustomization.yaml': 'resources: [bad.yaml]\n',
        'K8s/s/c/bad.yaml': 'a: [\n',
      },
      error: ManifestParseError,
      message: /^K8s\/s\/c\/bad\.yaml:2: /,
    },
    {
      name: 'malformed kustomization',
      files: { 'K8s/s/c/kustomization.yaml': 'resources:\n  - a\n - b\n' },
      error: ManifestParseError,
      message: /^K8s\/s\/c\/kustomization\.yaml:3: /,
    },
    {
      name: 'a missing resource',
      files: { 'K8s/s/c/kustomization.yaml': 'resources: [missing.yaml]\n' },
      error: Error,
      message: /resource missing\.yaml does not exist/,
    },
    {
      name: 'a resource escaping the repository',
      files: {
        'K8s/s/c/kustomization.yaml': 'resources: [../../../../outside.yaml]\n',
      },
      error: Error,
      message: /escapes the repository/,
    },
    {
      name: 'a remote resource',
      files: {
        'K8s/s/c/kustomization.yaml':
          'resources: [https://github.com/example/repo/manifests?ref=v1]\n',
      },
      error: Error,
      message: /remote resource/,
    },
  ])('throws for $name', ({ files, error, message }) => {
    root = createTempRepo(files);
    let thrown: unknown;
    try {
      readApplicationSource(root, 'K8s/s/c');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown instanceof ManifestParseError).toBe(
      error === ManifestParseError,
    );
    expect((thrown as Error).message).toMatch(message);
  });

  it.each(['../outside', 'K8s/../..', '/etc'])(
    'rejects the application path %s',
    appPath => {
      root = createTempRepo({ 'K8s/s/c/svc.yaml': service('c') });
      expect(() => readApplicationSource(root, appPath)).toThrow(
        /escapes the repository|not a directory/,
      );
    },
  );

  it('rejects a symlink that leaves the repository', () => {
    root = createTempRepo({
      'K8s/s/c/kustomization.yaml': 'resources: [link.yaml]\n',
    });
    const outside = createTempRepo({ 'secret.yaml': service('secret') });
    try {
      fs.symlinkSync(
        path.join(outside, 'secret.yaml'),
        path.join(root, 'K8s/s/c/link.yaml'),
      );
      expect(() => readApplicationSource(root, 'K8s/s/c')).toThrow(
        /escapes the repository/,
      );
    } finally {
      removeTempRepo(outside);
    }
  });
});
