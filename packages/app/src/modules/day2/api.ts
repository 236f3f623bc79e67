import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** A service's settings as the GitOps remote holds them now (same names as new-service's). */
export interface CurrentServiceSettings {
  entity: string;
  team: string;
  service: string;
  path: string;
  /** Tree id of the service directory; the form sends it back (stale-form check). */
  revision: string;
  headCommit: string;
  values: Record<string, unknown>;
}

/** What committing a change would do. */
export interface ServiceChangePreview {
  path: string;
  revision: string;
  headCommit: string;
  changed: boolean;
  diff: string;
}

/** The day-2 forms' server side (scaffolder module gitops-day2). */
export interface GitopsDay2Api {
  getCurrentService(entityRef: string): Promise<CurrentServiceSettings>;
  previewServiceChange(request: {
    entity: string;
    baseRevision?: string;
    parameters: Record<string, unknown>;
  }): Promise<ServiceChangePreview>;
}

export const gitopsDay2ApiRef = createApiRef<GitopsDay2Api>({
  id: 'plugin.scaffolder.gitops-day2',
});

/** Calls the backend through the app's fetch API, which adds the user's token. */
export class GitopsDay2Client implements GitopsDay2Api {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async getCurrentService(entityRef: string) {
    const base = await this.deps.discoveryApi.getBaseUrl('scaffolder');
    const response = await this.deps.fetchApi.fetch(
      `${base}/gitops/services/current?entity=${encodeURIComponent(entityRef)}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as CurrentServiceSettings;
  }

  async previewServiceChange(request: {
    entity: string;
    baseRevision?: string;
    parameters: Record<string, unknown>;
  }) {
    const base = await this.deps.discoveryApi.getBaseUrl('scaffolder');
    const response = await this.deps.fetchApi.fetch(
      `${base}/gitops/services/preview`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ServiceChangePreview;
  }
}

/** The fields of new-service the change form pre-fills; name and owner never change. */
export const CHANGE_FORM_FIELDS = [
  'imageUpdate',
  'tag',
  'semverRange',
  'tagPattern',
  'replicas',
  'size',
  'tier',
  'exposure',
  'hostname',
  'env',
  'secrets',
];

/** The update-service form's URL, pre-filled (the scaffolder reads `formData` from the query). */
export function changeFormUrl(
  templatePath: string,
  current: CurrentServiceSettings,
): string {
  const formData: Record<string, unknown> = {
    entity: current.entity,
    baseRevision: current.revision,
  };
  for (const field of CHANGE_FORM_FIELDS) {
    if (current.values[field] !== undefined) {
      formData[field] = current.values[field];
    }
  }
  return `${templatePath}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}
