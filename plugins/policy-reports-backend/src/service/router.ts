import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  InvalidLabelSelectorError,
  filterResults,
  groupResultsByResource,
  isFailing,
  kubernetesTargetOfEntity,
  policyReportsEntityReadPermission,
  policyReportsOverviewReadPermission,
  summarizeResults,
  type ComplianceOverviewResponse,
  type EntityPolicyResultsResponse,
  type PolicyDetailResponse,
  type PolicyResult,
} from '@internal/plugin-policy-reports-common';
import express from 'express';
import Router from 'express-promise-router';
import type { PolicyDefinitions } from './PolicyDefinitions';
import type { PolicyReportIndex } from './PolicyReportIndex';
import {
  entityResultsQuerySchema,
  overviewQuerySchema,
  parseInput,
  policyNameSchema,
  policyQuerySchema,
} from './queries';

/** What the routes need; everything is injected so the plugin only wires. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  index: PolicyReportIndex;
  definitions: PolicyDefinitions;
}

function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].filter(Boolean).sort();
}

/** The routes of the policy-reports backend. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, userInfo, catalog, index, definitions } =
    options;
  const router = Router();

  async function requireBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`missing permission ${permission.name}`);
    }
  }

  function requireKnownCluster(cluster: string | undefined) {
    if (cluster && !index.clusterNames().includes(cluster)) {
      throw new InputError(`unknown cluster "${cluster}"`);
    }
  }

  /**
   * The namespaces owned by the signed-in user's teams: every Group the user
   * belongs to (their catalog ownership refs) is matched against the `owner`
   * label onboarding writes on each team Namespace.
   */
  async function namespacesOfUsersTeams(
    credentials: BackstageCredentials,
    namespaceTeams: Map<string, string>,
  ): Promise<string[]> {
    // A service calling on its own behalf belongs to no team.
    if ((credentials.principal as { type?: string }).type !== 'user') return [];
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    const teams = new Set(
      ownershipEntityRefs
        .map(ref => parseEntityRef(ref))
        .filter(ref => ref.kind.toLocaleLowerCase('en-US') === 'group')
        .map(ref => ref.name),
    );
    return [...namespaceTeams]
      .filter(([, team]) => teams.has(team))
      .map(([namespace]) => namespace)
      .sort();
  }

  router.get('/entity/:namespace/:kind/:name/results', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(entityResultsQuerySchema, req.query, 'filters');
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const [decision] = await permissions.authorize(
      [
        {
          permission: policyReportsEntityReadPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `missing permission ${policyReportsEntityReadPermission.name} for ${entityRef}`,
      );
    }
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`no entity ${entityRef}`);
    const target = kubernetesTargetOfEntity(entity.metadata.annotations);
    if (!target) {
      throw new InputError(
        `${entityRef} has neither a backstage.io/kubernetes-id nor a backstage.io/kubernetes-label-selector annotation`,
      );
    }
    let all: PolicyResult[];
    try {
      all = index.entityResults(target);
    } catch (error) {
      if (error instanceof InvalidLabelSelectorError) {
        throw new InputError(`${entityRef}: ${error.message}`);
      }
      throw error;
    }
    const filtered = filterResults(all, query);
    const body: EntityPolicyResultsResponse = {
      summary: summarizeResults(all),
      filteredSummary: summarizeResults(filtered),
      resources: groupResultsByResource(filtered),
      facets: {
        policies: distinctSorted(all.map(result => result.policy)),
        categories: distinctSorted(all.map(result => result.category)),
        clusters: distinctSorted(all.map(result => result.cluster)),
      },
      clusters: index.clusterStatuses(),
    };
    res.json(body);
  });

  router.get('/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requireBasic(policyReportsOverviewReadPermission, credentials);
    const query = parseInput(overviewQuerySchema, req.query, 'filters');
    requireKnownCluster(query.cluster);
    const namespaceTeams = index.namespaceTeams(query.cluster);
    let namespaces: string[] | undefined;
    if (query.team?.length) {
      const teams = new Set(query.team);
      namespaces = [...namespaceTeams]
        .filter(([, team]) => teams.has(team))
        .map(([namespace]) => namespace);
    }
    let ownedNamespaces: string[] | undefined;
    if (query.mine) {
      ownedNamespaces = await namespacesOfUsersTeams(
        credentials,
        namespaceTeams,
      );
      const owned = new Set(ownedNamespaces);
      namespaces = (namespaces ?? ownedNamespaces).filter(namespace =>
        owned.has(namespace),
      );
    }
    const overview = index.overview({
      cluster: query.cluster,
      namespaces,
      severities: query.severity,
    });
    const body: ComplianceOverviewResponse = {
      ...overview,
      teams: distinctSorted(namespaceTeams.values()),
      ...(ownedNamespaces ? { ownedNamespaces } : {}),
      clusters: index.clusterStatuses(),
    };
    res.json(body);
  });

  router.get('/policies/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requireBasic(policyReportsOverviewReadPermission, credentials);
    const name = parseInput(policyNameSchema, req.params.name, 'policy name');
    const query = parseInput(policyQuerySchema, req.query, 'filters');
    requireKnownCluster(query.cluster);
    const results = index
      .results(query.cluster)
      .filter(result => result.policy === name);
    const definition = await definitions.find(name);
    if (!definition && results.length === 0) {
      throw new NotFoundError(
        `no ClusterPolicy "${name}" in any cluster or the GitOps repository, and no results for it`,
      );
    }
    const body: PolicyDetailResponse = {
      ...(definition ? { definition } : {}),
      summary: summarizeResults(results),
      failingResources: groupResultsByResource(
        results.filter(result => isFailing(result.result)),
      ),
      clusters: index.clusterStatuses(),
    };
    res.json(body);
  });

  return router;
}
