import type { KubernetesObject } from '@internal/kube-model';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ClusterSimulator } from '../cluster/ClusterSimulator';
import { GitRemote } from '../git/GitRemote';
import { tempDir, TestClone, writeTree } from '../git/__testUtils__/testRepo';
import { ClusterStore } from '../store/ClusterStore';
import {
  appParams,
  gitopsTree,
  namespace,
  service,
  serviceDir,
} from './__testUtils__/gitopsFixture';
import { Reconciler } from './Reconciler';

type AppStatus = {
  sync: { status: string; revision: string };
  health: { status: string };
  history: Array<{ id: number; revision: string }>;
  operationState: {
    phase: string;
    message: string;
    syncResult: { revision: string };
  };
  conditions?: Array<{ type: string; message: string }>;
  resources: Array<{
    kind: string;
    name: string;
    status: string;
    health?: { status: string };
  }>;
  sourceType: string;
  summary: { images: string[] };
};

class RecordingLogger {
  readonly lines: string[] = [];
  info = (m: string) => this.lines.push(`info ${m}`);
  warn = (m: string) => this.lines.push(`warn ${m}`);
  error = (m: string) => this.lines.push(`error ${m}`);
}

describe('Reconciler', () => {
  let tmp: { dir: string; cleanup: () => void };
  let store: ClusterStore;
  let simulator: ClusterSimulator;
  let reconciler: Reconciler;
  let logger: RecordingLogger;
  let remotePath: string;
  let clone: TestClone;

  beforeEach(async () => {
    tmp = tempDir('idp-sandbox-reconciler-');
    writeTree(path.join(tmp.dir, 'seed'), gitopsTree());
    remotePath = path.join(tmp.dir, 'remote.git');
    const git = new GitRemote({
      remoteUrl: pathToFileURL(remotePath).href,
      workDir: path.join(tmp.dir, 'checkout'),
      seedFrom: path.join(tmp.dir, 'seed'),
    });
    await git.ensureRemote();
    store = new ClusterStore();
    logger = new RecordingLogger();
    simulator = new ClusterSimulator({ store });
    simulator.createDefaultTopology();
    reconciler = new Reconciler({
      store,
      git,
      simulator,
      intervalMs: 60_000,
      reportApiGroups: ['wgpolicyk8s.io', 'openreports.io'],
      logger,
    });
    clone = await TestClone.of(remotePath);
  });

  afterEach(async () => {
    await reconciler.stop();
    clone.remove();
    tmp.cleanup();
  });

  const app = (name: string) =>
    store.get({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      namespace: 'argocd',
      name,
    });
  const appStatus = (name: string) => app(name)?.status as AppStatus;
  const podsIn = (ns: string) => store.list({ kind: 'Pod', namespace: ns });
  const phase = (pod: KubernetesObject) =>
    (pod.status as { phase: string }).phase;
  const headOf = async () =>
    (await reconciler.reconcileNow()).lastSyncedRevision!;

  it('expands ApplicationSets into synced, healthy Applications with running pods in one pass', async () => {
    const status = await reconciler.reconcileNow();
    expect(status).toMatchObject({
      applications: 3,
      lastSyncedRevision: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(status.error).toBeUndefined();

    expect(
      store.list({ kind: 'ApplicationSet' }).map(a => a.metadata.name),
    ).toEqual(['apps', 'platform']);
    expect(
      store
        .list({ kind: 'AppProject', namespace: 'argocd' })
        .map(a => a.metadata.name),
    ).toEqual(['apps', 'platform']);
    expect(
      store
        .list({ kind: 'Application', namespace: 'argocd' })
        .map(a => a.metadata.name),
    ).toEqual(['platform-governance', 'platform-policies', 'team-a-api']);

    // the apps ApplicationSet's files generator copies application.yaml onto the Application
    expect(app('team-a-api')?.metadata.annotations).toEqual({
      'argocd-image-updater.argoproj.io/image-list':
        'app=registry.example.com/api:^1.0',
      'argocd-image-updater.argoproj.io/app.update-strategy': 'semver',
      'argocd-image-updater.argoproj.io/app.allow-tags': 'any',
      'argocd-image-updater.argoproj.io/write-back-method': 'argocd',
    });

    const api = appStatus('team-a-api');
    expect(api).toMatchObject({
      sync: { status: 'Synced', revision: status.lastSyncedRevision },
      health: { status: 'Healthy' },
      history: [{ id: 0, revision: status.lastSyncedRevision }],
      operationState: {
        phase: 'Succeeded',
        syncResult: { revision: status.lastSyncedRevision },
      },
      sourceType: 'Kustomize',
      summary: { images: ['registry.example.com/api:1.0.0'] },
    });
    expect(api.resources).toEqual([
      expect.objectContaining({
        kind: 'Service',
        name: 'api',
        status: 'Synced',
        health: { status: 'Healthy' },
      }),
      expect.objectContaining({
        kind: 'Deployment',
        name: 'api',
        status: 'Synced',
        health: { status: 'Healthy' },
      }),
    ]);
    expect(appStatus('platform-governance').sourceType).toBe('Directory');

    const deployment = store.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'team-a',
      name: 'api',
    })!;
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/instance': 'team-a-api',
    });
    const pods = podsIn('team-a');
    expect(pods).toHaveLength(2);
    expect(pods.every(p => phase(p) === 'Running')).toBe(true);
    expect(store.list({ kind: 'ClusterPolicy' })).toHaveLength(2);

    // a second pass over an unchanged repository writes nothing
    const version = store.resourceVersion;
    await reconciler.reconcileNow();
    expect(store.resourceVersion).toBe(version);
  });

  it('picks up a new service commit, records its real revision, then prunes it when removed', async () => {
    const seeded = await headOf();
    clone.write(serviceDir('team-a', 'svc', service('svc', { replicas: 1 })));
    const added = await clone.commitAndPush('Add team-a svc');

    const status = await reconciler.reconcileNow();
    expect(status).toMatchObject({
      lastSyncedRevision: added,
      applications: 4,
    });
    expect(appStatus('team-a-svc')).toMatchObject({
      sync: { status: 'Synced', revision: added },
      health: { status: 'Healthy' },
      history: [{ id: 0, revision: added }],
    });
    expect(
      podsIn('team-a')
        .filter(p => p.metadata.name.startsWith('svc-'))
        .map(phase),
    ).toEqual(['Running']);
    // the other service's revision is the commit that last changed its path
    expect(appStatus('team-a-api')).toMatchObject({
      sync: { revision: seeded },
      history: [{ revision: seeded }],
    });

    clone.write({
      'K8s/apps/team-a/svc/deployment.yaml': service('svc', {
        replicas: 1,
        image: 'registry.example.com/svc:1.1.0',
      }),
    });
    const bumped = await clone.commitAndPush('Bump svc');
    await reconciler.reconcileNow();
    expect(
      appStatus('team-a-svc').history.map(h => [h.id, h.revision]),
    ).toEqual([
      [0, added],
      [1, bumped],
    ]);

    clone.write({ 'K8s/apps/team-a/svc': null });
    await clone.commitAndPush('Remove team-a svc');
    expect(await reconciler.reconcileNow()).toMatchObject({ applications: 3 });
    expect(app('team-a-svc')).toBeUndefined();
    expect(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'svc',
      }),
    ).toBeUndefined();
    expect(
      store.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'team-a',
        name: 'svc',
      }),
    ).toBeUndefined();
    expect(
      podsIn('team-a').filter(p => p.metadata.name.startsWith('svc-')),
    ).toEqual([]);
    expect(podsIn('team-a')).toHaveLength(2);
  });

  it('prunes an object removed from an Application but keeps the Application', async () => {
    await reconciler.reconcileNow();
    clone.write({
      'K8s/apps/team-a/api/service.yaml': service('api').split('---')[0],
    });
    await clone.commitAndPush('Drop the api Service');
    await reconciler.reconcileNow();
    expect(
      store.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'team-a',
        name: 'api',
      }),
    ).toBeUndefined();
    expect(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'api',
      }),
    ).toBeDefined();
    expect(appStatus('team-a-api').sync.status).toBe('Synced');
  });

  it('isolates malformed YAML to its Application and recovers when fixed', async () => {
    await reconciler.reconcileNow();
    const apiDeployment = store.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'team-a',
      name: 'api',
    })!;
    clone.write({
      'K8s/apps/team-a/api/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: [broken\n',
      ...serviceDir('team-a', 'svc', service('svc', { replicas: 1 })),
    });
    await clone.commitAndPush('Break api, add svc');
    const status = await reconciler.reconcileNow();
    expect(status.error).toBeUndefined();

    const broken = appStatus('team-a-api');
    expect(broken.sync.status).toBe('Unknown');
    expect(broken.health.status).toBe('Unknown');
    expect(broken.conditions).toEqual([
      expect.objectContaining({
        type: 'ComparisonError',
        message: expect.stringMatching(
          /^Failed to load target state: .*K8s\/apps\/team-a\/api\/service\.yaml/,
        ),
      }),
    ]);
    expect(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'api',
      })?.metadata.resourceVersion,
    ).toBe(apiDeployment.metadata.resourceVersion);
    expect(appStatus('team-a-svc')).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(
      logger.lines.filter(l => l.startsWith('error Application team-a-api')),
    ).toHaveLength(1);
    await reconciler.reconcileNow();
    expect(
      logger.lines.filter(l => l.startsWith('error Application team-a-api')),
    ).toHaveLength(1);

    clone.write({ 'K8s/apps/team-a/api/service.yaml': service('api') });
    await clone.commitAndPush('Fix api');
    await reconciler.reconcileNow();
    expect(appStatus('team-a-api')).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(appStatus('team-a-api').conditions).toBeUndefined();
  });

  it('rejects an object that violates an Enforce policy and marks its Application OutOfSync', async () => {
    await reconciler.reconcileNow();
    clone.write({
      'K8s/platform/governance/namespaces.yaml': `${namespace(
        'platform-system',
      )}---${namespace('team-a')}---${namespace('team-b', false)}`,
    });
    await clone.commitAndPush('Add team-b without labels');
    await reconciler.reconcileNow();

    expect(
      store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team-b' }),
    ).toBeUndefined();
    const governance = appStatus('platform-governance');
    expect(governance.sync.status).toBe('OutOfSync');
    expect(governance.operationState.phase).toBe('Failed');
    const message = governance.operationState.message;
    expect(message).toContain('require-namespace-labels');
    expect(message).toContain('check-governance-labels');
    expect(message).toContain('Namespace//team-b');
    expect(message).toContain(
      'Namespace must have the labels owner and business-unit',
    );
    expect(governance.conditions).toEqual([
      expect.objectContaining({ type: 'SyncError', message }),
    ]);
    expect(governance.resources.find(r => r.name === 'team-b')).toMatchObject({
      status: 'OutOfSync',
      health: { status: 'Missing' },
    });
    expect(governance.history).toHaveLength(1);
    expect(
      store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }),
    ).toBeDefined();
  });

  it('writes one policy report per resource UID in both API groups and keeps them stable', async () => {
    await reconciler.reconcileNow();
    const teamA = store.get({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'team-a',
    })!;
    const nsReport = store.get({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'ClusterPolicyReport',
      name: teamA.metadata.uid!,
    })!;
    expect(nsReport).toMatchObject({
      metadata: { labels: { 'app.kubernetes.io/managed-by': 'kyverno' } },
      scope: { kind: 'Namespace', name: 'team-a' },
      summary: { pass: 1, fail: 0 },
      results: [
        {
          policy: 'require-namespace-labels',
          rule: 'check-governance-labels',
          result: 'pass',
          severity: 'high',
          category: 'Governance',
        },
      ],
    });
    expect(
      store.get({
        apiVersion: 'openreports.io/v1alpha1',
        kind: 'ClusterReport',
        name: teamA.metadata.uid!,
      }),
    ).toBeDefined();

    const deployment = store.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'team-a',
      name: 'api',
    })!;
    expect(
      store.get({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        namespace: 'team-a',
        name: deployment.metadata.uid!,
      }),
    ).toMatchObject({
      results: [
        {
          policy: 'require-workload-labels',
          rule: 'autogen-check-name-label',
          result: 'pass',
        },
      ],
    });
    const [pod] = podsIn('team-a');
    expect(
      store.get({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        namespace: 'team-a',
        name: pod.metadata.uid!,
      }),
    ).toMatchObject({
      scope: { kind: 'Pod', name: pod.metadata.name },
      summary: { pass: 1 },
    });
    const [rs] = store.list({ kind: 'ReplicaSet', namespace: 'team-a' });
    expect(
      store.get({
        apiVersion: 'openreports.io/v1alpha1',
        kind: 'Report',
        namespace: 'team-a',
        name: rs.metadata.uid!,
      }),
    ).toBeDefined();

    const version = store.resourceVersion;
    await reconciler.reconcileNow();
    expect(store.resourceVersion).toBe(version);

    // an unlabelled workload fails the Audit policy (reported, not rejected); removal deletes reports
    clone.write({
      'K8s/apps/team-a/api/service.yaml': service('api', { labelled: false }),
    });
    await clone.commitAndPush('Unlabel api');
    await reconciler.reconcileNow();
    const relabelled = store.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'team-a',
      name: 'api',
    })!;
    expect(
      store.get({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        namespace: 'team-a',
        name: relabelled.metadata.uid!,
      }),
    ).toMatchObject({
      summary: { pass: 0, fail: 1 },
    });
    expect(
      store.get({
        apiVersion: 'wgpolicyk8s.io/v1alpha2',
        kind: 'PolicyReport',
        namespace: 'team-a',
        name: pod.metadata.uid!,
      }),
    ).toBeUndefined();
  });

  it('keeps the last state while the remote is unreachable, logs once, and recovers', async () => {
    const first = await reconciler.reconcileNow();
    const version = store.resourceVersion;
    fs.renameSync(remotePath, `${remotePath}.away`);
    const failed = await reconciler.reconcileNow();
    await reconciler.reconcileNow();
    expect(failed).toMatchObject({
      lastSyncedRevision: first.lastSyncedRevision,
      applications: 3,
      error: expect.stringContaining('unreachable'),
    });
    expect(store.resourceVersion).toBe(version);
    expect(
      logger.lines.filter(l =>
        l.startsWith('error GitOps reconciliation failed'),
      ),
    ).toHaveLength(1);

    fs.renameSync(`${remotePath}.away`, remotePath);
    const recovered = await reconciler.reconcileNow();
    expect(recovered.error).toBeUndefined();
    expect(
      logger.lines.filter(l =>
        l.startsWith('info GitOps reconciliation recovered'),
      ),
    ).toHaveLength(1);
  });

  it('reports Degraded health for a crashing workload', async () => {
    await reconciler.reconcileNow();
    simulator.crashWorkload({
      namespace: 'team-a',
      kind: 'Deployment',
      name: 'api',
    });
    await reconciler.reconcileNow();
    expect(appStatus('team-a-api').health.status).toBe('Degraded');
    simulator.healWorkload({
      namespace: 'team-a',
      kind: 'Deployment',
      name: 'api',
    });
    await reconciler.reconcileNow();
    expect(appStatus('team-a-api').health.status).toBe('Healthy');
  });

  it('creates managed namespaces through admission (CreateNamespace=true)', async () => {
    await reconciler.reconcileNow();
    const sandboxAppSet = (name: string, labels: string) => `
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: ${name}, namespace: argocd }
spec:
  goTemplate: true
  generators:
    - git: { repoURL: x, revision: HEAD, directories: [{ path: 'K8s/${name}/*' }] }
  template:
    metadata: { name: '${name}-{{.path.basename}}' }
    spec:
      project: default
      source: { repoURL: x, targetRevision: HEAD, path: '{{.path.path}}' }
      destination: { server: https://kubernetes.default.svc, namespace: '${name}-ns' }
      syncPolicy:
        syncOptions: [CreateNamespace=true]
        managedNamespaceMetadata: { labels: { ${labels} } }
`;
    clone.write({
      'K8s/labelled/applicationset-labelled.yaml': sandboxAppSet(
        'labelled',
        'owner: team, business-unit: rnd',
      ),
      'K8s/labelled/web/deployment.yaml': service('web', { replicas: 1 }),
      'K8s/unlabelled/applicationset-unlabelled.yaml': sandboxAppSet(
        'unlabelled',
        'environment: dev',
      ),
      'K8s/unlabelled/web/deployment.yaml': service('web', { replicas: 1 }),
    });
    await clone.commitAndPush('Two stacks with managed namespaces');
    await reconciler.reconcileNow();

    expect(
      store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'labelled-ns' })
        ?.metadata.labels,
    ).toMatchObject({ owner: 'team' });
    expect(appStatus('labelled-web')).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(podsIn('labelled-ns').map(phase)).toEqual(['Running']);

    expect(
      store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'unlabelled-ns' }),
    ).toBeUndefined();
    const denied = appStatus('unlabelled-web');
    expect(denied).toMatchObject({
      sync: { status: 'OutOfSync' },
      health: { status: 'Missing' },
      operationState: { phase: 'Failed' },
    });
    expect(denied.operationState.message).toContain(
      'Namespace//unlabelled-ns was blocked',
    );
    expect(denied.operationState.message).toContain(
      'namespaces "unlabelled-ns" not found',
    );
  });

  it('keeps the Applications of an ApplicationSet whose generator fails', async () => {
    await reconciler.reconcileNow();
    const broken = gitopsTree()['apps/applicationset-apps.yaml'].replace(
      "'{{index .path.segments 2}}-{{.path.basename}}'",
      'same-name',
    );
    clone.write({
      'K8s/apps/applicationset-apps.yaml': broken,
      ...serviceDir('team-a', 'svc', service('svc', { replicas: 1 })),
    });
    await clone.commitAndPush('Break the apps generator');
    const status = await reconciler.reconcileNow();
    expect(status.error).toBeUndefined();
    expect(app('team-a-api')).toBeDefined();
    expect(appStatus('team-a-api').sync.status).toBe('Synced');
    expect(
      store.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'team-a',
        name: 'api',
      }),
    ).toBeDefined();
    expect(
      store.get({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        namespace: 'argocd',
        name: 'apps',
      })?.status,
    ).toMatchObject({
      conditions: [
        {
          type: 'ErrorOccurred',
          message: expect.stringContaining(
            'duplicate Application name same-name',
          ),
        },
      ],
    });
    expect(
      logger.lines.filter(l => l.startsWith('error ApplicationSet apps')),
    ).toHaveLength(1);
  });

  it('generates Applications from the parameters files only, and reports a broken one on the ApplicationSet', async () => {
    await reconciler.reconcileNow();
    clone.write({
      // a service directory without application.yaml is not (yet) a service
      'K8s/apps/team-a/draft/deployment.yaml': service('draft', {
        replicas: 1,
      }),
      // switching api to tag-pattern updates changes the Application's annotations
      'K8s/apps/team-a/api/application.yaml': appParams(
        'app=registry.example.com/api',
        'newest-build',
        'regexp:^main-[0-9a-f]{7}$',
      ),
    });
    await clone.commitAndPush('Draft a service, follow main builds of api');
    expect(await reconciler.reconcileNow()).toMatchObject({ applications: 3 });
    expect(app('team-a-draft')).toBeUndefined();
    expect(app('team-a-api')?.metadata.annotations).toMatchObject({
      'argocd-image-updater.argoproj.io/image-list':
        'app=registry.example.com/api',
      'argocd-image-updater.argoproj.io/app.update-strategy': 'newest-build',
      'argocd-image-updater.argoproj.io/app.allow-tags':
        'regexp:^main-[0-9a-f]{7}$',
    });

    // an invalid parameters file fails the generator, as ArgoCD reports it: the ApplicationSet
    // gets an ErrorOccurred condition naming the file and its Applications stay as they were
    clone.write({
      'K8s/apps/team-a/draft/application.yaml': 'imageUpdater: [broken\n',
      'K8s/apps/team-a/draft/kustomization.yaml':
        'resources:\n  - deployment.yaml\n',
    });
    await clone.commitAndPush('Broken parameters file');
    const status = await reconciler.reconcileNow();
    expect(status.error).toBeUndefined();
    expect(appStatus('team-a-api').sync.status).toBe('Synced');
    expect(app('team-a-draft')).toBeUndefined();
    const appSet = () =>
      store.get({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        namespace: 'argocd',
        name: 'apps',
      });
    expect(appSet()?.status).toMatchObject({
      conditions: [
        {
          type: 'ErrorOccurred',
          message: expect.stringContaining(
            "unable to process file 'K8s/apps/team-a/draft/application.yaml:",
          ),
        },
      ],
    });
    expect(
      logger.lines.filter(l => l.startsWith('error ApplicationSet apps')),
    ).toHaveLength(1);

    // a file without a key the template needs (missingkey=error) fails the same way
    clone.write({
      'K8s/apps/team-a/draft/application.yaml':
        "imageUpdater:\n  imageList: ''\n",
    });
    await clone.commitAndPush('Incomplete parameters file');
    await reconciler.reconcileNow();
    expect(appSet()?.status).toMatchObject({
      conditions: [
        {
          type: 'ErrorOccurred',
          message: expect.stringContaining(
            'no value for .imageUpdater.updateStrategy (K8s/apps/team-a/draft/application.yaml)',
          ),
        },
      ],
    });

    clone.write({ 'K8s/apps/team-a/draft/application.yaml': appParams() });
    await clone.commitAndPush('Fix the parameters file');
    expect(await reconciler.reconcileNow()).toMatchObject({ applications: 4 });
    expect(appSet()?.status).toMatchObject({
      conditions: [{ type: 'ResourcesUpToDate' }],
    });
    expect(appStatus('team-a-draft')).toMatchObject({
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
    });
    expect(
      app('team-a-draft')?.metadata.annotations?.[
        'argocd-image-updater.argoproj.io/image-list'
      ],
    ).toBe('');
  });

  it('fails the whole pass on a malformed ApplicationSet file and keeps the cluster as it was', async () => {
    await reconciler.reconcileNow();
    const version = store.resourceVersion;
    clone.write({
      'K8s/apps/applicationset-apps.yaml':
        'kind: ApplicationSet\nmetadata: [\n',
    });
    await clone.commitAndPush('Corrupt the apps ApplicationSet');
    const status = await reconciler.reconcileNow();
    expect(status.error).toMatch(/K8s\/apps\/applicationset-apps\.yaml/);
    expect(store.resourceVersion).toBe(version);
  });

  it('never runs two passes at once', async () => {
    let active = 0;
    let maxActive = 0;
    const git = (reconciler as unknown as { state: { git: GitRemote } }).state
      .git;
    const originalSync = git.sync.bind(git);
    git.sync = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        return await originalSync();
      } finally {
        active--;
      }
    };
    const results = await Promise.all([
      reconciler.reconcileNow(),
      reconciler.reconcileNow(),
      reconciler.reconcileNow(),
    ]);
    expect(maxActive).toBe(1);
    expect(results.every(r => r.error === undefined)).toBe(true);
  });

  it('polls on its own once started', async () => {
    reconciler.start();
    for (let i = 0; i < 100 && !reconciler.status().lastSuccess; i++)
      await new Promise(r => setTimeout(r, 50));
    expect(reconciler.status()).toMatchObject({ applications: 3 });
    await reconciler.stop();
  });
});
