import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  policyReportsEntityReadPermission,
  policyReportsOverviewReadPermission,
} from '@internal/plugin-policy-reports-common';
import { WriteAuthorizer } from '@internal/gitops-repo';
import {
  tierHealthNodesReadPermission,
  tierHealthReadPermission,
} from '@internal/plugin-tier-health-common';

/** What a non-platform user gets for a permission. */
export type Rule = 'allow' | 'deny' | 'owner';

/**
 * The portal's rules for signed-in users outside platform-team. Git is the only write path:
 * nobody but the platform registers or unregisters catalog locations by hand, and nobody
 * talks to a cluster through the Kubernetes proxy. Templates run for everyone, because the
 * GitOps actions enforce team boundaries on the server themselves.
 */
export const RULES: Readonly<Record<string, Rule>> = {
  [catalogEntityReadPermission.name]: 'allow',
  [catalogEntityRefreshPermission.name]: 'allow',
  [catalogEntityValidatePermission.name]: 'allow',
  [catalogLocationReadPermission.name]: 'allow',
  // entities come from the GitOps repo; registering or unregistering by hand is platform work
  [catalogEntityCreatePermission.name]: 'deny',
  [catalogLocationCreatePermission.name]: 'deny',
  [catalogLocationDeletePermission.name]: 'deny',
  [catalogIngestionManagePermission.name]: 'deny',
  // a team may remove its own orphaned entities (the GitOps provider re-adds live ones)
  [catalogEntityDeletePermission.name]: 'owner',

  [templateParameterReadPermission.name]: 'allow',
  [templateStepReadPermission.name]: 'allow',
  [actionExecutePermission.name]: 'allow',
  [taskCreatePermission.name]: 'allow',
  [taskReadPermission.name]: 'allow',
  [taskCancelPermission.name]: 'allow',
  // authoring templates (editor, dry-run) is the platform team's job
  [templateManagementPermission.name]: 'deny',
  [templateDryRunPermission.name]: 'deny',

  [policyReportsEntityReadPermission.name]: 'allow',
  [policyReportsOverviewReadPermission.name]: 'allow',
  [tierHealthReadPermission.name]: 'allow',
  // Node names, pools and what-if losses tell an application team why its service is at risk;
  // they carry no secrets. A platform that hides its layout turns this rule to 'deny' (the page
  // then explains which permission is missing).
  [tierHealthNodesReadPermission.name]: 'allow',

  // the proxy can do anything the cluster's service account can; changes go through Git
  'kubernetes.proxy': 'deny',
  // ArgoCD through the portal is read-only for people (plugins/argocd-backend-module-guard).
  // Not even a team's own Application: Roadie's sync takes a label selector across every
  // instance, so it cannot be scoped to one team, and automated sync applies each commit anyway.
  'argocd.application.sync': 'deny',
  'argocd.application.write': 'deny',
  // a team reads the logs of its own components' pods (plugins/kubernetes-pod-logs-backend)
  'kubernetes.pod-logs.read': 'owner',
};

/**
 * Permissions not in RULES (other plugins: search, kubernetes reads, notifications,
 * signals...): reads are allowed, anything else is denied until a rule says otherwise.
 */
export function defaultRule(permission: Permission): Rule {
  return permission.attributes.action === 'read' ? 'allow' : 'deny';
}

/**
 * The decision rules as a pure function: user groups × permission → decision. Who belongs to
 * the platform (and so may do everything) is the GitOps write authorizer's answer, the same the
 * scaffolder actions get.
 */
export function decide(
  permission: Permission,
  ownershipEntityRefs: string[],
  authorizer: Pick<WriteAuthorizer, 'isPlatform'>,
): PolicyDecision {
  if (authorizer.isPlatform(ownershipEntityRefs)) {
    return { result: AuthorizeResult.ALLOW };
  }
  const rule = RULES[permission.name] ?? defaultRule(permission);
  if (rule === 'allow') return { result: AuthorizeResult.ALLOW };
  if (rule === 'owner' && isResourcePermission(permission, 'catalog-entity')) {
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ownershipEntityRefs },
      },
    };
  }
  return { result: AuthorizeResult.DENY };
}

/**
 * platform-team may do everything; other signed-in users follow RULES. Requests without a
 * user (service-to-service) are not sent here by the framework.
 */
export class IdpPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly authorizer: Pick<
      WriteAuthorizer,
      'isPlatform'
    > = new WriteAuthorizer({
      platformGroup: 'group:default/platform-team',
      selfServiceOnboarding: false,
    }),
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return decide(
      request.permission,
      user?.info.ownershipEntityRefs ?? [],
      this.authorizer,
    );
  }
}
