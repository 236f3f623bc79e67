import { parseEntityRef } from '@backstage/catalog-model';
import {
  NOTIFICATION_TOPICS,
  type SignalSource,
  type WatchedSignal,
} from '../signals';

/** A task as `GET /api/scaffolder/v2/tasks` lists it. */
export interface ScaffolderTask {
  id: string;
  status: string;
  createdBy?: string;
  lastHeartbeatAt?: string;
  spec: {
    templateInfo?: {
      entityRef?: string;
      entity?: { metadata?: { title?: string; name?: string } };
    };
  };
}

/** An event of `GET /api/scaffolder/v2/tasks/:id/events`. */
export interface ScaffolderTaskEvent {
  type: string;
  body: {
    message?: string;
    output?: {
      links?: Array<{ title?: string; url?: string; entityRef?: string }>;
      text?: Array<{ title?: string; content?: string }>;
    };
    error?: { message?: string };
  };
}

const FINISHED = ['completed', 'failed'];

function entityPathOfRef(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/** The notification of one finished task: the link its output gives (commit or pull request), or why it failed. */
export function taskSignal(
  task: ScaffolderTask,
  events: ScaffolderTaskEvent[],
): WatchedSignal | undefined {
  if (!task.createdBy || !FINISHED.includes(task.status)) return undefined;
  const info = task.spec.templateInfo;
  const template =
    info?.entity?.metadata?.title ??
    info?.entity?.metadata?.name ??
    info?.entityRef ??
    'a template';
  const completion = events.find(e => e.type === 'completion');
  const recipients = { type: 'entity' as const, entityRef: task.createdBy };
  const base = {
    key: `scaffolder-task:${task.id}`,
    condition: task.status,
    healthy: task.status === 'completed',
    graceMs: 0,
    event: true,
    recipients,
  };
  if (task.status === 'failed') {
    return {
      ...base,
      payload: {
        title: `${template} failed`,
        description:
          completion?.body.error?.message ??
          completion?.body.message ??
          'The task failed.',
        link: `/create/tasks/${task.id}`,
        severity: 'high',
        topic: NOTIFICATION_TOPICS.scaffolderTask,
      },
    };
  }
  // the commit or pull request when the template links one (production), else what it made
  const output = completion?.body.output;
  const urlLink = output?.links?.find(l => l.url);
  const entityLink = output?.links?.find(l => l.entityRef);
  const text = output?.text?.map(t => t.content?.trim()).find(Boolean);
  return {
    ...base,
    payload: {
      title: `${template} finished`,
      description: urlLink
        ? `${urlLink.title ?? 'Result'}: ${urlLink.url}`
        : text ?? 'The task completed.',
      link:
        urlLink?.url ??
        (entityLink?.entityRef
          ? entityPathOfRef(entityLink.entityRef)
          : `/create/tasks/${task.id}`),
      severity: 'low',
      topic: NOTIFICATION_TOPICS.scaffolderTask,
    },
  };
}

/**
 * Scaffolder tasks that finished within `windowMs`, for the person who ran them. The scaffolder
 * backend sends no notification of its own when a task ends (only the `notification:send`
 * action, which a failed task never reaches), so this source does.
 */
export class ScaffolderTaskSignalSource implements SignalSource {
  readonly name = 'scaffolder';

  constructor(
    private readonly options: {
      listFinished: () => Promise<ScaffolderTask[]>;
      events: (taskId: string) => Promise<ScaffolderTaskEvent[]>;
      windowMs: number;
      now?: () => number;
    },
  ) {}

  async collect(): Promise<WatchedSignal[]> {
    const now = (this.options.now ?? Date.now)();
    const recent = (await this.options.listFinished()).filter(task => {
      const finishedAt = task.lastHeartbeatAt
        ? Date.parse(task.lastHeartbeatAt)
        : NaN;
      return now - finishedAt <= this.options.windowMs;
    });
    const signals: WatchedSignal[] = [];
    for (const task of recent) {
      const signal = taskSignal(task, await this.options.events(task.id));
      if (signal) signals.push(signal);
    }
    return signals;
  }
}
