import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { GitopsConfig } from '../config';
import { withCheckout } from '../checkout';
import { GitopsRemote } from '../git/GitopsRemote';
import { TeamMembership } from '../membership';
import { renderService } from '../render/service';
import { renderTeam } from '../render/team';
import { writeRendered } from '../render/write';
import {
  ENVIRONMENTS,
  EXPOSURES,
  IMAGE_UPDATES,
  QUOTA_SIZES,
  validateServiceInput,
  validateTeamInput,
} from '../validation';

export interface RenderDeps {
  config: GitopsConfig;
  remote: GitopsRemote;
  membership: TeamMembership;
  catalog: CatalogService;
}

/** A catalog member name: `guest` for `user:default/guest`, else the full ref. */
function memberName(userRef: string): string {
  const r = parseEntityRef(userRef);
  return r.namespace === 'default' ? r.name : userRef;
}

export function createRenderTeamAction(deps: RenderDeps) {
  const { config, remote, membership, catalog } = deps;
  return createTemplateAction({
    id: 'gitops:render:team',
    description:
      'Validates an onboarding request and renders K8s/teams/<team>/ (Namespace, quota, limits, network policies, RoleBinding, AppProject, catalog Group) into the workspace.',
    schema: {
      input: {
        team: z =>
          z.string().describe('Team name = namespace (DNS-1123, ≤ 40)'),
        displayName: z => z.string().describe('Human name of the team'),
        description: z => z.string().optional(),
        ownerGroup: z =>
          z
            .string()
            .optional()
            .describe('OIDC group bound to the edit role (default: team)'),
        businessUnit: z => z.string(),
        environment: z => z.enum(ENVIRONMENTS),
        quotaSize: z => z.enum(QUOTA_SIZES),
        costCenter: z => z.string(),
      },
      output: {
        path: z => z.string(),
        files: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const user = await membership.resolve(ctx);
      const path = await withCheckout(
        remote,
        config.branch,
        ctx.workspacePath,
        async repo => {
          const input = validateTeamInput(ctx.input, repo.platformNamespaces());
          if (!membership.isPlatform(user) && !config.selfServiceOnboarding) {
            throw new NotAllowedError(
              `onboarding team '${input.team}' requires platform-team membership`,
            );
          }
          if (repo.teamExists(input.team)) {
            throw new ConflictError(
              `team '${input.team}' already exists in the GitOps repository (K8s/teams/${input.team})`,
            );
          }
          const credentials = await ctx.getInitiatorCredentials();
          if (
            await catalog.getEntityByRef(`group:default/${input.team}`, {
              credentials,
            })
          ) {
            throw new ConflictError(
              `team '${input.team}' already exists in the catalog`,
            );
          }
          const rel = `K8s/teams/${input.team}`;
          const files = writeRendered(
            ctx.workspacePath,
            rel,
            renderTeam(input, {
              argoRepoUrl: repo.argoRepoUrl(),
              // the onboarding user becomes the first member, so they can scaffold into it
              members: user.userRef ? [memberName(user.userRef)] : [],
            }),
          );
          ctx.output('files', files);
          return rel;
        },
      );
      ctx.output('path', path);
    },
  });
}

export function createRenderServiceAction(deps: RenderDeps) {
  const { config, remote, membership } = deps;
  return createTemplateAction({
    id: 'gitops:render:service',
    description:
      'Validates a new-service request and renders K8s/apps/<team>/<service>/ (Deployment, Service, optional PDB/HTTPRoute/ServiceMonitor/ExternalSecret, catalog Component) into the workspace.',
    schema: {
      input: {
        name: z => z.string().describe('Service name (DNS-1123, ≤ 30)'),
        owner: z => z.string().describe('Owner team (group name = namespace)'),
        description: z => z.string(),
        image: z => z.string().describe('Image repository without tag'),
        tag: z => z.string().optional(),
        semverRange: z => z.string().optional(),
        port: z => z.number().int(),
        replicas: z => z.number().int(),
        tier: z => z.number().int(),
        exposure: z => z.enum(EXPOSURES),
        hostname: z => z.string().optional(),
        metricsPath: z => z.string().optional(),
        secrets: z => z.array(z.string()).optional(),
        imageUpdate: z => z.enum(IMAGE_UPDATES).optional(),
        tagPattern: z => z.string().optional(),
      },
      output: {
        path: z => z.string(),
        files: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const user = await membership.resolve(ctx);
      const owner = String(ctx.input.owner ?? '').replace(
        /^group:(default\/)?/,
        '',
      );
      const raw = { ...ctx.input, owner };
      // membership first: a stranger learns nothing about another team's repo content
      membership.assertMember(user, owner);
      const path = await withCheckout(
        remote,
        config.branch,
        ctx.workspacePath,
        async repo => {
          const input = validateServiceInput(raw, repo.platformNamespaces());
          if (input.tier <= 2 && !membership.isPlatform(user)) {
            throw new NotAllowedError(
              `tier ${input.tier} is reserved for platform-team; teams choose tier 3 or 4`,
            );
          }
          const ns = repo.teamNamespace(owner);
          if (!repo.teamExists(owner) || !ns) {
            throw new InputError(
              `team '${owner}' is not onboarded: K8s/teams/${owner} has no Namespace`,
            );
          }
          if (repo.serviceExists(owner, input.name)) {
            throw new ConflictError(
              `service '${input.name}' already exists (K8s/apps/${owner}/${input.name})`,
            );
          }
          const rel = `K8s/apps/${owner}/${input.name}`;
          const files = writeRendered(
            ctx.workspacePath,
            rel,
            renderService(input, { namespaceLabels: ns.metadata.labels ?? {} }),
          );
          ctx.output('files', files);
          return rel;
        },
      );
      ctx.output('path', path);
    },
  });
}
