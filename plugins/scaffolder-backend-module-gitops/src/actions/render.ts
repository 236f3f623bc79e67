import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { serviceDir, teamDir } from '@internal/gitops-repo';
import { GitopsActionDeps, openTaskCheckout } from '../core';
import { renderService } from '../render/service';
import { renderTeam } from '../render/team';
import { writeRendered } from '../render/write';
import {
  assertRendered,
  ENVIRONMENTS,
  EXPOSURES,
  IMAGE_UPDATES,
  normalizeOwnerRef,
  QUOTA_SIZES,
  validateServiceInput,
  validateTeamInput,
} from '../validation';
import { runbookValues } from '../render/runbook';

/** A catalog member name: `guest` for `user:default/guest`, else the full ref. */
function memberName(userRef: string): string {
  const r = parseEntityRef(userRef);
  return r.namespace === 'default' ? r.name : userRef;
}

export function createRenderTeamAction(deps: GitopsActionDeps) {
  const { config, repository, authorizer, catalog } = deps;
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
            .describe(
              'Identity-provider group bound to the edit role (default: team); no system:* or kube-* groups, ":" and "/" only after a prefix in gitops.ownerGroupPrefixes',
            ),
        businessUnit: z => z.string(),
        environment: z => z.enum(ENVIRONMENTS),
        quotaSize: z => z.enum(QUOTA_SIZES),
        costCenter: z => z.string(),
      },
      output: {
        path: z => z.string(),
        files: z => z.array(z.string()),
        team: z => z.string(),
      },
    },
    async handler(ctx) {
      assertRendered(ctx.input);
      const user = await authorizer.resolveUser(ctx);
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      const input = validateTeamInput(
        ctx.input,
        repo.platformNamespaces(),
        config.ownerGroupPrefixes,
      );
      const rel = teamDir(input.team);
      authorizer.assertMayWrite(user, rel, 'create');
      if (repo.teamExists(input.team)) {
        throw new ConflictError(
          `team '${input.team}' already exists in the GitOps repository (${rel})`,
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
      ctx.output('team', input.team);
      ctx.output('path', rel);
    },
  });
}

export function createRenderServiceAction(deps: GitopsActionDeps) {
  const { repository, authorizer } = deps;
  return createTemplateAction({
    id: 'gitops:render:service',
    description:
      'Validates a new-service request and renders K8s/apps/<team>/<service>/ (Deployment, Service, optional PDB/HTTPRoute/ServiceMonitor/ExternalSecret, catalog Component) into the workspace.',
    schema: {
      input: {
        name: z => z.string().describe('Service name (DNS-1123, ≤ 30)'),
        owner: z =>
          z
            .string()
            .describe(
              'Owner team as a catalog Group ref (group:default/<team>); a bare name means group:default/<name>',
            ),
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
        team: z => z.string(),
        runbook: z =>
          z
            .record(z.string())
            .describe('values of the runbook skeleton (docs/, mkdocs.yml)'),
      },
    },
    async handler(ctx) {
      assertRendered(ctx.input);
      const user = await authorizer.resolveUser(ctx);
      const { team } = normalizeOwnerRef(ctx.input.owner);
      // membership first: a stranger learns nothing about another team's repo content
      authorizer.assertMayWrite(
        user,
        serviceDir(team, ctx.input.name),
        'create',
      );
      const { repo } = await openTaskCheckout(repository, ctx.workspacePath);
      const input = validateServiceInput(
        { ...ctx.input, owner: team },
        repo.platformNamespaces(),
      );
      if (input.tier <= 2 && !authorizer.isPlatform(user.groups)) {
        throw new NotAllowedError(
          `tier ${input.tier} is reserved for ${authorizer.platformGroup}; teams choose tier 3 or 4`,
        );
      }
      const ns = repo.teamNamespace(team);
      if (!repo.teamExists(team) || !ns) {
        throw new InputError(
          `team '${team}' is not onboarded: ${teamDir(team)} has no Namespace`,
        );
      }
      const rel = serviceDir(team, input.name);
      if (repo.serviceExists(team, input.name)) {
        throw new ConflictError(
          `service '${input.name}' already exists (${rel})`,
        );
      }
      const files = writeRendered(
        ctx.workspacePath,
        rel,
        renderService(input, { namespaceLabels: ns.metadata.labels ?? {} }),
      );
      ctx.output('files', files);
      ctx.output('team', team);
      ctx.output('path', rel);
      ctx.output('runbook', runbookValues(input));
    },
  });
}
