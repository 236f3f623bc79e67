import fs from 'fs';
import { resolve } from 'path';
import { expandApplicationSet, findApplicationSets } from './applicationSet';
import { parseManifests } from './parse';
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

function filesGenerator(
  files: Array<{ path: string; exclude?: boolean }>,
  extra = {},
) {
  return { git: { repoURL: REPO, revision: 'HEAD', files, ...extra } };
}

describe('expandApplicationSet with a git files generator', () => {
  let root: string;
  beforeAll(() => {
    root = createTempRepo({
      'K8s/apps/storefront/web/application.yaml': [
        'imageUpdater:',
        '  imageList: app=ghcr.io/acme/web:^1.2',
        '  updateStrategy: semver',
        '  allowTags: any',
        'replicas: 3',
        'enabled: true',
        'path: ignored',
        '',
      ].join('\n'),
      'K8s/apps/storefront/web/kustomization.yaml': 'resources: []\n',
      'K8s/apps/payments/Fast_API/application.yaml': [
        'imageUpdater:',
        "  imageList: ''",
        '  updateStrategy: semver',
        '  allowTags: any',
        'replicas: 1',
        'enabled: false',
        '',
      ].join('\n'),
      // a directory without a parameters file generates nothing
      'K8s/apps/payments/bare/kustomization.yaml': 'resources: []\n',
    });
  });
  afterAll(() => removeTempRepo(root));

  const expand = (
    goTemplate: boolean,
    fields: Record<string, string>,
    generator: unknown = filesGenerator([
      { path: 'K8s/apps/*/*/application.yaml' },
    ]),
  ) =>
    expandApplicationSet(
      appSet({
        goTemplate,
        goTemplateOptions: ['missingkey=error'],
        generators: [generator],
        template: {
          metadata: { name: fields.name, annotations: fields },
          spec: {},
        },
      }),
      root,
    ).map(a => a.metadata.annotations);

  it.each<{
    form: string;
    goTemplate: boolean;
    fields: Record<string, string>;
    expected: Array<Record<string, string>>;
  }>([
    {
      form: 'goTemplate nested keys of the file',
      goTemplate: true,
      fields: {
        name: '{{index .path.segments 2}}-{{.path.basenameNormalized}}',
        list: '{{.imageUpdater.imageList}}',
        strategy: '{{ .imageUpdater.updateStrategy }}',
        tags: '{{index .imageUpdater "allowTags"}}',
        scalars: '{{.replicas}}/{{.enabled}}',
      },
      expected: [
        {
          name: 'payments-fast-api',
          list: '',
          strategy: 'semver',
          tags: 'any',
          scalars: '1/false',
        },
        {
          name: 'storefront-web',
          list: 'app=ghcr.io/acme/web:^1.2',
          strategy: 'semver',
          tags: 'any',
          scalars: '3/true',
        },
      ],
    },
    {
      form: 'goTemplate path parameters of the file (a path key in the file is shadowed)',
      goTemplate: true,
      fields: {
        name: '{{.path.basename}}',
        path: '{{.path.path}}',
        file: '{{.path.filename}}|{{.path.filenameNormalized}}',
        segments: '{{index .path.segments 0}}/{{index .path.segments 3}}',
      },
      expected: [
        {
          name: 'Fast_API',
          path: 'K8s/apps/payments/Fast_API',
          file: 'application.yaml|application.yaml',
          segments: 'K8s/Fast_API',
        },
        {
          name: 'web',
          path: 'K8s/apps/storefront/web',
          file: 'application.yaml|application.yaml',
          segments: 'K8s/web',
        },
      ],
    },
    {
      form: 'fasttemplate with the file flattened with dots',
      goTemplate: false,
      fields: {
        name: '{{path[2]}}-{{path.basenameNormalized}}',
        list: '{{imageUpdater.imageList}}',
        path: '{{path}}/{{path.filename}}',
        other: '{{replicas}} {{imageUpdater}} {{unknown}}',
      },
      expected: [
        {
          name: 'payments-fast-api',
          list: '',
          path: 'K8s/apps/payments/Fast_API/application.yaml',
          other: '1 {{imageUpdater}} {{unknown}}',
        },
        {
          name: 'storefront-web',
          list: 'app=ghcr.io/acme/web:^1.2',
          path: 'K8s/apps/storefront/web/application.yaml',
          other: '3 {{imageUpdater}} {{unknown}}',
        },
      ],
    },
  ])('renders the $form', ({ goTemplate, fields, expected }) => {
    expect(expand(goTemplate, fields)).toEqual(expected);
  });

  it('honours exclude entries and generator values', () => {
    expect(
      expand(
        true,
        { name: '{{.path.basename}}-{{.values.cluster}}' },
        filesGenerator(
          [
            { path: 'K8s/apps/*/*/application.yaml' },
            { path: 'K8s/apps/payments/*/application.yaml', exclude: true },
          ],
          { values: { cluster: 'in-cluster' } },
        ),
      ),
    ).toEqual([{ name: 'web-in-cluster' }]);
  });

  it('uses the directories when a git generator has both, as ArgoCD does', () => {
    expect(
      expand(
        true,
        { name: '{{.path.basename}}' },
        {
          git: {
            repoURL: REPO,
            revision: 'HEAD',
            directories: [{ path: 'K8s/apps/payments/*' }],
            files: [{ path: 'K8s/apps/*/*/application.yaml' }],
          },
        },
      ),
    ).toEqual([{ name: 'Fast_API' }, { name: 'bare' }]);
  });

  it.each([
    {
      what: 'a list of mappings as one Application per element',
      content: '- name: one\n- name: two\n',
      expected: [{ name: 'one' }, { name: 'two' }],
    },
    {
      what: 'JSON',
      content: '{"name": "from-json"}',
      expected: [{ name: 'from-json' }],
    },
    {
      what: 'an empty file as the path parameters only',
      content: '',
      expected: [{ name: 'x' }],
      template: '{{.path.basename}}',
    },
  ])('reads $what', ({ content, expected, template }) => {
    const repo = createTempRepo({ 'K8s/s/x/params.yaml': content });
    try {
      expect(
        expandApplicationSet(
          appSet({
            goTemplate: true,
            generators: [filesGenerator([{ path: 'K8s/s/*/params.yaml' }])],
            template: { metadata: { name: template ?? '{{.name}}' }, spec: {} },
          }),
          repo,
        ).map(a => a.metadata),
      ).toEqual(expected.map(m => ({ ...m, namespace: 'argocd' })));
    } finally {
      removeTempRepo(repo);
    }
  });

  it.each([
    [
      'invalid YAML, naming the file and line',
      'a: 1\nb: [unclosed\n',
      /^ApplicationSet test: unable to process file 'K8s\/s\/x\/params.yaml:\d+': /,
    ],
    [
      'a scalar',
      'just text\n',
      "ApplicationSet test: unable to process file 'K8s/s/x/params.yaml': not a mapping or a list of mappings",
    ],
    ['a list of scalars', '- a\n- b\n', /not a mapping or a list of mappings/],
    [
      'a file without a key the template uses (missingkey=error)',
      'other: 1\n',
      'ApplicationSet test: template: no value for .imageUpdater.imageList (K8s/s/x/params.yaml)',
    ],
    [
      'a key whose value is not a scalar',
      'imageUpdater:\n  imageList: [a]\n',
      /\{\{\.imageUpdater\.imageList\}\} is not a scalar \(K8s\/s\/x\/params.yaml\)/,
    ],
  ])('throws for %s', (_what, content, error) => {
    const repo = createTempRepo({
      'K8s/s/x/params.yaml': content,
      'K8s/s/y/params.yaml': 'imageUpdater:\n  imageList: fine\n',
    });
    try {
      expect(() =>
        expandApplicationSet(
          appSet({
            goTemplate: true,
            goTemplateOptions: ['missingkey=error'],
            generators: [filesGenerator([{ path: 'K8s/s/*/params.yaml' }])],
            template: {
              metadata: {
                name: '{{.path.basename}}',
                annotations: { list: '{{.imageUpdater.imageList}}' },
              },
              spec: {},
            },
          }),
          repo,
        ),
      ).toThrow(error);
    } finally {
      removeTempRepo(repo);
    }
  });

  it('throws for a pathParamPrefix instead of generating wrong names', () => {
    expect(() =>
      expand(
        true,
        { name: '{{.path.basename}}' },
        filesGenerator([{ path: 'K8s/apps/*/*/application.yaml' }], {
          pathParamPrefix: 'p',
        }),
      ),
    ).toThrow(/pathParamPrefix is not supported/);
  });
});

describe('the apps ApplicationSet of the repository', () => {
  const file = 'K8s/apps/applicationset-apps.yaml';
  const [apps] = parseManifests(
    fs.readFileSync(resolve(__dirname, '../../..', file), 'utf8'),
    file,
  );

  it('generates <team>-<service> with the Image Updater annotations of each parameters file', () => {
    const params = (imageList: string, strategy: string, allowTags: string) =>
      `imageUpdater:\n  imageList: '${imageList}'\n  updateStrategy: ${strategy}\n  allowTags: '${allowTags}'\n`;
    const root = createTempRepo({
      'K8s/apps/payments/api/application.yaml': params('', 'semver', 'any'),
      'K8s/apps/payments/web/application.yaml': params(
        'app=ghcr.io/acme/web:^1.2',
        'semver',
        'any',
      ),
      'K8s/apps/storefront/cart/application.yaml': params(
        'app=ghcr.io/acme/cart',
        'newest-build',
        'regexp:^main-[0-9a-f]{7}$',
      ),
      // no parameters file: not (yet) a service
      'K8s/apps/storefront/draft/deployment.yaml': 'kind: Deployment\n',
    });
    try {
      const generated = expandApplicationSet(apps, root);
      expect(
        generated.map(a => [
          a.metadata.name,
          a.metadata.labels,
          (a.spec as any).source.path,
          (a.spec as any).destination.namespace,
        ]),
      ).toEqual([
        [
          'payments-api',
          {
            'app.kubernetes.io/part-of': 'platform-apps',
            'idp.platform/team': 'payments',
            'idp.platform/service': 'api',
          },
          'K8s/apps/payments/api',
          'payments',
        ],
        [
          'payments-web',
          expect.objectContaining({ 'idp.platform/service': 'web' }),
          'K8s/apps/payments/web',
          'payments',
        ],
        [
          'storefront-cart',
          expect.objectContaining({ 'idp.platform/team': 'storefront' }),
          'K8s/apps/storefront/cart',
          'storefront',
        ],
      ]);
      const prefix = 'argocd-image-updater.argoproj.io';
      expect(generated.map(a => a.metadata.annotations)).toEqual([
        {
          [`${prefix}/image-list`]: '',
          [`${prefix}/app.update-strategy`]: 'semver',
          [`${prefix}/app.allow-tags`]: 'any',
          [`${prefix}/write-back-method`]: 'argocd',
        },
        {
          [`${prefix}/image-list`]: 'app=ghcr.io/acme/web:^1.2',
          [`${prefix}/app.update-strategy`]: 'semver',
          [`${prefix}/app.allow-tags`]: 'any',
          [`${prefix}/write-back-method`]: 'argocd',
        },
        {
          [`${prefix}/image-list`]: 'app=ghcr.io/acme/cart',
          [`${prefix}/app.update-strategy`]: 'newest-build',
          [`${prefix}/app.allow-tags`]: 'regexp:^main-[0-9a-f]{7}$',
          [`${prefix}/write-back-method`]: 'argocd',
        },
      ]);
    } finally {
      removeTempRepo(root);
    }
  });

  it('fails, naming the file, when a parameters file lacks a key', () => {
    const root = createTempRepo({
      'K8s/apps/payments/api/application.yaml':
        'imageUpdater:\n  imageList: x\n  updateStrategy: semver\n',
    });
    try {
      expect(() => expandApplicationSet(apps, root)).toThrow(
        'ApplicationSet apps: template: no value for .imageUpdater.allowTags (K8s/apps/payments/api/application.yaml)',
      );
    } finally {
      removeTempRepo(root);
    }
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
