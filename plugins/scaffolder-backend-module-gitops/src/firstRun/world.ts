import fs from 'node:fs';
import path from 'node:path';
import { runbookValues } from '../render/runbook';
import { RepoState } from '../repoState';
import { renderService } from '../render/service';
import { renderTeam } from '../render/team';
import { RenderedFiles, toYaml } from '../render/yaml';
import { validateServiceInput, validateTeamInput } from '../validation';

/**
 * The first-run world: the application teams and services a fresh clone's `K8s/` holds, so the
 * portal shows a living platform before anybody has used a template. Every file is what the
 * onboard-team and new-service templates write for these inputs (the render functions of this
 * module plus the templates' README skeletons); `world.test.ts` fails when `K8s/` drifts from
 * them and `yarn workspace @internal/plugin-scaffolder-backend-module-gitops first-run:write`
 * rewrites them.
 */

/** One onboarding as the onboard-team template's form would send it. */
export interface FirstRunTeam {
  /** Input of `gitops:render:team` (= the template's parameters). */
  input: {
    team: string;
    displayName: string;
    description?: string;
    businessUnit: string;
    environment: 'development' | 'staging' | 'production';
    quotaSize: 'small' | 'medium' | 'large';
    costCenter: string;
  };
  /** The catalog user who ran the template; onboarding makes them the Group's first member. */
  onboardedBy: string;
}

/** One service as the new-service template would send it. */
export interface FirstRunService {
  input: Record<string, unknown> & { name: string; owner: string };
  /**
   * A change made by hand after scaffolding, applied to the rendered files; `why` says what it
   * shows. Only for the one service that fails an Audit policy on purpose.
   */
  handEdit?: { why: string; apply(files: RenderedFiles): void };
}

export const FIRST_RUN_TEAMS: FirstRunTeam[] = [
  {
    input: {
      team: 'team-storefront',
      displayName: 'Storefront',
      description: 'Customer-facing shop frontend and catalogue services.',
      businessUnit: 'commerce',
      environment: 'production',
      quotaSize: 'medium',
      costCenter: 'CC-1001',
    },
    onboardedBy: 'liam.chen',
  },
  {
    input: {
      team: 'team-payments',
      displayName: 'Payments',
      description: 'Checkout, payment providers and refunds.',
      businessUnit: 'finance',
      environment: 'production',
      quotaSize: 'small',
      costCenter: 'CC-2001',
    },
    onboardedBy: 'priya.patel',
  },
];

export const FIRST_RUN_SERVICES: FirstRunService[] = [
  {
    // exposed publicly through the public gateway
    input: {
      name: 'storefront-web',
      owner: 'team-storefront',
      description: 'The shop frontend customers browse and order from.',
      image: 'registry.example.com/team-storefront/storefront-web',
      tag: '2.4.1',
      port: 8080,
      replicas: 2,
      tier: 4,
      exposure: 'public',
      hostname: 'shop.example.com',
      metricsPath: '/metrics',
      imageUpdate: 'none',
    },
  },
  {
    // follows new releases inside a semver range (ArgoCD Image Updater), important: tier 3
    input: {
      name: 'product-catalog',
      owner: 'team-storefront',
      description: 'Product and price catalogue API behind the shop.',
      image: 'registry.example.com/team-storefront/product-catalog',
      semverRange: '^1.6',
      port: 8080,
      replicas: 2,
      tier: 3,
      exposure: 'internal',
      hostname: 'product-catalog.storefront.internal',
      metricsPath: '/metrics',
      imageUpdate: 'semver',
    },
  },
  {
    input: {
      name: 'checkout-api',
      owner: 'team-payments',
      description: 'Takes orders to payment: carts, payment intents, receipts.',
      image: 'registry.example.com/team-payments/checkout-api',
      tag: '3.2.0',
      port: 8080,
      replicas: 2,
      tier: 4,
      exposure: 'internal',
      hostname: 'checkout-api.payments.internal',
      metricsPath: '/metrics',
      imageUpdate: 'none',
    },
  },
  {
    input: {
      name: 'ledger-export',
      owner: 'team-payments',
      description: 'Nightly export of settled payments to the ledger.',
      image: 'registry.example.com/team-payments/ledger-export',
      tag: '0.9.3',
      port: 8080,
      replicas: 1,
      tier: 4,
      exposure: 'none',
      imageUpdate: 'none',
    },
    handEdit: {
      why:
        'A log-shipping sidecar was added by hand after scaffolding, without resource requests: ' +
        'the Deployment fails the Audit policy require-requests-limits, so the compliance views ' +
        'have a real finding to show.',
      apply(files) {
        const deployment = files['deployment.yaml'] as any;
        deployment.spec.template.spec.containers.push({
          name: 'log-shipper',
          image: 'registry.example.com/platform/log-shipper:1.4.2',
          args: ['--source=/tmp/export.log'],
          securityContext: {
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        });
      },
    },
  },
];

/**
 * Renders a skeleton README as the template's fetch:template step does. The skeletons only use
 * `${{ values.<name> }}`; anything else would need the real templater, so it is refused.
 */
export function renderSkeleton(
  text: string,
  values: Record<string, unknown>,
): string {
  const rendered = text.replace(
    /\$\{\{\s*values\.([A-Za-z0-9_]+)\s*\}\}/g,
    (_, name: string) => {
      if (!(name in values)) {
        throw new Error(`skeleton uses values.${name}, which is not given`);
      }
      return String(values[name]);
    },
  );
  if (/\$\{\{|\{%/.test(rendered)) {
    throw new Error(
      'skeleton uses template syntax beyond ${{ values.x }}; render it with the scaffolder',
    );
  }
  return rendered;
}

/** repository-relative path → file content of every first-run team and service directory. */
export function renderFirstRunWorld(repoRoot: string): Map<string, string> {
  const repo = new RepoState(repoRoot);
  const platformNamespaces = repo.platformNamespaces();
  const skeleton = (template: string, file = 'README.md') =>
    fs.readFileSync(
      path.join(repoRoot, 'templates', template, 'skeleton', file),
      'utf8',
    );
  const out = new Map<string, string>();
  const add = (dir: string, files: RenderedFiles, readme: string) => {
    for (const [name, doc] of Object.entries(files)) {
      out.set(`${dir}/${name}`, toYaml(doc));
    }
    out.set(`${dir}/README.md`, readme);
  };

  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const { input: raw, onboardedBy } of FIRST_RUN_TEAMS) {
    const input = validateTeamInput(raw, platformNamespaces);
    const files = renderTeam(input, {
      argoRepoUrl: repo.argoRepoUrl(),
      members: [onboardedBy],
    });
    namespaceLabels.set(
      input.team,
      (files['namespace.yaml'] as any).metadata.labels,
    );
    add(
      `K8s/teams/${input.team}`,
      files,
      renderSkeleton(skeleton('onboard-team'), {
        team: input.team,
        environment: input.environment,
        quotaSize: input.quotaSize,
        businessUnit: input.businessUnit,
        costCenter: input.costCenter,
      }),
    );
  }
  for (const { input: raw, handEdit } of FIRST_RUN_SERVICES) {
    const input = validateServiceInput(raw, platformNamespaces);
    const labels = namespaceLabels.get(input.owner);
    if (!labels) {
      throw new Error(
        `service ${input.name}: team ${input.owner} is not a first-run team`,
      );
    }
    const files = renderService(input, { namespaceLabels: labels });
    handEdit?.apply(files);
    const dir = `K8s/apps/${input.owner}/${input.name}`;
    const values = runbookValues(input);
    add(dir, files, renderSkeleton(skeleton('new-service'), values));
    // the runbook TechDocs shows (the template's skeleton writes it beside the README)
    for (const file of ['mkdocs.yml', 'docs/index.md']) {
      out.set(
        `${dir}/${file}`,
        renderSkeleton(skeleton('new-service', file), values),
      );
    }
  }
  return out;
}

/** The directories the first-run world owns. */
export function firstRunDirectories(): string[] {
  return [
    ...FIRST_RUN_TEAMS.map(t => `K8s/teams/${t.input.team}`),
    ...FIRST_RUN_SERVICES.map(s => `K8s/apps/${s.input.owner}/${s.input.name}`),
  ];
}

/** Rewrites the first-run directories of `repoRoot` from the render functions. */
export function writeFirstRunWorld(repoRoot: string): string[] {
  const files = renderFirstRunWorld(repoRoot);
  for (const dir of firstRunDirectories()) {
    fs.rmSync(path.join(repoRoot, dir), { recursive: true, force: true });
  }
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(repoRoot, rel)), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, rel), text);
  }
  return [...files.keys()].sort();
}
