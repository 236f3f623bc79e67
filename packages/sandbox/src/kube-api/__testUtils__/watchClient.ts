import { request as httpRequest, type ClientRequest } from 'node:http';

/** One decoded line of a watch response. */
export interface WatchLine {
  type: string;
  object: any;
}

/** An open watch response read line by line. */
export interface OpenWatch {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every event received so far. */
  events: WatchLine[];
  /** Resolves once at least `count` events have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<WatchLine[]>;
  /** Resolves when the server ended the response. */
  ended: Promise<void>;
  /** The body when the answer was not a 200 stream. */
  body?: any;
  close(): void;
}

/**
 * Opens a watch over plain HTTP (node:http, no agent: Backstage's jest setup blocks fetch) and
 * decodes the newline-delimited JSON events as they arrive.
 */
export function openWatch(
  url: string,
  headers: Record<string, string>,
): Promise<OpenWatch> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    req = httpRequest(url, { headers, agent: false }, res => {
      const events: WatchLine[] = [];
      const waiters: Array<() => void> = [];
      let buffered = '';
      let endedResolve!: () => void;
      const ended = new Promise<void>(r => {
        endedResolve = r;
      });
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', c => {
          text += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            events,
            body: JSON.parse(text),
            waitFor: async () => events,
            ended: Promise.resolve(),
            close: () => req?.destroy(),
          }),
        );
        return;
      }
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          events.push(JSON.parse(buffered.slice(0, newline)));
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
        for (const waiter of waiters.splice(0)) waiter();
      });
      let isEnded = false;
      const onEnd = () => {
        isEnded = true;
        endedResolve();
        for (const waiter of waiters.splice(0)) waiter();
      };
      res.on('end', onEnd);
      res.on('error', onEnd);
      const waitFor = (count: number, timeoutMs = 5000) =>
        new Promise<WatchLine[]>((resolveWait, rejectWait) => {
          const timer = setTimeout(
            () =>
              rejectWait(
                new Error(
                  `expected ${count} watch events, got ${
                    events.length
                  }: ${JSON.stringify(events.map(e => e.type))}`,
                ),
              ),
            timeoutMs,
          );
          const check = () => {
            if (events.length >= count || isEnded) {
              clearTimeout(timer);
              if (events.length >= count) resolveWait(events.slice(0, count));
              else
                rejectWait(
                  new Error(
                    `the watch ended after ${events.length} of ${count} events`,
                  ),
                );
            } else waiters.push(check);
          };
          check();
        });
      resolve({
        status: 200,
        headers: res.headers,
        events,
        waitFor,
        ended,
        close: () => req?.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
