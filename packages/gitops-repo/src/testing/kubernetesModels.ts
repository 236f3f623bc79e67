import fs from 'fs';
import path from 'path';

/**
 * Loads kubernetes-models classes for tests.
 *
 * The kubernetes-models packages are ESM-only (their `exports` have only an `import` condition),
 * which Jest's CommonJS resolver cannot follow. Node 22 can `require()` ES modules natively, so
 * the files are loaded with Node's own require (taken from `process.getBuiltinModule`, which Jest
 * does not intercept) by absolute path, and their own imports resolve through Node's ESM loader.
 */

/** A kubernetes-models class: `new Model(obj).validate()` throws when obj is invalid. */
export type ModelClass = new (data: unknown) => { validate(): void };

/** Which package holds the models of an API group; the core package covers built-in groups. */
const CRD_PACKAGES: Record<string, string> = {
  'argoproj.io': '@kubernetes-models/argo-cd',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'kyverno.io': '@kubernetes-models/kyverno',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Package ${name} is not installed`);
    }
  }
}

function packageFor(apiVersion: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return 'kubernetes-models'; // core group, e.g. v1
  const group = apiVersion.slice(0, slash);
  if (group in CRD_PACKAGES) return CRD_PACKAGES[group];
  // built-in groups: apps, batch, policy and the *.k8s.io groups
  return group.includes('.') && !group.endsWith('.k8s.io')
    ? undefined
    : 'kubernetes-models';
}

/**
 * Returns a lookup of the model class for apiVersion/kind (undefined when no installed package
 * has one), resolving packages from the node_modules directories above fromDir.
 */
export function createModelLoader(
  fromDir: string,
): (apiVersion: string, kind: string) => ModelClass | undefined {
  const nativeRequire = process
    .getBuiltinModule('node:module')
    .createRequire(path.join(fromDir, 'noop.js')) as NodeJS.Require;
  const cache = new Map<string, ModelClass | undefined>();
  return (apiVersion, kind) => {
    const key = `${apiVersion}/${kind}`;
    if (!cache.has(key)) {
      const pkg = packageFor(apiVersion);
      let model: ModelClass | undefined;
      if (
        pkg &&
        /^[A-Za-z0-9]+$/.test(kind) &&
        /^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(apiVersion)
      ) {
        const file = path.join(
          packageDir(pkg, fromDir),
          ...apiVersion.split('/'),
          `${kind}.js`,
        );
        if (fs.existsSync(file)) {
          const exported = nativeRequire(file)[kind];
          model =
            typeof exported === 'function'
              ? (exported as ModelClass)
              : undefined;
        }
      }
      cache.set(key, model);
    }
    return cache.get(key);
  };
}
