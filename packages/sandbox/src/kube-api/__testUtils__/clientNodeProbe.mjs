// Run by clientNode.test.ts in a plain node process: @kubernetes/client-node 1.x is ESM-only and
// cannot be loaded by the CommonJS jest runtime. Prints what the client decoded as JSON.
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';

const kc = new KubeConfig();
kc.loadFromFile(process.env.PROBE_KUBECONFIG);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);

const pods = await core.listPodForAllNamespaces({
  labelSelector: 'app.kubernetes.io/instance=payments',
});
const teamB = await core.listNamespacedPod({ namespace: 'team-b' });
const node = await core.readNode({ name: 'worker-apps' });
const reports = await custom.listClusterCustomObject({
  group: 'wgpolicyk8s.io',
  version: 'v1alpha2',
  plural: 'policyreports',
});
let missing;
try {
  await core.readNamespacedPod({ name: 'missing', namespace: 'team-a' });
} catch (error) {
  missing = { code: error.code, body: JSON.parse(error.body) };
}
console.log(
  JSON.stringify({
    pods: pods.items.map(
      p => `${p.metadata.namespace}/${p.metadata.name}/${p.status.phase}`,
    ),
    podsResourceVersion: pods.metadata.resourceVersion,
    teamB: teamB.items.map(p => p.metadata.name),
    nodeReady: node.status.conditions.find(c => c.type === 'Ready').status,
    reports: {
      kind: reports.kind,
      items: reports.items.map(r => [
        r.metadata.namespace,
        r.scope.name,
        r.summary.fail,
      ]),
    },
    missing,
  }),
);
