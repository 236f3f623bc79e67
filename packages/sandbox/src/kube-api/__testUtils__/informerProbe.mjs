// Run by clientNode.test.ts in a plain node process (@kubernetes/client-node 1.x is ESM-only):
// an informer (list, then watch) on the pods of PROBE_NAMESPACE that prints every callback as a
// JSON line. Exits when stdin closes.
import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';

const kc = new KubeConfig();
kc.loadFromFile(process.env.PROBE_KUBECONFIG);
const core = kc.makeApiClient(CoreV1Api);
const namespace = process.env.PROBE_NAMESPACE;

const informer = makeInformer(kc, `/api/v1/namespaces/${namespace}/pods`, () =>
  core.listNamespacedPod({ namespace }),
);
const print = (event, obj) =>
  process.stdout.write(
    `${JSON.stringify({
      event,
      name: obj?.metadata?.name,
      resourceVersion: obj?.metadata?.resourceVersion,
      phase: obj?.status?.phase,
      message: obj instanceof Error ? String(obj) : undefined,
    })}\n`,
  );
for (const event of ['add', 'update', 'delete']) {
  informer.on(event, obj => print(event, obj));
}
informer.on('connect', () => print('connect'));
informer.on('error', error => print('error', error));

process.stdin.on('end', async () => {
  await informer.stop();
  process.exit(0);
});
process.stdin.resume();
await informer.start();
