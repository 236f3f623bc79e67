import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import YAML from 'yaml';

/**
 * The kubeconfig that points kubectl and client libraries at the sandbox: cluster, user and
 * context all named `sandbox`. `caCertificate` (PEM) is the server's self-signed certificate.
 */
export function kubeconfigYaml(
  server: string,
  token: string,
  caCertificate?: string,
): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: {
          server,
          ...(caCertificate
            ? {
                'certificate-authority-data':
                  Buffer.from(caCertificate).toString('base64'),
              }
            : {}),
        },
      },
    ],
    users: [{ name: 'sandbox', user: { token } }],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox' } },
    ],
    'current-context': 'sandbox',
    preferences: {},
  });
}

/** Writes {@link kubeconfigYaml} to `path` with owner-only permissions (it holds the token). */
export function writeKubeconfig(
  path: string,
  server: string,
  token: string,
  caCertificate?: string,
): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(server, token, caCertificate), {
    mode: 0o600,
  });
}
