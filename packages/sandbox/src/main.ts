import { ClusterSimulator } from './cluster/ClusterSimulator';
import { loadSandboxConfig, SandboxConfigError } from './config';
import { startSandboxServers } from './control-api/sandboxServers';
import type {
  Logger,
  ReconcileStatus,
  SandboxControl,
} from './control-api/types';
import { GitRemote } from './git/GitRemote';
import { Reconciler } from './reconciler/Reconciler';
import { ClusterStore } from './store';
import {
  generateSyntheticCluster,
  parseScaleSpec,
  ScaleSpecError,
} from './synthetic';

const USAGE = `Usage: yarn workspace @internal/sandbox start [--scale nodes=N,namespaces=M,pods=P,reports=R]

Without --scale the sandbox reconciles the GitOps remote (seeded from K8s/). With --scale it
fills the cluster from a deterministic synthetic generator instead (for benchmarks).
Config: packages/sandbox/sandbox.config.yaml (or SANDBOX_CONFIG); env SANDBOX_K8S_PORT,
SANDBOX_ARGOCD_PORT, SANDBOX_GITOPS_REMOTE, SANDBOX_KUBECONFIG.`;

const logger: Logger = {
  info: msg => console.log(`[sandbox] ${msg}`),
  warn: msg => console.warn(`[sandbox] WARN ${msg}`),
  error: msg => console.error(`[sandbox] ERROR ${msg}`),
};

function parseArgs(argv: string[]): { scale?: string; help: boolean } {
  const result: { scale?: string; help: boolean } = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') result.help = true;
    else if (arg === '--scale') result.scale = argv[++i] ?? '';
    else if (arg.startsWith('--scale='))
      result.scale = arg.slice('--scale='.length);
    else throw new ScaleSpecError(`unknown argument "${arg}"\n\n${USAGE}`);
  }
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const config = loadSandboxConfig();
  const store = new ClusterStore({
    historyLimit: config.kubernetes.watch.historyLimit,
    // Each run starts its resourceVersions above any an earlier run can have reached (1,000 per
    // millisecond of wall clock), so clients that remember one relist instead of resuming from
    // a version that means something else now.
    initialResourceVersion: Date.now() * 1000,
  });
  const simulator = new ClusterSimulator({ store, logger });
  const git = new GitRemote({
    remoteUrl: config.gitops.remote,
    workDir: config.gitops.workDir,
    seedFrom: config.gitops.seedFrom,
    logger,
  });

  let reconciler: Reconciler | undefined;
  let control: SandboxControl;
  if (args.scale !== undefined) {
    const scale = parseScaleSpec(args.scale);
    const started = Date.now();
    generateSyntheticCluster(store, scale);
    logger.info(
      `synthetic cluster ${JSON.stringify(scale)} generated in ${
        Date.now() - started
      } ms`,
    );
    const generatedAt = new Date().toISOString();
    const syntheticStatus = (): ReconcileStatus => ({
      lastAttempt: generatedAt,
      lastSuccess: generatedAt,
      applications: store.listShared({
        kind: 'Application',
        apiVersion: 'argoproj.io/v1alpha1',
      }).length,
    });
    control = {
      reconcileStatus: syntheticStatus,
      reconcileNow: async () => syntheticStatus(),
      failNode: name => simulator.failNode(name),
      healNode: name => simulator.healNode(name),
      crashWorkload: ref => simulator.crashWorkload(ref),
      healWorkload: ref => simulator.healWorkload(ref),
    };
  } else {
    await git.ensureRemote();
    simulator.createDefaultTopology();
    const activeReconciler = new Reconciler({
      store,
      git,
      simulator,
      intervalMs: config.reconciler.intervalMs,
      reportApiGroups: config.reports.openreports
        ? ['wgpolicyk8s.io', 'openreports.io']
        : ['wgpolicyk8s.io'],
      logger,
    });
    reconciler = activeReconciler;
    control = {
      reconcileStatus: () => activeReconciler.status(),
      reconcileNow: () => activeReconciler.reconcileNow(),
      failNode: name => simulator.failNode(name),
      healNode: name => simulator.healNode(name),
      crashWorkload: ref => simulator.crashWorkload(ref),
      healWorkload: ref => simulator.healWorkload(ref),
    };
  }

  const servers = await startSandboxServers({
    config,
    store,
    control,
    revisions: git,
    logger,
  });
  reconciler?.start();
  logger.info(
    `Kubernetes API ${servers.kubernetesUrl} (also ${servers.kubeApi.httpUrl}), ArgoCD API ${servers.argoCdUrl}, ` +
      `kubeconfig ${config.kubeconfigPath}, ${
        args.scale !== undefined
          ? 'synthetic cluster'
          : `GitOps remote ${config.gitops.remote}`
      }`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    await Promise.allSettled([servers.stop(), reconciler?.stop()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch(error => {
  if (error instanceof SandboxConfigError || error instanceof ScaleSpecError) {
    console.error(`[sandbox] ${error.message}`);
  } else {
    console.error(`[sandbox] failed to start: ${error?.stack ?? error}`);
  }
  process.exit(1);
});
