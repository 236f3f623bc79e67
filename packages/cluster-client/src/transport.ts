import { request as httpsRequest } from 'node:https';
import type { ClusterDetails } from './types';

/**
 * The part of an HTTP answer the client reads: the status as soon as the headers arrive, and the
 * body as a stream of chunks (a list reads it whole, a watch line by line while it stays open).
 */
export interface TransportResponse {
  status: number;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Sends one GET; resolves when the answer's headers arrive. Rejects (and stops the body's
 * iteration) on network errors and when `signal` aborts.
 */
export type Transport = (
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<TransportResponse>;

async function* chunksOf(
  stream: ReadableStream<Uint8Array> | null,
): AsyncIterable<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    // a reader that stops early (a watch that is given up) must release the connection
    reader.cancel().catch(() => {});
  }
}

/** A transport over a fetch implementation (Node's global fetch by default). */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, headers, signal) => {
    const response = await fetchImpl(url, { headers, signal });
    return {
      status: response.status,
      body: chunksOf(response.body as ReadableStream<Uint8Array> | null),
    };
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
        // IncomingMessage is an async iterable of Buffers; it throws when the request aborts
        res => resolve({ status: res.statusCode ?? 0, body: res }),
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
