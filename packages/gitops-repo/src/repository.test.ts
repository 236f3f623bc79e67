import fs from 'fs';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  expandApplicationSet,
  findApplicationSets,
  GeneratedApplication,
  parseManifests,
  readApplicationSource,
} from './index';
import { listGeneratorFiles, matchesGeneratorPattern } from './generator';
import { createModelLoader } from './testing/kubernetesModels';

/**
 * Checks the real GitOps repository content under K8s/ (and the root catalog-info.yaml)
 * against the schemas and the conventions of /work/shared/DESIGN.md.
 */

const repoRoot = path.resolve(__dirname, '../../..');
const modelFor = createModelLoader(__dirname);
const k8sRoot = path.join(repoRoot, 'K8s');

const STACKS = [
  'infrastructure',
  'policies',
  'observability',
  'security',
  'cicd',
  'events',
  'portal',
];
const NOT_MANIFESTS = new Set([
  'catalog-info.yaml',
  'kustomization.yaml',
  'values.yaml',
  // a component's TechDocs site (its docs/ beside it), not Kubernetes
  'mkdocs.yml',
]);
const GOVERNANCE_LABELS = [
  'app.kubernetes.io/part-of',
  'owner',
  'business-unit',
  'environment',
];
const WORKLOAD_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'owner',
  'business-unit',
  'environment',
  'backstage.io/kubernetes-id',
];
const PRIORITY_CLASSES: Record<string, number> = {
  'platform-infrastructure': 1_000_000,
  'platform-events': 200_000,
  'platform-policy': 100_000,
  'platform-security': 12_000,
  'platform-observability': 10_000,
  'platform-cicd': 7_500,
  'platform-dashboards': 5_000,
  'user-workloads': 3_000,
  'cicd-execution': 2_500,
  'unclassified-workload': 0,
};
/** Component → [stack, namespace, tier, PriorityClass] as the design assigns them. */
const COMPONENTS: Record<string, [string, string, number, string]> = {
  argocd: ['infrastructure', 'argocd', 2, 'platform-infrastructure'],
  cilium: ['infrastructure', 'kube-system', 1, 'platform-infrastructure'],
  'cert-manager': [
    'infrastructure',
    'cert-manager',
    2,
    'platform-infrastructure',
  ],
  kyverno: ['policies', 'kyverno', 2, 'platform-policy'],
  'policy-reporter': ['policies', 'policy-reporter', 3, 'platform-policy'],
  prometheus: ['observability', 'monitoring', 2, 'platform-observability'],
  grafana: ['observability', 'monitoring', 3, 'platform-dashboards'],
  loki: ['observability', 'logging', 3, 'platform-observability'],
  'fluent-bit': ['observability', 'logging', 3, 'platform-observability'],
  vault: ['security', 'vault', 2, 'platform-security'],
  'external-secrets': ['security', 'external-secrets', 2, 'platform-security'],
  'argo-workflows': ['cicd', 'argo', 3, 'platform-cicd'],
  'argo-events': ['events', 'argo-events', 3, 'platform-events'],
  'idp-portal': ['portal', 'backstage', 3, 'platform-dashboards'],
};
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

type Json = Record<string, any>;

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap(e => {
      const abs = path.join(dir, e.name);
      return e.isDirectory()
        ? walk(abs)
        : [path.relative(repoRoot, abs).split(path.sep).join('/')];
    });
}

const appSets = findApplicationSets(repoRoot);
/**
 * Parameters files of git files generators (`K8s/apps/<team>/<service>/application.yaml`):
 * ApplicationSet input, not Kubernetes objects.
 */
const paramsFiles = new Set(
  appSets.flatMap(a =>
    ((a.spec as Json).generators as Json[]).flatMap(g =>
      ((g.git?.files ?? []) as Json[])
        .filter(f => f.exclude !== true)
        .flatMap(f => listGeneratorFiles(repoRoot, f.path)),
    ),
  ),
);
const yamlFiles = walk(k8sRoot).filter(f => /\.ya?ml$/.test(f));
const manifestFiles = yamlFiles.filter(
  f => !NOT_MANIFESTS.has(path.posix.basename(f)) && !paramsFiles.has(f),
);
const catalogFiles = [
  'catalog-info.yaml',
  ...yamlFiles.filter(f => f.endsWith('/catalog-info.yaml')),
];
const read = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');

const applications: GeneratedApplication[] = appSets.flatMap(a =>
  expandApplicationSet(a, repoRoot),
);
const appsByPath = new Map<string, GeneratedApplication>(
  applications.map(app => [(app.spec as Json).source.path as string, app]),
);
const componentDirs = STACKS.flatMap(stack =>
  fs
    .readdirSync(path.join(k8sRoot, stack), { withFileTypes: true })
    .filter(e => e.isDirectory())
    .map(e => `K8s/${stack}/${e.name}`),
);

function describeFailure(error: unknown): string {
  const e = error as Error & { errors?: unknown };
  return e.errors ? JSON.stringify(e.errors) : e.message;
}

describe('K8s manifests', () => {
  it('has manifest files to check', () => {
    expect(manifestFiles.length).toBeGreaterThan(30);
  });

  it.each(manifestFiles)('%s parses and validates against its schema', file => {
    const objects = parseManifests(read(file), file);
    expect(objects.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const object of objects) {
      const what = `${object.apiVersion} ${object.kind} ${object.metadata.name}`;
      const Model = modelFor(object.apiVersion, object.kind);
      if (!Model) {
        failures.push(
          `${what}: no kubernetes-models class for this apiVersion/kind`,
        );
        continue;
      }
      try {
        new Model(object).validate();
      } catch (error) {
        failures.push(`${what}: ${describeFailure(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects an unknown apiVersion/kind instead of skipping it', () => {
    expect(modelFor('cert-manager.io/v1', 'ClusterIssuer')).toBeUndefined();
    expect(modelFor('apps/v1', 'Deploymnet')).toBeUndefined();
    expect(modelFor('apps/v1', 'Deployment')).toBeDefined();
  });

  it('every Namespace carries the governance labels', () => {
    const namespaces = manifestFiles
      .flatMap(f => parseManifests(read(f), f))
      .filter(o => o.kind === 'Namespace');
    expect(namespaces.length).toBeGreaterThan(0);
    for (const ns of namespaces) {
      for (const label of GOVERNANCE_LABELS) {
        expect([ns.metadata.name, ns.metadata.labels?.[label]]).toEqual([
          ns.metadata.name,
          expect.stringMatching(/.+/),
        ]);
      }
    }
  });

  it('defines the PriorityClasses of the design with their exact values', () => {
    const file = 'K8s/infrastructure/priority-classes/priorityclasses.yaml';
    const classes = parseManifests(read(file), file);
    expect(
      Object.fromEntries(classes.map(pc => [pc.metadata.name, pc.value])),
    ).toEqual(PRIORITY_CLASSES);
    expect(
      classes
        .filter(pc => pc.globalDefault === true)
        .map(pc => pc.metadata.name),
    ).toEqual(['unclassified-workload']);
  });

  it('declares the platform ClusterPolicies with their metadata', () => {
    const source = readApplicationSource(
      repoRoot,
      'K8s/policies/kyverno-policies',
    );
    const policies = source.objects.filter(o => o.kind === 'ClusterPolicy');
    const actions = Object.fromEntries(
      policies.map(p => [
        p.metadata.name,
        (p.spec as Json).validationFailureAction,
      ]),
    );
    expect(actions).toEqual({
      'require-namespace-labels': 'Enforce',
      'require-workload-labels': 'Audit',
      'disallow-privileged-containers': 'Enforce',
      'require-requests-limits': 'Audit',
      'disallow-latest-tag': 'Enforce',
    });
    for (const policy of policies) {
      expect((policy.spec as Json).background).toBe(true);
      for (const key of ['title', 'category', 'severity', 'description']) {
        expect(
          policy.metadata.annotations?.[`policies.kyverno.io/${key}`],
        ).toBeTruthy();
      }
    }
  });
});

describe('K8s ApplicationSets and sources', () => {
  it('has one ApplicationSet per stack plus teams and apps, each with its AppProject', () => {
    expect(appSets.map(a => a.metadata.name).sort()).toEqual(
      [...STACKS, 'teams', 'apps'].sort(),
    );
    const projects = yamlFiles
      .filter(f => /\/appproject-[^/]+\.yaml$/.test(f))
      .flatMap(f => parseManifests(read(f), f));
    for (const appSet of appSets) {
      expect(appSet.metadata.namespace).toBe('argocd');
      const spec = appSet.spec as Json;
      expect(spec.goTemplate).toBe(true);
      const project = projects.find(
        p => p.metadata.name === spec.template.spec.project,
      );
      expect(project?.metadata.namespace).toBe('argocd');
    }
  });

  it('generates exactly one Application per stack directory, named <stack>-<directory>', () => {
    for (const dir of componentDirs) {
      const [, stack, name] = dir.split('/');
      const app = appsByPath.get(dir);
      expect([dir, app?.metadata.name]).toEqual([dir, `${stack}-${name}`]);
      expect((app?.spec as Json).project).toBe(stack);
      expect((app?.spec as Json).syncPolicy.automated).toEqual({
        prune: true,
        selfHeal: true,
      });
    }
    // plus one per onboarded team (K8s/teams/<team>/) and one per service parameters file
    // (K8s/apps/<team>/<service>/application.yaml), which the templates add over time
    const teamDirs = fs
      .readdirSync(path.join(k8sRoot, 'teams'), { withFileTypes: true })
      .filter(e => e.isDirectory());
    expect(applications.length).toBe(
      componentDirs.length + teamDirs.length + paramsFiles.size,
    );
  });

  it.each(componentDirs)(
    '%s is a kustomization whose sources all exist',
    dir => {
      const abs = path.join(repoRoot, dir);
      expect(fs.existsSync(path.join(abs, 'kustomization.yaml'))).toBe(true);
      const source = readApplicationSource(repoRoot, dir);
      expect(source.objects.length + source.seedObjects.length).toBeGreaterThan(
        0,
      );

      const kustomization = parseYaml(
        read(`${dir}/kustomization.yaml`),
      ) as Json;
      const listed = new Set<string>(kustomization.resources ?? []);
      const unlisted = fs
        .readdirSync(abs)
        .filter(
          f =>
            /\.ya?ml$/.test(f) &&
            !NOT_MANIFESTS.has(f) &&
            !paramsFiles.has(`${dir}/${f}`) &&
            f !== 'sandbox-seed.yaml',
        )
        .filter(f => !listed.has(f));
      expect(unlisted).toEqual([]);
      // a chart comes with values.yaml and a non-empty seed; a plain directory has neither
      const hasCharts = source.helmCharts.length > 0;
      expect({
        valuesYaml: fs.existsSync(path.join(abs, 'values.yaml')),
        seedYaml: fs.existsSync(path.join(abs, 'sandbox-seed.yaml')),
        seedObjects: source.seedObjects.length > 0,
        valuesFiles: ((kustomization.helmCharts ?? []) as Json[]).map(
          c => c.valuesFile,
        ),
        versions: source.helmCharts.map(c =>
          /^v?\d+\.\d+\.\d+$/.test(c.version ?? ''),
        ),
      }).toEqual({
        valuesYaml: hasCharts,
        seedYaml: hasCharts,
        seedObjects: hasCharts,
        valuesFiles: source.helmCharts.map(() => 'values.yaml'),
        versions: source.helmCharts.map(() => true),
      });
      const app = appsByPath.get(dir)!;
      const Model = modelFor(app.apiVersion, app.kind)!;
      expect(() => new Model(app).validate()).not.toThrow();
    },
  );

  it('generates one Application per service parameters file, with valid Image Updater settings', () => {
    const serviceDirs = fs
      .readdirSync(path.join(k8sRoot, 'apps'), { withFileTypes: true })
      .filter(e => e.isDirectory())
      .flatMap(team =>
        fs
          .readdirSync(path.join(k8sRoot, 'apps', team.name), {
            withFileTypes: true,
          })
          .filter(e => e.isDirectory())
          .map(e => `K8s/apps/${team.name}/${e.name}`),
      );
    const problems: string[] = [];
    for (const dir of serviceDirs) {
      const file = `${dir}/application.yaml`;
      if (!paramsFiles.has(file)) {
        problems.push(`${dir}: no application.yaml, so no Application`);
        continue;
      }
      // a Directory-type Application would apply the parameters file as a manifest
      if (!fs.existsSync(path.join(repoRoot, dir, 'kustomization.yaml'))) {
        problems.push(`${dir}: no kustomization.yaml`);
      }
      const params = parseYaml(read(file)) as Json;
      const updater = (params?.imageUpdater ?? {}) as Json;
      const { imageList, updateStrategy, allowTags } = updater;
      if (typeof imageList !== 'string') problems.push(`${file}: imageList`);
      if (!['semver', 'newest-build'].includes(updateStrategy))
        problems.push(`${file}: updateStrategy ${updateStrategy}`);
      if (allowTags !== 'any' && !/^regexp:.+/.test(allowTags ?? ''))
        problems.push(`${file}: allowTags ${allowTags}`);
      const app = appsByPath.get(dir);
      if (app?.metadata.name !== dir.split('/').slice(2).join('-'))
        problems.push(`${dir}: Application ${app?.metadata.name}`);
      else if (
        app.metadata.annotations?.[
          'argocd-image-updater.argoproj.io/image-list'
        ] !== imageList
      )
        problems.push(`${dir}: image-list annotation`);
    }
    expect(problems).toEqual([]);
    expect([...paramsFiles].sort()).toEqual(
      serviceDirs.map(d => `${d}/application.yaml`).sort(),
    );
  });

  it('governance namespaces are exactly the namespaces each stack uses', () => {
    for (const stack of STACKS) {
      const governance = readApplicationSource(
        repoRoot,
        `K8s/${stack}/governance`,
      ).objects;
      const declared = governance
        .filter(o => o.kind === 'Namespace')
        .map(o => o.metadata.name);
      const used = new Set<string>();
      for (const dir of componentDirs.filter(d =>
        d.startsWith(`K8s/${stack}/`),
      )) {
        const app = appsByPath.get(dir)!;
        const source = readApplicationSource(repoRoot, dir);
        const objects = [...source.objects, ...source.seedObjects];
        objects.forEach(
          o => o.metadata.namespace && used.add(o.metadata.namespace),
        );
        if (
          objects.some(
            o => o.metadata.namespace === undefined && o.kind !== 'Namespace',
          )
        ) {
          // cluster-scoped objects do not use the destination namespace
        }
        if (
          !dir.endsWith('/governance') &&
          !dir.endsWith('/priority-classes')
        ) {
          used.add((app.spec as Json).destination.namespace);
        }
      }
      expect([stack, declared.sort()]).toEqual([stack, [...used].sort()]);
      for (const ns of declared) {
        for (const kind of ['LimitRange', 'ResourceQuota']) {
          expect([
            stack,
            ns,
            kind,
            governance.some(
              o => o.kind === kind && o.metadata.namespace === ns,
            ),
          ]).toEqual([stack, ns, kind, true]);
        }
      }
    }
  });

  it('workloads follow the label, priority, resource and placement conventions', () => {
    let checked = 0;
    for (const [
      component,
      [stack, namespace, tier, priorityClass],
    ] of Object.entries(COMPONENTS)) {
      const source = readApplicationSource(
        repoRoot,
        `K8s/${stack}/${component}`,
      );
      const workloads = [...source.objects, ...source.seedObjects].filter(o =>
        WORKLOAD_KINDS.has(o.kind),
      );
      expect([component, workloads.length > 0]).toEqual([component, true]);
      for (const w of workloads) {
        checked++;
        const id = `${component}: ${w.kind} ${w.metadata.name}`;
        const pod = (w.spec as Json).template as Json;
        const problems: string[] = [];
        if (w.metadata.namespace !== namespace)
          problems.push(`namespace ${w.metadata.namespace}`);
        for (const labels of [
          w.metadata.labels ?? {},
          pod.metadata?.labels ?? {},
        ]) {
          for (const label of WORKLOAD_LABELS) {
            if (!labels[label]) problems.push(`missing label ${label}`);
          }
          if (labels['backstage.io/kubernetes-id'] !== component)
            problems.push('kubernetes-id');
        }
        const spec = pod.spec as Json;
        if (spec.priorityClassName !== priorityClass) {
          problems.push(`priorityClassName ${spec.priorityClassName}`);
        }
        for (const c of spec.containers as Json[]) {
          const r = c.resources ?? {};
          if (
            !r.requests?.cpu ||
            !r.requests?.memory ||
            !r.limits?.cpu ||
            !r.limits?.memory
          ) {
            problems.push(`${c.name}: requests/limits`);
          }
          if (!/:[^/]+$/.test(c.image) || c.image.endsWith(':latest')) {
            problems.push(`${c.name}: image ${c.image} not pinned`);
          }
          if (c.securityContext?.privileged === true)
            problems.push(`${c.name}: privileged`);
        }
        const tolerations = (spec.tolerations ?? []) as Json[];
        const toleratesAll = tolerations.some(
          t => t.operator === 'Exists' && !t.key,
        );
        const toleratesControlPlane =
          toleratesAll ||
          tolerations.some(
            t =>
              t.key === 'node-role.kubernetes.io/control-plane' &&
              t.effect === 'NoSchedule',
          );
        const prefersInfra = JSON.stringify(
          spec.affinity?.nodeAffinity
            ?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
        ).includes('"infra"');
        if (w.kind === 'DaemonSet') {
          if (!toleratesAll)
            problems.push('DaemonSet must tolerate every taint');
        } else if (tier <= 2) {
          if (!toleratesControlPlane)
            problems.push('tier 1/2 must tolerate the control plane');
          if (!prefersInfra) problems.push('tier 1/2 must prefer role=infra');
        } else if (spec.nodeSelector?.role !== 'infra' && !prefersInfra) {
          problems.push('must select role=infra');
        }
        expect([id, problems]).toEqual([id, []]);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('catalog entities', () => {
  const policy = EntityPolicies.allOf([
    new DefaultNamespaceEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new FieldFormatEntityPolicy(),
    new SchemaValidEntityPolicy(),
  ]);
  const kindValidators = [
    componentEntityV1alpha1Validator,
    domainEntityV1alpha1Validator,
    groupEntityV1alpha1Validator,
    locationEntityV1alpha1Validator,
    resourceEntityV1alpha1Validator,
    systemEntityV1alpha1Validator,
    userEntityV1alpha1Validator,
  ];
  const entries = catalogFiles.flatMap(file =>
    parseManifests(read(file), file).map(entity => ({
      file,
      entity: entity as unknown as Entity,
    })),
  );
  const refs = new Set(entries.map(e => stringifyEntityRef(e.entity)));
  // The Groups of onboarded teams and the Components of their services, which the portal's
  // templates commit; the catalog follows them on the GitOps remote (catalog-backend-module-gitops),
  // not through the Location, so both never emit the same entity.
  const TEMPLATE_CATALOG_FILES = [
    'K8s/teams/*/catalog-info.yaml',
    'K8s/apps/*/*/catalog-info.yaml',
  ];
  const isTemplateOutput = (file: string) =>
    TEMPLATE_CATALOG_FILES.some(p => matchesGeneratorPattern(file, p));
  const platformEntries = entries.filter(e => !isTemplateOutput(e.file));
  const templateEntries = entries.filter(e => isTemplateOutput(e.file));
  const exists = (ref: string, defaultKind: string) =>
    refs.has(
      stringifyEntityRef(
        parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
      ),
    );

  it.each(catalogFiles)('%s holds valid entities', async file => {
    const entities = entries.filter(e => e.file === file);
    expect(entities.length).toBeGreaterThan(0);
    for (const { entity } of entities) {
      const enforced = await policy.enforce(JSON.parse(JSON.stringify(entity)));
      expect(enforced).toBeDefined();
      const results = await Promise.all(
        kindValidators.map(v => v.check(entity)),
      );
      expect([
        stringifyEntityRef(entity),
        results.filter(Boolean).length,
      ]).toEqual([stringifyEntityRef(entity), 1]);
    }
  });

  it('has no duplicate entities', () => {
    expect(refs.size).toBe(entries.length);
  });

  it('points every argocd/app-name at the Application generated for the entity directory', () => {
    const annotated = platformEntries.filter(
      e => e.entity.metadata.annotations?.['argocd/app-name'],
    );
    // every platform component and resource, plus the portal's own entity at the root
    expect(annotated.length).toBe(
      componentDirs.filter(d => !d.endsWith('/governance')).length,
    );
    for (const { file, entity } of annotated) {
      const dir =
        file === 'catalog-info.yaml'
          ? 'K8s/portal/idp-portal'
          : path.posix.dirname(file);
      const app = appsByPath.get(dir);
      const annotations = entity.metadata.annotations!;
      expect([file, annotations['argocd/app-name']]).toEqual([
        file,
        app?.metadata.name,
      ]);
    }
  });

  it('gives every Component the kubernetes, namespace, tier and system of the design', () => {
    const components = platformEntries.filter(
      e => e.entity.kind === 'Component',
    );
    for (const { file, entity } of components) {
      const [stack, namespace, tier] = COMPONENTS[entity.metadata.name];
      const dir =
        file === 'catalog-info.yaml'
          ? 'K8s/portal/idp-portal'
          : path.posix.dirname(file);
      const destination = (appsByPath.get(dir)?.spec as Json).destination
        .namespace;
      expect({
        file,
        namespace:
          entity.metadata.annotations?.['backstage.io/kubernetes-namespace'],
        id: entity.metadata.annotations?.['backstage.io/kubernetes-id'],
        tier: entity.metadata.annotations?.['idp.platform/tier'],
        spec: entity.spec,
      }).toEqual({
        file,
        namespace: destination,
        id: entity.metadata.name,
        tier: String(tier),
        spec: expect.objectContaining({
          type: 'service',
          lifecycle: 'production',
          owner: 'group:platform-team',
          system: `platform-${stack}`,
        }),
      });
      expect([entity.metadata.name, destination]).toEqual([
        entity.metadata.name,
        namespace,
      ]);
    }
    expect(
      platformEntries
        .filter(e => e.entity.kind === 'Component')
        .map(e => e.entity.metadata.name)
        .sort(),
    ).toEqual(Object.keys(COMPONENTS).sort());
  });

  it("deploys every team service's Component where its catalog entry says", () => {
    for (const { file, entity } of templateEntries) {
      if (entity.kind !== 'Component') continue;
      const app = appsByPath.get(path.posix.dirname(file));
      const annotations = entity.metadata.annotations ?? {};
      expect({
        file,
        app: annotations['argocd/app-name'],
        namespace: annotations['backstage.io/kubernetes-namespace'],
      }).toEqual({
        file,
        app: app?.metadata.name,
        namespace: (app?.spec as Json | undefined)?.destination.namespace,
      });
    }
  });

  it('references only entities that exist', () => {
    const missing: string[] = [];
    const check = (from: string, ref: unknown, kind: string) => {
      if (typeof ref === 'string' && !exists(ref, kind))
        missing.push(`${from} -> ${ref}`);
    };
    for (const { entity } of entries) {
      const from = stringifyEntityRef(entity);
      const spec = (entity.spec ?? {}) as Json;
      check(from, spec.owner, 'Group');
      check(from, spec.system, 'System');
      check(from, spec.domain, 'Domain');
      check(from, spec.parent, 'Group');
      for (const ref of spec.memberOf ?? []) check(from, ref, 'Group');
      for (const ref of spec.children ?? []) check(from, ref, 'Group');
      for (const ref of spec.dependsOn ?? []) check(from, ref, 'Component');
    }
    expect(missing).toEqual([]);
  });

  it('loads every entity file through the idp-portal-gitops Location', () => {
    const location = entries.find(e => e.entity.kind === 'Location')!.entity;
    expect(location.metadata.name).toBe('idp-portal-gitops');
    const targets = (location.spec as Json).targets as string[];
    const covered = (f: string) =>
      targets.some(t => matchesGeneratorPattern(f, t.replace(/^\.\//, '')));
    const platformFiles = catalogFiles.filter(
      f => f !== 'catalog-info.yaml' && !isTemplateOutput(f),
    );
    expect(platformFiles.filter(f => !covered(f))).toEqual([]);
    // a target that matches no file fails the whole Location (the templates ship beside K8s/)
    const templateFiles = fs
      .readdirSync(path.join(repoRoot, 'templates'))
      .map(name => `templates/${name}/template.yaml`)
      .filter(f => fs.existsSync(path.join(repoRoot, f)));
    expect(templateFiles.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect([
        target,
        [...platformFiles, ...templateFiles].some(f =>
          matchesGeneratorPattern(f, target.replace(/^\.\//, '')),
        ),
      ]).toEqual([target, true]);
    }
    // what the templates write is the GitOps provider's, even once it is in this repository
    for (const pattern of TEMPLATE_CATALOG_FILES) {
      const example = pattern.replace(/\*/g, 'example');
      expect([example, covered(example)]).toEqual([example, false]);
    }
    expect(
      fs.existsSync(path.join(k8sRoot, 'portal/idp-portal/catalog-info.yaml')),
    ).toBe(false);
  });

  it('defines each application team once, by its onboarding, with services of tiers 3 and 4', () => {
    // the first-run world (plugins/scaffolder-backend-module-gitops/src/firstRun): the guest's
    // team must be onboarded on a fresh clone, so the catalog Group comes from K8s/teams only
    for (const team of ['team-storefront', 'team-payments']) {
      const groups = entries.filter(
        e => e.entity.kind === 'Group' && e.entity.metadata.name === team,
      );
      expect([team, groups.map(g => g.file)]).toEqual([
        team,
        [`K8s/teams/${team}/catalog-info.yaml`],
      ]);
      const namespace = parseManifests(
        read(`K8s/teams/${team}/namespace.yaml`),
        team,
      )[0];
      expect([team, namespace.kind, namespace.metadata.name]).toEqual([
        team,
        'Namespace',
        team,
      ]);
      const services = templateEntries.filter(
        e =>
          e.entity.kind === 'Component' &&
          (e.entity.spec as Json).owner === `group:default/${team}`,
      );
      expect([team, services.length >= 2]).toEqual([team, true]);
      for (const { file } of services) {
        expect(file.startsWith(`K8s/apps/${team}/`)).toBe(true);
      }
    }
    const tiers = templateEntries
      .filter(e => e.entity.kind === 'Component')
      .map(e => e.entity.metadata.annotations?.['idp.platform/tier']);
    expect(new Set(tiers)).toEqual(new Set(['3', '4']));
  });

  it('has the organisation the portal signs people in as', () => {
    const byRef = new Map(
      entries.map(e => [stringifyEntityRef(e.entity), e.entity]),
    );
    const guest = byRef.get('user:default/guest');
    expect(guest?.spec).toMatchObject({
      profile: { displayName: 'Guest Developer', email: 'guest@example.com' },
      memberOf: ['team-storefront'],
    });
    expect(byRef.get('group:default/engineering')?.spec).toMatchObject({
      type: 'department',
      children: expect.arrayContaining([
        'platform-team',
        'team-storefront',
        'team-payments',
      ]),
    });
    for (const team of ['platform-team', 'team-storefront', 'team-payments']) {
      expect(byRef.get(`group:default/${team}`)?.spec?.type).toBe('team');
      const members = entries.filter(
        e =>
          e.entity.kind === 'User' &&
          e.entity.metadata.name !== 'guest' &&
          ((e.entity.spec as Json).memberOf as string[]).includes(team),
      );
      expect([team, members.length >= 2]).toEqual([team, true]);
    }
  });
});
