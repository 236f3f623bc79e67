import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterStore } from '../store';
import { isNodeReady, nodeAddress } from '../cluster/nodes';
import { podLog, type LogLine } from '../cluster/podLogs';
import { sendStatus } from './status';

/** The query of `GET …/pods/{name}/log` (Kubernetes `PodLogOptions`). */
export interface PodLogQuery {
  container?: string;
  previous: boolean;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: Date;
  limitBytes?: number;
}

/** A query the API server refuses: 400 when it cannot be parsed, 422 when a value is invalid. */
export class PodLogQueryError extends Error {
  constructor(readonly code: 400 | 422, message: string) {
    super(message);
    this.name = 'PodLogQueryError';
  }
}

/**
 * Kubernetes' query-parameter conversion for booleans: absent is false, `false` and `0` are
 * false, anything else (including an empty value, as in `?previous`) is true.
 */
function parseBool(params: URLSearchParams, key: string): boolean {
  if (!params.has(key)) return false;
  const value = (params.get(key) ?? '').toLowerCase();
  return value !== 'false' && value !== '0';
}

function parseInteger(
  params: URLSearchParams,
  key: string,
): number | undefined {
  const raw = params.get(key);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw new PodLogQueryError(
      400,
      `${key}: invalid value "${raw}": strconv.ParseInt: parsing "${raw}": invalid syntax`,
    );
  return Number(raw);
}

/**
 * Parses and validates the query as the API server does (`ValidatePodLogOptions`).
 *
 * @param podName - for the message of an invalid value
 */
export function parsePodLogQuery(
  params: URLSearchParams,
  podName: string,
): PodLogQuery {
  const query: PodLogQuery = {
    container: params.get('container') || undefined,
    previous: parseBool(params, 'previous'),
    follow: parseBool(params, 'follow'),
    timestamps: parseBool(params, 'timestamps'),
    tailLines: parseInteger(params, 'tailLines'),
    sinceSeconds: parseInteger(params, 'sinceSeconds'),
    limitBytes: parseInteger(params, 'limitBytes'),
  };
  const sinceTime = params.get('sinceTime');
  if (sinceTime !== null) {
    const parsed = new Date(sinceTime);
    if (
      Number.isNaN(parsed.getTime()) ||
      !/^\d{4}-\d{2}-\d{2}T/.test(sinceTime)
    )
      throw new PodLogQueryError(
        400,
        `sinceTime: invalid value "${sinceTime}": parsing time as RFC3339 failed`,
      );
    query.sinceTime = parsed;
  }
  const invalid: string[] = [];
  if (query.tailLines !== undefined && query.tailLines < 0)
    invalid.push(
      `tailLines: Invalid value: ${query.tailLines}: must be greater than or equal to 0`,
    );
  if (query.sinceSeconds !== undefined && query.sinceSeconds < 1)
    invalid.push(
      `sinceSeconds: Invalid value: ${query.sinceSeconds}: must be greater than 0`,
    );
  if (query.limitBytes !== undefined && query.limitBytes < 1)
    invalid.push(
      `limitBytes: Invalid value: ${query.limitBytes}: must be greater than 0`,
    );
  if (query.sinceSeconds !== undefined && query.sinceTime !== undefined)
    invalid.push(
      '<nil>: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  if (invalid.length > 0)
    throw new PodLogQueryError(
      422,
      `PodLogOptions "${podName}" is invalid: ${
        invalid.length === 1 ? invalid[0] : `[${invalid.join(', ')}]`
      }`,
    );
  return query;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `timestamps=true`. */
function rfc3339Nano(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The lines a request selects: since, then tail, formatted (without the byte limit). */
export function selectLogLines(
  lines: LogLine[],
  query: PodLogQuery,
  now: Date,
): string[] {
  const since =
    query.sinceTime?.getTime() ??
    (query.sinceSeconds !== undefined
      ? now.getTime() - query.sinceSeconds * 1000
      : undefined);
  let selected =
    since === undefined ? lines : lines.filter(l => l.time.getTime() >= since);
  if (query.tailLines !== undefined)
    selected = query.tailLines === 0 ? [] : selected.slice(-query.tailLines);
  return selected.map(l => formatLogLine(l, query.timestamps));
}

function formatLogLine(line: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${rfc3339Nano(line.time)} ` : ''}${line.text}\n`;
}

/** Options of {@link servePodLog}. */
export interface PodLogRequest {
  store: ClusterStore;
  namespace: string;
  name: string;
  params: URLSearchParams;
  now: () => Date;
  /** How often a follower polls the store for new lines. */
  followPollMs: number;
}

/**
 * Answers `GET /api/v1/namespaces/{ns}/pods/{name}/log` like the API server and kubelet do:
 * plain text, 404 for a missing pod, 400 for a missing or ambiguous container or a missing
 * previous instance, 422 for invalid options; `follow=true` keeps the response open (chunked)
 * and writes new lines as the container writes them, until it stops or the client goes away.
 */
export function servePodLog(
  req: IncomingMessage,
  res: ServerResponse,
  request: PodLogRequest,
): void {
  const { store, namespace, name } = request;
  let query: PodLogQuery;
  try {
    query = parsePodLogQuery(request.params, name);
  } catch (error) {
    if (!(error instanceof PodLogQueryError)) throw error;
    sendStatus(
      res,
      error.code,
      error.code === 400 ? 'BadRequest' : 'Invalid',
      error.message,
    );
    return;
  }
  const read = () => {
    const pod = store.get({ apiVersion: 'v1', kind: 'Pod', namespace, name });
    if (!pod) return undefined;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const node = nodeName
      ? store.get({ apiVersion: 'v1', kind: 'Node', name: nodeName })
      : undefined;
    const now = request.now();
    return {
      now,
      result: podLog(pod, {
        container: query.container,
        previous: query.previous,
        now,
        nodeReady: node ? isNodeReady(node) : false,
        nodeAddress: node ? nodeAddress(node) : undefined,
      }),
    };
  };

  const first = read();
  if (!first) {
    sendStatus(res, 404, 'NotFound', `pods "${name}" not found`, {
      name,
      kind: 'pods',
    });
    return;
  }
  if (!first.result.ok) {
    sendStatus(
      res,
      first.result.code,
      first.result.reason,
      first.result.message,
    );
    return;
  }
  const text = selectLogLines(first.result.lines, query, first.now).join('');
  let remainingBytes = query.limitBytes ?? Number.POSITIVE_INFINITY;
  const write = (chunk: string): boolean => {
    if (remainingBytes <= 0) return false;
    const bytes = Buffer.from(chunk);
    const part =
      bytes.length > remainingBytes ? bytes.subarray(0, remainingBytes) : bytes;
    remainingBytes -= part.length;
    res.write(part);
    return remainingBytes > 0;
  };
  if (!query.follow || !first.result.running) {
    const body = Buffer.from(text);
    const limited =
      body.length > remainingBytes ? body.subarray(0, remainingBytes) : body;
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Content-Length': limited.length,
      'Cache-Control': 'no-cache, private',
    });
    res.end(req.method === 'HEAD' ? undefined : limited);
    return;
  }

  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  const lastLine = first.result.lines[first.result.lines.length - 1];
  let lastTime = lastLine ? lastLine.time.getTime() : 0;
  const runStart = first.result.startedAt?.getTime();
  if (!write(text)) {
    res.end();
    return;
  }
  let timer: ReturnType<typeof setInterval> | undefined = undefined;
  const stop = () => {
    clearInterval(timer);
    if (!res.writableEnded) res.end();
  };
  timer = setInterval(() => {
    const next = read();
    const lines = next?.result.ok ? next.result.lines : [];
    // a different run (the container restarted) or no pod any more ends the stream, as on a kubelet
    if (
      !next ||
      !next.result.ok ||
      next.result.startedAt?.getTime() !== runStart
    ) {
      stop();
      return;
    }
    for (const line of lines) {
      if (line.time.getTime() <= lastTime) continue;
      lastTime = line.time.getTime();
      if (!write(formatLogLine(line, query.timestamps))) {
        stop();
        return;
      }
    }
    if (!next.result.running) stop();
  }, request.followPollMs);
  res.on('close', () => clearInterval(timer));
}
