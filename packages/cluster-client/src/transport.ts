import { request as httpsRequest } from 'node:https';
import type { ClusterDetails } from './types';

/** The part of an HTTP answer the client reads. */
export interface TransportResponse {
  status: number;
  body: string;
}

/** Sends one GET; rejects on network errors and when `signal` aborts. */
export type Transport = (
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<TransportResponse>;

/** A transport over a fetch implementation (Node's global fetch by default). */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, headers, signal) => {
    const response = await fetchImpl(url, { headers, signal });
    return { status: response.status, body: await response.text() };
  };
}

/** `caData` is base64-encoded PEM in the Kubernetes plugin's config; accept plain PEM as well. */
function caPem(caData: string): string {
  const trimmed = caData.trim();
  return trimmed.startsWith('-----BEGIN')
    ? trimmed
    : Buffer.from(trimmed, 'base64').toString('utf8');
}

/**
 * A transport over `node:https` that trusts the cluster's own CA or skips verification. Global
 * fetch cannot take TLS options without a dispatcher from the `undici` package, which this
 * package does not depend on.
 */
export function tlsTransport(cluster: ClusterDetails): Transport {
  return (url, headers, signal) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: 'GET',
          headers,
          signal,
          ca: cluster.caData ? caPem(cluster.caData) : undefined,
          rejectUnauthorized: !cluster.skipTLSVerify,
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
}

/** Chooses the transport a cluster needs: TLS options force `node:https`. */
export function transportFor(
  cluster: ClusterDetails,
  fetchImpl?: typeof fetch,
): Transport {
  if (fetchImpl) return fetchTransport(fetchImpl);
  const needsTlsOptions =
    cluster.url.startsWith('https:') &&
    (Boolean(cluster.caData) || Boolean(cluster.skipTLSVerify));
  return needsTlsOptions ? tlsTransport(cluster) : fetchTransport(fetch);
}
