import { expandApplicationSet, findApplicationSets } from './applicationSet';
import { createTempRepo, removeTempRepo } from './testing/tempRepo';
import { KubeObject } from './types';

function appSet(
  spec: Record<string, unknown>,
  namespace = 'argocd',
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'test', namespace },
    spec,
  };
}

const REPO = 'https://git.example.com/platform/gitops.git';

function gitGenerator(
  directories: Array<{ path: string; exclude?: boolean }>,
  extra = {},
) {
  return { git: { repoURL: REPO, revision: 'HEAD', directories, ...extra } };
}

describe('expandApplicationSet', () => {
  let root: string;
  beforeAll(() => {
    root = createTempRepo({}, [
      'K8s/apps/storefront/web',
      'K8s/apps/storefront/cart',
      'K8s/apps/payments/api',
      'K8s/observability/prometheus',
      'K8s/observability/loki',
      'K8s/observability/Fluent_Bit',
    ]);
  });
  afterAll(() => removeTempRepo(root));

  it.each([
    {
      form: 'goTemplate .path.basename and .path.path',
      goTemplate: true,
      name: 'obs-{{.path.basename}}',
      path: '{{.path.path}}',
      expected: [
        ['obs-Fluent_Bit', 'K8s/observability/Fluent_Bit'],
        ['obs-loki', 'K8s/observability/loki'],
        ['obs-prometheus', 'K8s/observability/prometheus'],
      ],
    },
    {
      form: 'goTemplate .path.basenameNormalized with whitespace and trim markers',
      goTemplate: true,
      name: 'obs-{{ .path.basenameNormalized }}',
      path: 'x/ {{- .path.basename -}} /y',
      expected: [
        ['obs-fluent-bit', 'x/Fluent_Bit/y'],
        ['obs-loki', 'x/loki/y'],
        ['obs-prometheus', 'x/prometheus/y'],
      ],
    },
    {
      form: 'goTemplate index .path.segments N',
      goTemplate: true,
      name: '{{index .path.segments 1}}-{{index .path.segments 2}}',
      path: '{{index .path.segments 0}}',
      expected: [
        ['observability-Fluent_Bit', 'K8s'],
        ['observability-loki', 'K8s'],
        ['observability-prometheus', 'K8s'],
      ],
    },
    {
      form: 'fasttemplate {{path.basename}} and {{path}}',
      goTemplate: false,
      name: 'obs-{{path.basename}}',
      path: '{{path}}',
      expected: [
        ['obs-Fluent_Bit', 'K8s/observability/Fluent_Bit'],
        ['obs-loki', 'K8s/observability/loki'],
        ['obs-prometheus', 'K8s/observability/prometheus'],
      ],
    },
    {
      form: 'fasttemplate {{path[N]}}, {{path.basenameNormalized}} and an unknown tag left as is',
      goTemplate: false,
      name: '{{path[1]}}-{{ path.basenameNormalized }}',
      path: '{{path.path}}/{{unknown}}',
      expected: [
        [
          'observability-fluent-bit',
          'K8s/observability/Fluent_Bit/{{unknown}}',
        ],
        ['observability-loki', 'K8s/observability/loki/{{unknown}}'],
        [
          'observability-prometheus',
          'K8s/observability/prometheus/{{unknown}}',
        ],
      ],
    },
  ])('renders the $form form', ({ goTemplate, name, path, expected }) => {
    const apps = expandApplicationSet(
      appSet({
        goTemplate,
        generators: [gitGenerator([{ path: 'K8s/observability/*' }])],
        template: {
          metadata: { name },
          spec: {
            project: 'p',
            source: { repoURL: REPO, path },
            destination: {},
          },
        },
      }),
      root,
    );
    expect(
      apps.map(a => [a.metadata.name, (a.spec as any).source.path]),
    ).toEqual(expected);
  });

  it('produces ownerReference-free Applications in the ApplicationSet namespace with template metadata', () => {
    const apps = expandApplicationSet(
      appSet(
        {
          goTemplate: true,
          generators: [gitGenerator([{ path: 'K8s/apps/*/*' }])],
          template: {
            metadata: {
              name: '{{index .path.segments 2}}-{{.path.basename}}',
              namespace: 'ignored',
              labels: { team: '{{index .path.segments 2}}' },
              annotations: { 'example.com/path': '{{.path.path}}' },
              finalizers: ['resources-finalizer.argocd.argoproj.io'],
            },
            spec: {
              project: 'apps',
              source: {
                repoURL: REPO,
                targetRevision: 'HEAD',
                path: '{{.path.path}}',
              },
              destination: {
                server: 'https://kubernetes.default.svc',
                namespace: '{{index .path.segments 2}}',
              },
            },
          },
        },
        'gitops',
      ),
      root,
    );
    expect(apps).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: 'payments-api',
          namespace: 'gitops',
          labels: { team: 'payments' },
          annotations: { 'example.com/path': 'K8s/apps/payments/api' },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project: 'apps',
          source: {
            repoURL: REPO,
            targetRevision: 'HEAD',
            path: 'K8s/apps/payments/api',
          },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'payments',
          },
        },
      },
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'storefront-cart' }),
      }),
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'storefront-web' }),
      }),
    ]);
    for (const app of apps) {
      expect(app.metadata.ownerReferences).toBeUndefined();
    }
  });

  it('honours exclude entries and per-generator values and templates', () => {
    const apps = expandApplicationSet(
      appSet({
        goTemplate: true,
        generators: [
          gitGenerator(
            [
              { path: 'K8s/observability/*' },
              { path: 'K8s/observability/loki', exclude: true },
            ],
            { values: { namespace: 'monitoring' } },
          ),
          {
            ...gitGenerator([{ path: 'K8s/observability/loki' }], {
              values: { namespace: 'logging' },
            }),
            template: { metadata: { labels: { special: 'yes' } }, spec: {} },
          },
          { list: { elements: [{ cluster: 'ignored' }] } },
        ],
        template: {
          metadata: { name: 'observability-{{.path.basename | lower}}' },
          spec: { destination: { namespace: '{{.values.namespace}}' } },
        },
      }),
      root,
    );
    expect(
      apps.map(a => [
        a.metadata.name,
        (a.spec as any).destination.namespace,
        a.metadata.labels,
      ]),
    ).toEqual([
      ['observability-fluent_bit', 'monitoring', undefined],
      ['observability-prometheus', 'monitoring', undefined],
      ['observability-loki', 'logging', { special: 'yes' }],
    ]);
  });

  it.each([
    ['an unknown field', '{{.path.nothing}}', /no value/],
    [
      'an unsupported function',
      '{{printf "%s" .path.basename}}',
      /unsupported function/,
    ],
    ['an index out of range', '{{index .path.segments 9}}', /out of range/],
  ])('throws for %s in a Go template', (_what, name, error) => {
    expect(() =>
      expandApplicationSet(
        appSet({
          goTemplate: true,
          generators: [gitGenerator([{ path: 'K8s/apps/*' }])],
          template: { metadata: { name }, spec: {} },
        }),
        root,
      ),
    ).toThrow(error);
  });

  it('throws when two directories render the same Application name', () => {
    expect(() =>
      expandApplicationSet(
        appSet({
          goTemplate: true,
          generators: [gitGenerator([{ path: 'K8s/apps/*/*' }])],
          template: {
            metadata: { name: 'app-{{index .path.segments 2}}' },
            spec: {},
          },
        }),
        root,
      ),
    ).toThrow(/duplicate Application name app-storefront/);
  });
});

describe('findApplicationSets', () => {
  it('finds ApplicationSets in applicationset-*.yaml files under K8s only', () => {
    const doc = (name: string, kind = 'ApplicationSet') =>
      `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: argocd\n`;
    const root = createTempRepo({
      'K8s/b/applicationset-b.yaml': doc('b'),
      'K8s/a/applicationset-a.yml': `${doc('a')}---\n${doc(
        'a-project',
        'AppProject',
      )}`,
      'K8s/a/appproject-a.yaml': doc('a', 'AppProject'),
      'K8s/a/other.yaml': doc('not-named-like-an-appset'),
      'elsewhere/applicationset-x.yaml': doc('x'),
    });
    try {
      expect(findApplicationSets(root).map(a => a.metadata.name)).toEqual([
        'a',
        'b',
      ]);
    } finally {
      removeTempRepo(root);
    }
  });
});
