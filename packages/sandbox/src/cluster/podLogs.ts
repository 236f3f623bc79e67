import type { KubernetesObject } from '@internal/kube-model';
import { hashNumber } from './hashing';
import { podSpecOf, type ContainerSpec } from './podSpec';

/** One line a container wrote, with the time the kubelet recorded it. */
export interface LogLine {
  time: Date;
  text: string;
}

/** How a workload formats its log lines, guessed from its image like an operator would. */
export type LogStyle =
  | 'logfmt'
  | 'klog'
  | 'logrus'
  | 'json'
  | 'vault'
  | 'redis'
  | 'http';

/** What `GET …/pods/{name}/log` answers, before formatting and filtering. */
export type PodLogResult =
  | {
      ok: true;
      container: string;
      lines: LogLine[];
      /** The container is still running: a follower may get more lines. */
      running: boolean;
      /** When the run whose lines these are started (tells one run from the next). */
      startedAt?: Date;
    }
  | {
      ok: false;
      code: 400 | 404 | 500;
      reason: 'BadRequest' | 'NotFound' | 'InternalError';
      message: string;
    };

/** Options of {@link podLog}. */
export interface PodLogOptions {
  /** Required when the pod has more than one container. */
  container?: string;
  /** The previous (terminated) instance of the container, as `kubectl logs --previous`. */
  previous: boolean;
  now: Date;
  /** Whether the pod's node is Ready; the logs live on the node, so a lost node cannot serve them. */
  nodeReady: boolean;
  /** The node's InternalIP, for the error a lost kubelet gives. */
  nodeAddress?: string;
}

/** The kubelet keeps this many lines per container instance (it rotates the rest away). */
export const MAX_LINES_PER_RUN = 5000;
/** How long a crashing container runs before it exits. */
const CRASH_RUN_MS = 2_400;
/** Gap between two crash-loop attempts of the same container (the back-off). */
const CRASH_BACKOFF_MS = 10_000;

type Level = 'info' | 'warn' | 'error' | 'fatal';
interface Message {
  level: Level;
  text: string;
  /** Source file for styles that print one. */
  source: string;
}

interface Workload {
  app: string;
  version: string;
  port: number;
  style: LogStyle;
  seed: string;
  podIp: string;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: {
    running?: { startedAt?: string };
    waiting?: { reason?: string };
    terminated?: { startedAt?: string; finishedAt?: string; reason?: string };
  };
  lastState?: {
    terminated?: { finishedAt?: string; reason?: string; exitCode?: number };
  };
}

/** One run of a container between start and exit (or now). */
interface ContainerRun {
  start: Date;
  end: Date;
  outcome: 'running' | 'crashed' | 'completed' | 'stopped';
}

const STYLE_BY_IMAGE: Array<[RegExp, LogStyle]> = [
  [/prometheus|alertmanager|loki|grafana|fluent-bit|thanos/, 'logfmt'],
  [/argoproj|argocd|argo-events|argocli|workflow-controller/, 'logrus'],
  [/vault/, 'vault'],
  [/redis/, 'redis'],
  [/idp-portal|backstage|external-secrets|policy-reporter/, 'json'],
  [
    /kyverno|cert-manager|jetstack|cilium|hubble|kube-state-metrics|registry\.k8s\.io|etcd/,
    'klog',
  ],
];

/** The log style of an image (an HTTP service's access log when nothing more specific fits). */
export function logStyleOf(image: string | undefined): LogStyle {
  const found = STYLE_BY_IMAGE.find(([pattern]) => pattern.test(image ?? ''));
  return found ? found[1] : 'http';
}

function statusError(
  code: 400 | 404 | 500,
  message: string,
): Extract<PodLogResult, { ok: false }> {
  const reasons = {
    400: 'BadRequest',
    404: 'NotFound',
    500: 'InternalError',
  } as const;
  const reason = reasons[code];
  return { ok: false, code, reason, message };
}

function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/**
 * The runs of a container the kubelet still has logs for, oldest first; the last one is what
 * `kubectl logs` shows, the one before it what `--previous` shows. Derived from the container
 * status only (restart count, current and last state), so it needs no history of its own.
 */
export function containerRuns(
  podStart: Date,
  status: ContainerStatus,
  now: Date,
): ContainerRun[] {
  const restarts = status.restartCount ?? 0;
  const lastFinished = parseTime(status.lastState?.terminated?.finishedAt);
  const lastReason = status.lastState?.terminated?.reason;
  const clamp = (time: Date) =>
    time.getTime() < podStart.getTime() ? podStart : time;
  // A young pod's earlier runs would otherwise end before the pod started, and a run with no
  // time has no lines: every crash keeps its few seconds (times may then overlap the next run).
  const atLeastOneCrashRun = (start: Date, end: Date): Date =>
    end.getTime() < start.getTime() + CRASH_RUN_MS
      ? new Date(start.getTime() + CRASH_RUN_MS)
      : end;
  const crashRunEndingAt = (end: Date): ContainerRun => {
    const start = clamp(new Date(end.getTime() - CRASH_RUN_MS));
    return { start, end: atLeastOneCrashRun(start, end), outcome: 'crashed' };
  };

  if (status.state?.terminated) {
    const end = parseTime(status.state.terminated.finishedAt) ?? now;
    const start = parseTime(status.state.terminated.startedAt) ?? podStart;
    return [
      {
        start,
        end,
        outcome:
          status.state.terminated.reason === 'Completed'
            ? 'completed'
            : 'crashed',
      },
    ];
  }
  if (status.state?.waiting) {
    if (status.state.waiting.reason !== 'CrashLoopBackOff' || !lastFinished)
      return [];
    // the last attempt is what the kubelet serves while it backs off
    const current = crashRunEndingAt(lastFinished);
    const runs: ContainerRun[] = [current];
    if (restarts >= 2) {
      runs.unshift(
        crashRunEndingAt(new Date(current.start.getTime() - CRASH_BACKOFF_MS)),
      );
    } else {
      runs.unshift({
        start: podStart,
        end: atLeastOneCrashRun(
          podStart,
          clamp(new Date(current.start.getTime() - CRASH_BACKOFF_MS)),
        ),
        outcome: 'crashed',
      });
    }
    return runs;
  }
  const startedAt = parseTime(status.state?.running?.startedAt) ?? podStart;
  const current: ContainerRun = {
    start: startedAt,
    end: now,
    outcome: 'running',
  };
  if (restarts === 0 || !lastFinished) return [current];
  return [
    lastReason === 'Error'
      ? crashRunEndingAt(lastFinished)
      : { start: podStart, end: lastFinished, outcome: 'stopped' },
    current,
  ];
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function formatLine(
  style: LogStyle,
  workload: Workload,
  time: Date,
  message: Message,
): string {
  const iso = time.toISOString();
  const { level, text, source } = message;
  switch (style) {
    case 'logfmt':
      return `ts=${iso} caller=${source} level=${level} msg=${JSON.stringify(
        text,
      )}`;
    case 'klog': {
      const letter = { info: 'I', warn: 'W', error: 'E', fatal: 'F' }[level];
      const micros = pad(time.getUTCMilliseconds() * 1000, 6);
      return `${letter}${pad(time.getUTCMonth() + 1)}${pad(
        time.getUTCDate(),
      )} ${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(
        time.getUTCSeconds(),
      )}.${micros}       1 ${source}] ${JSON.stringify(text)}`;
    }
    case 'logrus':
      return `time="${iso.replace(/\.\d+Z$/, 'Z')}" level=${
        level === 'warn' ? 'warning' : level
      } msg=${JSON.stringify(text)}`;
    case 'json':
      return JSON.stringify({
        level,
        ts: iso,
        logger: workload.app,
        caller: source,
        msg: text,
      });
    case 'vault':
      return `${iso} [${level.toUpperCase()}]${
        level.length === 4 ? ' ' : ''
      } ${source.replace(/\.go:\d+$/, '')}: ${text}`;
    case 'redis': {
      const mark = { info: '*', warn: '#', error: '#', fatal: '#' }[level];
      return `1:M ${pad(time.getUTCDate())} ${
        MONTHS[time.getUTCMonth()]
      } ${time.getUTCFullYear()} ${pad(time.getUTCHours())}:${pad(
        time.getUTCMinutes(),
      )}:${pad(time.getUTCSeconds())}.${pad(
        time.getUTCMilliseconds(),
        3,
      )} ${mark} ${text}`;
    }
    default:
      return `${iso} ${level.toUpperCase().padEnd(5)} [${
        workload.app
      }] ${text}`;
  }
}

function startupMessages(w: Workload): Message[] {
  return [
    { level: 'info', text: `Starting ${w.app}`, source: 'main.go:88' },
    {
      level: 'info',
      text: `version ${w.version} (go1.24.4, linux/amd64)`,
      source: 'main.go:91',
    },
    {
      level: 'info',
      text: 'Loaded configuration from /etc/config',
      source: 'config.go:142',
    },
    {
      level: 'info',
      text: `Serving metrics on :${w.port === 9090 ? 8080 : 9090}/metrics`,
      source: 'metrics.go:57',
    },
    {
      level: 'info',
      text: `Listening on 0.0.0.0:${w.port}`,
      source: 'server.go:211',
    },
    {
      level: 'info',
      text: 'Ready to accept requests',
      source: 'server.go:230',
    },
  ];
}

const REQUEST_PATHS = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/v1/items',
  'GET /api/v1/items/{id}',
  'POST /api/v1/orders',
  'GET /api/v1/orders/{id}',
];

function accessLine(w: Workload, time: Date, index: number): string {
  const key = `${w.seed}/${index}`;
  const [method, path] =
    REQUEST_PATHS[hashNumber(key, REQUEST_PATHS.length)].split(' ');
  const concretePath = path.replace(
    '{id}',
    String(1000 + hashNumber(`${key}/id`, 9000)),
  );
  const probe = path === '/healthz' || path === '/readyz';
  let agent = 'Mozilla/5.0 (X11; Linux x86_64)';
  if (probe) agent = 'kube-probe/1.31';
  else if (path === '/metrics') agent = 'Prometheus/3.4.2';
  const notFound = !probe && hashNumber(`${key}/status`, 20) === 0;
  const created = method === 'POST' ? 201 : 200;
  const status = notFound ? 404 : created;
  const bytes = probe ? 2 : 120 + hashNumber(`${key}/bytes`, 4000);
  const client = probe
    ? w.podIp.replace(/\.\d+$/, '.1')
    : `10.244.${hashNumber(`${key}/c`, 3)}.${10 + hashNumber(`${key}/d`, 200)}`;
  const stamp = `${pad(time.getUTCDate())}/${
    MONTHS[time.getUTCMonth()]
  }/${time.getUTCFullYear()}:${pad(time.getUTCHours())}:${pad(
    time.getUTCMinutes(),
  )}:${pad(time.getUTCSeconds())} +0000`;
  const millis = 1 + hashNumber(`${key}/ms`, probe ? 3 : 180);
  return `${client} - - [${stamp}] "${method} ${concretePath} HTTP/1.1" ${status} ${bytes} "-" "${agent}" ${millis}ms`;
}

function steadyMessage(w: Workload, index: number): Message {
  const key = `${w.seed}/${index}`;
  const roll = hashNumber(key, 40);
  if (roll === 0)
    return {
      level: 'warn',
      text: `slow request: GET /api/v1/items took ${
        1200 + hashNumber(`${key}/ms`, 1800)
      }ms`,
      source: 'server.go:318',
    };
  const messages: Message[] = [
    {
      level: 'info',
      text: `Reconciliation completed (${
        1 + hashNumber(`${key}/n`, 40)
      } objects, ${3 + hashNumber(`${key}/ms`, 90)}ms)`,
      source: 'controller.go:412',
    },
    {
      level: 'info',
      text: 'Refreshed cache from the API server',
      source: 'cache.go:97',
    },
    {
      level: 'info',
      text: `Handled scrape from Prometheus in ${
        1 + hashNumber(`${key}/s`, 9)
      }ms`,
      source: 'metrics.go:81',
    },
    {
      level: 'info',
      text: `Processed ${1 + hashNumber(`${key}/q`, 25)} queued events`,
      source: 'queue.go:156',
    },
  ];
  return messages[roll % messages.length];
}

function crashMessages(w: Workload): Message[] {
  const database = `10.96.${hashNumber(`${w.seed}/db`, 200)}.${
    10 + hashNumber(`${w.seed}/dbh`, 200)
  }:5432`;
  return [
    {
      level: 'error',
      text: `failed to connect to dependency: dial tcp ${database}: connect: connection refused`,
      source: 'deps.go:64',
    },
    {
      level: 'error',
      text: `retrying in 500ms (attempt 2/3): dial tcp ${database}: connect: connection refused`,
      source: 'deps.go:71',
    },
    {
      level: 'error',
      text: `health check failed: dependency unreachable after 3 attempts`,
      source: 'health.go:45',
    },
    {
      level: 'fatal',
      text: `unrecoverable error, exiting with code 1: dial tcp ${database}: connect: connection refused`,
      source: 'main.go:132',
    },
  ];
}

/** The period of a workload's steady lines (5–14 s, stable per workload). */
function periodMs(w: Workload): number {
  return (5 + hashNumber(`${w.seed}/period`, 10)) * 1000;
}

/** Every line one run of a container wrote, oldest first (at most {@link MAX_LINES_PER_RUN}). */
export function runLines(w: Workload, run: ContainerRun): LogLine[] {
  const start = run.start.getTime();
  const end = run.end.getTime();
  const lines: LogLine[] = [];
  const push = (time: number, text: string) => {
    if (time <= end) lines.push({ time: new Date(time), text });
  };
  const startup = startupMessages(w);
  const startupCount =
    run.outcome === 'crashed' && end - start <= CRASH_RUN_MS
      ? 3
      : startup.length;
  startup.slice(0, startupCount).forEach((message, i) => {
    const time = start + 40 * (i + 1) + hashNumber(`${w.seed}/s${i}`, 30);
    push(time, formatLine(w.style, w, new Date(time), message));
  });
  const tails: Record<ContainerRun['outcome'], Message[]> = {
    crashed: crashMessages(w),
    completed: [
      { level: 'info', text: 'Completed successfully', source: 'main.go:140' },
    ],
    stopped: [
      {
        level: 'info',
        text: 'Received SIGTERM, shutting down gracefully',
        source: 'main.go:120',
      },
    ],
    running: [],
  };
  const tail = tails[run.outcome];
  // the tail happens in the last moments of the run; steady lines fill the time before it
  const tailStart = end - 400 * tail.length;
  const period = periodMs(w);
  const steadyStart = start + 1000;
  const steadyEnd = tail.length > 0 ? tailStart : end;
  const total = Math.max(0, Math.floor((steadyEnd - steadyStart) / period) + 1);
  const first = Math.max(
    0,
    total - (MAX_LINES_PER_RUN - startupCount - tail.length),
  );
  for (let k = first; k < total; k++) {
    const time = steadyStart + k * period;
    if (time >= steadyEnd && tail.length > 0) break;
    push(
      time,
      w.style === 'http'
        ? accessLine(w, new Date(time), k)
        : formatLine(w.style, w, new Date(time), steadyMessage(w, k)),
    );
  }
  tail.forEach((message, i) => {
    const time = Math.max(start + 300, tailStart + 400 * (i + 1));
    push(time, formatLine(w.style, w, new Date(time), message));
  });
  return lines.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function workloadOf(pod: KubernetesObject, container: ContainerSpec): Workload {
  const labels = pod.metadata.labels ?? {};
  const image = container.image ?? '';
  const tag = image.includes(':')
    ? image.slice(image.lastIndexOf(':') + 1)
    : 'latest';
  const ports =
    (container.ports as Array<{ containerPort?: number }> | undefined) ?? [];
  return {
    app:
      labels['app.kubernetes.io/name'] ??
      labels.app ??
      labels.component ??
      container.name,
    version: tag,
    port: ports[0]?.containerPort ?? 8080,
    style: logStyleOf(image),
    seed: `${pod.metadata.namespace}/${pod.metadata.name}/${container.name}`,
    podIp:
      (pod.status as { podIP?: string } | undefined)?.podIP ?? '10.244.0.10',
  };
}

/**
 * What the kubelet would serve for `GET /api/v1/namespaces/{ns}/pods/{name}/log`: the lines of
 * the container's current run (or, with `previous`, the run before it), deterministic for a given
 * pod status and clock. Errors carry the status code and message the Kubernetes API uses.
 */
export function podLog(
  pod: KubernetesObject,
  options: PodLogOptions,
): PodLogResult {
  const spec = podSpecOf(pod);
  const podName = pod.metadata.name;
  const containers = spec.containers ?? [];
  const initContainers = spec.initContainers ?? [];
  let containerName = options.container;
  if (!containerName) {
    if (containers.length !== 1) {
      return statusError(
        400,
        `a container name must be specified for pod ${podName}, choose one of: [${containers
          .map(c => c.name)
          .join(' ')}]${
          initContainers.length > 0
            ? ` or one of the init containers: [${initContainers
                .map(c => c.name)
                .join(' ')}]`
            : ''
        }`,
      );
    }
    containerName = containers[0].name;
  }
  const container = [...containers, ...initContainers].find(
    c => c.name === containerName,
  );
  if (!container) {
    return statusError(
      400,
      `container ${containerName} is not valid for pod ${podName}`,
    );
  }
  if (!spec.nodeName) {
    // the API server has no kubelet to ask yet; it answers with an empty log
    return { ok: true, container: containerName, lines: [], running: false };
  }
  if (!options.nodeReady) {
    return statusError(
      500,
      `Get "https://${
        options.nodeAddress ?? spec.nodeName
      }:10250/containerLogs/${
        pod.metadata.namespace
      }/${podName}/${containerName}": dial tcp ${
        options.nodeAddress ?? spec.nodeName
      }:10250: connect: no route to host`,
    );
  }
  const status = (
    (pod.status as { containerStatuses?: ContainerStatus[] } | undefined)
      ?.containerStatuses ?? []
  ).find(s => s.name === containerName);
  const podStart =
    parseTime((pod.status as { startTime?: string } | undefined)?.startTime) ??
    parseTime(pod.metadata.creationTimestamp) ??
    options.now;
  const runs = status ? containerRuns(podStart, status, options.now) : [];
  if (runs.length === 0) {
    return statusError(
      400,
      `container "${containerName}" in pod "${podName}" is waiting to start: ${
        status?.state?.waiting?.reason ?? 'ContainerCreating'
      }`,
    );
  }
  const run = options.previous ? runs[runs.length - 2] : runs[runs.length - 1];
  if (!run) {
    return statusError(
      400,
      `previous terminated container "${containerName}" in pod "${podName}" not found`,
    );
  }
  return {
    ok: true,
    container: containerName,
    lines: runLines(workloadOf(pod, container), run),
    running: run.outcome === 'running',
    startedAt: run.start,
  };
}
