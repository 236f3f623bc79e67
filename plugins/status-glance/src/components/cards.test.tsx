import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { act, screen, within } from '@testing-library/react';
import { statusGlanceApiRef, type StatusGlanceApi } from '../api';
import { argoCdSignals, entityGlance, podSignals } from '../glance/signals';
import type { EntityGlance } from '../glance/types';
import { history, kubernetesObjects, pod } from '../__testUtils__/glanceData';
import { EntityStatusGlanceCard, authorName } from './EntityStatusGlanceCard';
import { OwnedComponentsGlanceCard } from './OwnedComponentsGlanceCard';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'group:default/team-payments' },
});

const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const healthy = (ref: string) =>
  entityGlance(ref, [
    argoCdSignals({ value: history() }),
    podSignals({
      value: kubernetesObjects({
        replicas: 1,
        pods: [pod({ ready: true })],
      }),
    }),
  ]);

const degraded = (ref: string) =>
  entityGlance(ref, [
    argoCdSignals({
      value: history({
        applications: [
          {
            name: 'team-payments-checkout-api',
            sync: 'Synced',
            health: 'Degraded',
          },
        ],
      }),
    }),
    podSignals({
      value: kubernetesObjects({
        replicas: 2,
        pods: [
          pod({ ready: false, restarts: 3, waiting: 'CrashLoopBackOff' }),
          pod({ ready: false, restarts: 2, waiting: 'CrashLoopBackOff' }),
        ],
      }),
    }),
  ]);

const api = (
  answer: (entities: Entity[]) => Promise<EntityGlance[]>,
): StatusGlanceApi => ({ getGlances: jest.fn(answer) });

async function render(element: JSX.Element, apis: any[]) {
  await act(async () => {
    await renderInTestApp(element, {
      apis: apis as any,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
  });
}

describe('EntityStatusGlanceCard', () => {
  it('shows the headline, chips linking to their tabs and the deployed revision', async () => {
    const glanceApi = api(async ([entity]) => [
      degraded(`component:default/${entity.metadata.name}`),
    ]);
    await render(
      <EntityProvider entity={component('checkout-api')}>
        <EntityStatusGlanceCard />
      </EntityProvider>,
      [[statusGlanceApiRef, glanceApi]],
    );

    const card = await screen.findByLabelText('status at a glance');
    expect(
      within(card).getByLabelText('Degraded (failing)'),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: 'ArgoCD: Degraded (failing)' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-api/argocd');
    expect(
      within(card).getByRole('link', {
        name: 'Pods: 0/2 ready · 5 restarts (failing)',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/kubernetes',
    );
    expect(within(card).getByLabelText('deployed revision')).toHaveTextContent(
      /^Deployed fedcba9 .* by Grace Hopper — Pin the image$/,
    );
    expect(screen.queryByText(/Not reachable/)).not.toBeInTheDocument();
  });

  it('names the sources it could not reach', async () => {
    const glanceApi = api(async () => [
      entityGlance('component:default/checkout-api', [
        argoCdSignals({
          value: history({
            applications: [],
            deployments: [],
            failures: [
              {
                severity: 'error',
                title: 'ArgoCD instance "sandbox" is unreachable',
                message: 'connect ECONNREFUSED 127.0.0.1:7101',
              },
            ],
          }),
        }),
      ]),
    ]);
    await render(
      <EntityProvider entity={component('checkout-api')}>
        <EntityStatusGlanceCard />
      </EntityProvider>,
      [[statusGlanceApiRef, glanceApi]],
    );

    const list = await screen.findByRole('list', {
      name: 'unreachable sources',
    });
    expect(list).toHaveTextContent(
      'ArgoCD instance "sandbox" is unreachable (ArgoCD): connect ECONNREFUSED 127.0.0.1:7101',
    );
    expect(screen.getByLabelText('Unknown (unknown)')).toBeInTheDocument();
    expect(screen.queryByText('Healthy')).not.toBeInTheDocument();
  });

  it('says so when the glance cannot be read', async () => {
    const glanceApi = api(async () => {
      throw new Error('catalog unavailable');
    });
    await render(
      <EntityProvider entity={component('checkout-api')}>
        <EntityStatusGlanceCard />
      </EntityProvider>,
      [[statusGlanceApiRef, glanceApi]],
    );
    expect(
      await screen.findByText(/Could not read this component's status/),
    ).toBeInTheDocument();
  });
});

describe('OwnedComponentsGlanceCard', () => {
  it("lists the team's components worst first", async () => {
    const catalogApi = {
      getEntities: jest.fn(async () => ({
        items: [component('a-healthy'), component('b-degraded')],
      })),
    };
    const glanceApi = api(async entities =>
      entities.map(entity =>
        entity.metadata.name === 'b-degraded'
          ? degraded('component:default/b-degraded')
          : healthy('component:default/a-healthy'),
      ),
    );
    await render(
      <EntityProvider entity={team}>
        <OwnedComponentsGlanceCard />
      </EntityProvider>,
      [
        [catalogApiRef, catalogApi],
        [statusGlanceApiRef, glanceApi],
      ],
    );

    const table = await screen.findByRole('table', {
      name: 'Status of owned components',
    });
    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent(/^b-degraded\s*Degraded/);
    expect(second).toHaveTextContent(/^a-healthy\s*Healthy/);
    expect(catalogApi.getEntities).toHaveBeenCalledWith({
      filter: {
        kind: 'Component',
        'relations.ownedBy': 'group:default/team-payments',
      },
    });
  });

  it('says when the team owns nothing', async () => {
    const catalogApi = { getEntities: jest.fn(async () => ({ items: [] })) };
    const glanceApi = api(async () => []);
    await render(
      <EntityProvider entity={team}>
        <OwnedComponentsGlanceCard />
      </EntityProvider>,
      [
        [catalogApiRef, catalogApi],
        [statusGlanceApiRef, glanceApi],
      ],
    );
    expect(
      await screen.findByText('This team owns no components.'),
    ).toBeInTheDocument();
  });
});

describe('authorName', () => {
  it('drops the e-mail address', () => {
    expect(authorName('Grace Hopper <grace@example.com>')).toBe('Grace Hopper');
    expect(authorName('Ada Lovelace')).toBe('Ada Lovelace');
  });
});
