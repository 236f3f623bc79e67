// Run by roadie.test.ts in a plain node process: drives the Roadie ArgoCD backend's real client
// (ArgoService from @roadiehq/backstage-plugin-argo-cd-node) against the sandbox and checks the
// answers with the Roadie frontend's io-ts codecs, exactly as the portal would.
// The Roadie packages are the portal's dependencies, not the sandbox's: they are resolved from the
// monorepo root; when they cannot be loaded the probe prints {"loadError": reason}, which fails the
// test: catching a Roadie upgrade that breaks loading is what the test is for.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.PROBE_REPO_ROOT;
const requireFromRoot = createRequire(join(root, 'package.json'));
let ArgoService;
let ConfigReader;
let codecs;
try {
  ({ ArgoService } = requireFromRoot(
    '@roadiehq/backstage-plugin-argo-cd-node',
  ));
  ({ ConfigReader } = requireFromRoot('@backstage/config'));
  codecs = await import(
    pathToFileURL(
      join(
        root,
        'node_modules/@roadiehq/backstage-plugin-argo-cd/dist/types.esm.js',
      ),
    ).href
  );
} catch (error) {
  console.log(
    JSON.stringify({
      loadError: `Roadie ArgoCD packages not loadable from ${root}: ${error.message}`,
    }),
  );
  process.exit(0);
}

const url = process.env.PROBE_ARGOCD_URL;
const config = new ConfigReader({
  argocd: {
    username: process.env.PROBE_USERNAME,
    password: process.env.PROBE_PASSWORD,
    appLocatorMethods: [
      { type: 'config', instances: [{ name: 'sandbox', url }] },
    ],
  },
});
const logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return logger;
  },
};
const service = ArgoService.fromConfig({ config, logger });
const decodes = (codec, value) => codec.decode(value)._tag === 'Right';

const token = await service.getArgoToken(service.getArgoInstanceArray()[0]);
const found = await service.findArgoApp({
  selector: 'backstage-name=payments',
});
const list = await service.getArgoAppData(url, 'sandbox', token, {
  selector: 'backstage-name=payments',
});
const one = await service.getArgoAppData(url, 'sandbox', token, {
  name: 'pending',
  namespace: 'argocd',
});
const revision = await service.getRevisionData(
  url,
  { name: 'payments' },
  token,
  'abc123',
);
let missingRevision;
try {
  await service.getRevisionData(url, { name: 'payments' }, token, 'fff999');
} catch (error) {
  missingRevision = error.message;
}
console.log(
  JSON.stringify({
    tokenIssued: typeof token === 'string' && token.length > 0,
    found,
    listNames: list.items.map(i => i.metadata.name),
    listDecodes: decodes(codecs.argoCDAppList, list),
    oneDecodes: decodes(codecs.argoCDAppDetails, one),
    oneStatus: [
      one.status.sync.status,
      one.status.health.status,
      one.metadata.namespace,
    ],
    revision,
    revisionDecodes: decodes(codecs.argoCDAppDeployRevisionDetails, revision),
    missingRevision,
  }),
);
