import {
  ApiBlueprint,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';
import { GitopsDay2Client, gitopsDay2ApiRef } from './api';

/** Services the GitOps repository deploys (new-service writes these annotations). */
function isGitopsService(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'component' &&
    (entity.spec as { type?: string } | undefined)?.type === 'service' &&
    Boolean(entity.metadata.annotations?.['argocd/app-name'])
  );
}

/** Teams onboarded through the GitOps repository (onboard-team writes this annotation). */
function isGitopsTeam(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'group' &&
    Boolean(entity.metadata.annotations?.['idp.platform/quota-size'])
  );
}

const gitopsDay2Api = ApiBlueprint.make({
  name: 'gitops-day2',
  params: defineParams =>
    defineParams({
      api: gitopsDay2ApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new GitopsDay2Client(deps),
    }),
});

const manageServiceCard = EntityCardBlueprint.make({
  name: 'manage-service',
  params: {
    filter: isGitopsService,
    loader: () =>
      import('./ManageServiceCard').then(m => <m.ManageServiceCard />),
  },
});

const manageTeamCard = EntityCardBlueprint.make({
  name: 'manage-team',
  params: {
    filter: isGitopsTeam,
    loader: () => import('./ManageTeamCard').then(m => <m.ManageTeamCard />),
  },
});

const serviceChangePreviewField = FormFieldBlueprint.make({
  name: 'service-change-preview',
  params: {
    field: () =>
      import('./ServiceChangePreviewField').then(m =>
        createFormField({
          name: 'GitopsServiceChangePreview',
          component: m.ServiceChangePreviewField,
        }),
      ),
  },
});

const deployedRevisionPickerField = FormFieldBlueprint.make({
  name: 'deployed-revision-picker',
  params: {
    field: () =>
      import('./DeployedRevisionPickerField').then(m =>
        createFormField({
          name: 'GitopsDeployedRevisionPicker',
          component: m.DeployedRevisionPickerField,
        }),
      ),
  },
});

/**
 * Day 2 of what self-service created: the Manage card on a service's page and the change
 * form's diff review field, both backed by the scaffolder module gitops-day2.
 */
export const day2Module = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    gitopsDay2Api,
    manageServiceCard,
    manageTeamCard,
    serviceChangePreviewField,
    deployedRevisionPickerField,
  ],
});
