import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCreatePermission,
  taskReadPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  policyReportsEntityReadPermission,
  policyReportsOverviewReadPermission,
} from '@internal/plugin-policy-reports-common';
import {
  tierHealthNodesReadPermission,
  tierHealthReadPermission,
} from '@internal/plugin-tier-health-common';
import { IdpPermissionPolicy } from './policy';

const GUEST = ['user:default/guest', 'group:default/team-storefront'];
const PLATFORM = ['user:default/maria.garcia', 'group:default/platform-team'];

const podLogsRead = createPermission({
  name: 'kubernetes.pod-logs.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const kubernetesProxy = createPermission({
  name: 'kubernetes.proxy',
  attributes: {},
});
// plugins/argocd-backend-module-guard's permissions, by name as the policy knows them
const argocdSync = createPermission({
  name: 'argocd.application.sync',
  attributes: { action: 'update' },
});
const argocdWrite = createPermission({
  name: 'argocd.application.write',
  attributes: { action: 'update' },
});
const searchQuery = createPermission({
  name: 'search.query',
  attributes: { action: 'read' },
});
const unknownWrite = createPermission({
  name: 'other.thing.update',
  attributes: { action: 'update' },
});

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

describe('IdpPermissionPolicy', () => {
  const policy = new IdpPermissionPolicy();
  const ask = (permission: any, refs: string[]) =>
    policy.handle({ permission }, {
      identity: {
        type: 'user',
        userEntityRef: refs[0],
        ownershipEntityRefs: refs,
      },
      token: 't',
      credentials: {} as any,
      info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
    } as any);

  it.each([
    // permission, guest (team-storefront), platform-team
    [catalogEntityReadPermission, ALLOW, ALLOW],
    [catalogEntityRefreshPermission, ALLOW, ALLOW],
    [catalogEntityCreatePermission, DENY, ALLOW],
    [catalogLocationCreatePermission, DENY, ALLOW],
    [catalogEntityDeletePermission, CONDITIONAL, ALLOW],
    [templateParameterReadPermission, ALLOW, ALLOW],
    [templateStepReadPermission, ALLOW, ALLOW],
    [actionExecutePermission, ALLOW, ALLOW],
    [taskCreatePermission, ALLOW, ALLOW],
    [taskReadPermission, ALLOW, ALLOW],
    [templateManagementPermission, DENY, ALLOW],
    [policyReportsEntityReadPermission, ALLOW, ALLOW],
    [policyReportsOverviewReadPermission, ALLOW, ALLOW],
    [tierHealthReadPermission, ALLOW, ALLOW],
    [tierHealthNodesReadPermission, ALLOW, ALLOW],
    [kubernetesProxy, DENY, ALLOW],
    [argocdSync, DENY, ALLOW],
    [argocdWrite, DENY, ALLOW],
    // a team reads its own pods' logs: allowed where the catalog says it owns the component
    [podLogsRead, CONDITIONAL, ALLOW],
    [searchQuery, ALLOW, ALLOW],
    [unknownWrite, DENY, ALLOW],
  ])('%s: guest %s, platform %s', async (permission, guest, platform) => {
    expect((await ask(permission, GUEST)).result).toBe(guest);
    expect((await ask(permission, PLATFORM)).result).toBe(platform);
  });

  it('lets a team delete only the entities it owns', async () => {
    expect(await ask(catalogEntityDeletePermission, GUEST)).toEqual({
      result: CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: GUEST },
      },
    });
  });

  it('denies writes to a request without a user', async () => {
    expect(
      (await policy.handle({ permission: catalogEntityCreatePermission }))
        .result,
    ).toBe(DENY);
  });
});
