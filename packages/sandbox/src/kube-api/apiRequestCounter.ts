/** The verbs the request accounting tells apart. */
export type CountedVerb = 'list' | 'watch' | 'get';

/** What one (group, resource, verb) cost since the last reset. */
export interface ApiRequestCount {
  /** `` for the core group. */
  group: string;
  /** The plural, e.g. `pods`. */
  resource: string;
  verb: CountedVerb;
  /** Requests answered (including errors) since the last reset. */
  requests: number;
  /** Response bytes written since the last reset (watch streams count as they send). */
  bytes: number;
  /** Watch streams open now (watch only). */
  openWatches?: number;
}

/** Everything counted since {@link ApiRequestCounts.since}. */
export interface ApiRequestCounts {
  kind: 'SandboxApiRequests';
  /** When counting started (server start or the last reset), ISO 8601. */
  since: string;
  requests: ApiRequestCount[];
  total: { requests: number; bytes: number };
}

/** Identifies what a request touched. */
export interface CountedRequest {
  group: string;
  resource: string;
  verb: CountedVerb;
}

/**
 * Request and byte accounting of the Kubernetes API per (group, resource, verb), so benchmarks
 * can tell how often and how much each reader asks. Reset keeps the open-watch counts (they
 * describe now, not the past).
 */
export class ApiRequestCounter {
  private counts = new Map<string, ApiRequestCount>();
  private readonly open = new Map<
    string,
    { what: CountedRequest; count: number }
  >();
  private since: Date;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  /** Counts one request. */
  request(what: CountedRequest): void {
    this.entry(what).requests += 1;
  }

  /** Adds response bytes to what the request touched. */
  bytes(what: CountedRequest, bytes: number): void {
    this.entry(what).bytes += bytes;
  }

  watchOpened(what: CountedRequest): void {
    const key = keyOf(what);
    const open = this.open.get(key) ?? { what, count: 0 };
    open.count += 1;
    this.open.set(key, open);
  }

  watchClosed(what: CountedRequest): void {
    const open = this.open.get(keyOf(what));
    if (open) open.count = Math.max(0, open.count - 1);
  }

  snapshot(): ApiRequestCounts {
    for (const { what, count } of this.open.values()) {
      if (count > 0) this.entry(what);
    }
    const requests = [...this.counts.entries()]
      .map(([key, count]) =>
        count.verb === 'watch'
          ? { ...count, openWatches: this.open.get(key)?.count ?? 0 }
          : { ...count },
      )
      .sort(
        (a, b) =>
          a.group.localeCompare(b.group) ||
          a.resource.localeCompare(b.resource) ||
          a.verb.localeCompare(b.verb),
      );
    return {
      kind: 'SandboxApiRequests',
      since: this.since.toISOString(),
      requests,
      total: {
        requests: requests.reduce((sum, c) => sum + c.requests, 0),
        bytes: requests.reduce((sum, c) => sum + c.bytes, 0),
      },
    };
  }

  reset(): void {
    this.counts = new Map();
    this.since = this.now();
  }

  private entry(what: CountedRequest): ApiRequestCount {
    const key = keyOf(what);
    let count = this.counts.get(key);
    if (!count) {
      count = {
        group: what.group,
        resource: what.resource,
        verb: what.verb,
        requests: 0,
        bytes: 0,
      };
      this.counts.set(key, count);
    }
    return count;
  }
}

function keyOf(what: CountedRequest): string {
  return `${what.group}\u0000${what.resource}\u0000${what.verb}`;
}
