import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import type { PodLogRequest, PodLogSource } from './PodLogSource';

const component = (name: string, annotations: Record<string, string>) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner: 'group:default/team-storefront', type: 'service' },
  } as Entity);

const ENTITIES = [
  component('checkout', {
    'backstage.io/kubernetes-id': 'checkout',
    'backstage.io/kubernetes-namespace': 'storefront',
  }),
  component('argocd', {
    'backstage.io/kubernetes-label-selector':
      'app.kubernetes.io/part-of=argocd',
  }),
];

/** Pods in one fake cluster; the log is the request echoed, so tests see what was asked. */
class FakeSource implements PodLogSource {
  readonly requests: PodLogRequest[] = [];
  private readonly pods: Record<string, Record<string, string>> = {
    'storefront/checkout-abc': { 'backstage.io/kubernetes-id': 'checkout' },
    'argocd/argocd-server-xyz': { 'app.kubernetes.io/part-of': 'argocd' },
    'misc/orphan-1': { app: 'orphan' },
  };
  async getPodLabels(r: { namespace: string; pod: string }) {
    return this.pods[`${r.namespace}/${r.pod}`];
  }
  async getLog(r: PodLogRequest) {
    this.requests.push(r);
    return `log of ${r.namespace}/${r.pod}/${r.container}${
      r.previous ? ' (previous)' : ''
    }\n`;
  }
}

/** A user who may read logs of the entities in `allowed` (as the ownership condition would decide). */
async function appFor(options: {
  overall: AuthorizeResult;
  allowed?: string[];
}) {
  const source = new FakeSource();
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async requests =>
      requests.map(() =>
        options.overall === AuthorizeResult.CONDITIONAL
          ? ({
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: { rule: 'IS_ENTITY_OWNER', params: {} },
            } as any)
          : { result: options.overall },
      ),
    authorize: async requests =>
      requests.map(r => ({
        result: options.allowed?.includes((r as any).resourceRef)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
  });
  const router = await createRouter({
    source,
    catalog: catalogServiceMock({ entities: ENTITIES }),
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user('user:default/guest'),
    }),
    permissions,
  });
  const app = express().use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return { app, source };
}

const logUrl = (namespace: string, pod: string, query = 'container=app') =>
  `/clusters/sandbox/namespaces/${namespace}/pods/${pod}/log?${query}`;

describe('pod logs router', () => {
  it('gives the owners of the component the log of its pod', async () => {
    const { app, source } = await appFor({
      overall: AuthorizeResult.CONDITIONAL,
      allowed: ['component:default/checkout'],
    });
    const res = await request(app).get(
      logUrl('storefront', 'checkout-abc', 'container=checkout&previous=true'),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(
      'log of storefront/checkout-abc/checkout (previous)\n',
    );
    expect(source.requests[0]).toMatchObject({
      cluster: 'sandbox',
      previous: true,
    });
  });

  it('refuses users who do not own the component, naming it', async () => {
    const { app, source } = await appFor({
      overall: AuthorizeResult.CONDITIONAL,
      allowed: ['component:default/checkout'],
    });
    const res = await request(app).get(logUrl('argocd', 'argocd-server-xyz'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'the logs of pod argocd/argocd-server-xyz are for the owners of component:default/argocd',
    );
    expect(source.requests).toHaveLength(0);
  });

  it('keeps pods of no component to users allowed everything (the platform team)', async () => {
    const member = await appFor({ overall: AuthorizeResult.CONDITIONAL });
    const refused = await request(member.app).get(logUrl('misc', 'orphan-1'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /belongs to no catalog component/,
    );

    const platform = await appFor({ overall: AuthorizeResult.ALLOW });
    const res = await request(platform.app).get(logUrl('misc', 'orphan-1'));
    expect(res.status).toBe(200);
  });

  it('refuses users without the permission at all', async () => {
    const { app } = await appFor({ overall: AuthorizeResult.DENY });
    const res = await request(app).get(logUrl('storefront', 'checkout-abc'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'missing permission kubernetes.pod-logs.read',
    );
  });

  it('answers 404 for a missing pod and 400 for bad input, asking the cluster nothing', async () => {
    const { app, source } = await appFor({ overall: AuthorizeResult.ALLOW });
    expect((await request(app).get(logUrl('storefront', 'nope'))).status).toBe(
      404,
    );
    for (const url of [
      logUrl('storefront', 'checkout-abc', ''),
      logUrl('storefront', 'checkout-abc', 'container=Bad_Name'),
      logUrl('storefront', 'checkout-abc', 'container=app&tailLines=-3'),
      logUrl('storefront', 'checkout-abc', 'container=app&previous=maybe'),
      logUrl('Storefront', 'checkout-abc'),
    ]) {
      const res = await request(app).get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.error.name).toBe('InputError');
    }
    expect(source.requests).toHaveLength(0);
  });
});
