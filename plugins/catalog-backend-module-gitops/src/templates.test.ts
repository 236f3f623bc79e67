/*
 * The software templates under templates/ live next to no code of their own; they are checked
 * here because this module is what makes their results (Groups, Components) appear in the
 * catalog. The checks run against the real files, with the same JSON Schema engine (Ajv, through
 * @backstage/catalog-model) that the scaffolder form uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  Entity,
  entityKindSchemaValidator,
  entitySchemaValidator,
  parseEntityRef,
} from '@backstage/catalog-model';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../templates');

/** The actions the portal's scaffolder offers: the GitOps module's plus the upstream ones used. */
const KNOWN_ACTIONS = new Set([
  'gitops:render:team',
  'gitops:render:service',
  'gitops:policy:check',
  'gitops:commit',
  'fetch:template',
  'catalog:register',
  'debug:log',
]);

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

type TemplateEntity = Omit<Entity, 'spec'> & {
  spec: {
    owner: string;
    type: string;
    parameters: JsonSchema[];
    steps: Array<{
      id: string;
      name: string;
      action: string;
      input?: Record<string, unknown>;
    }>;
    output: {
      links: Array<{ title: string; url?: string; entityRef?: string }>;
    };
  };
};

function loadTemplate(name: string): TemplateEntity {
  const text = fs.readFileSync(
    path.join(TEMPLATES_DIR, name, 'template.yaml'),
    'utf8',
  );
  return parse(text) as TemplateEntity;
}

/**
 * The form's JSON Schema without the presentation keys: `ui:*` go to the form's UI schema,
 * `errorMessage` is read by the form's ajv-errors plugin and `enumNames` by the form renderer;
 * a strict Ajv refuses all of them as unknown keywords.
 */
function validationSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(validationSchema);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(
        ([key]) =>
          !key.startsWith('ui:') &&
          key !== 'errorMessage' &&
          key !== 'enumNames',
      )
      .map(([key, v]) => [key, validationSchema(v)]),
  );
}

/** Validates the values of one form page; returns the first error or undefined. */
function pageError(page: JsonSchema, values: Record<string, unknown>) {
  // the scaffolder validates each page as an object of its properties
  const validate = entityKindSchemaValidator({
    type: 'object',
    ...(validationSchema(page) as object),
  });
  try {
    validate(values);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Every form page must accept its part of `values` (pages only see their own properties). */
function formErrors(template: TemplateEntity, values: Record<string, unknown>) {
  return template.spec.parameters
    .map(page => {
      const own = new Set(allProperties(page));
      const pageValues = Object.fromEntries(
        Object.entries(values).filter(([key]) => own.has(key)),
      );
      return pageError(page, pageValues);
    })
    .filter(Boolean);
}

/** Property names of a page, including those its `dependencies` add. */
function allProperties(schema: unknown): string[] {
  const names: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object') {
      names.push(...Object.keys(record.properties));
    }
    Object.values(record).forEach(visit);
  };
  visit(schema);
  return [...new Set(names)];
}

function templateExpressions(value: unknown): string[] {
  const text = JSON.stringify(value);
  return [...text.matchAll(/\$\{\{(.*?)\}\}/g)].map(m => m[1].trim());
}

/** Conditional fields of `dependencies`: Ajv reports their oneOf at the controlling field. */
const CONTROLLED_BY: Record<string, string> = {
  hostname: 'exposure',
  tag: 'imageUpdate',
  semverRange: 'imageUpdate',
  tagPattern: 'imageUpdate',
};

/**
 * The fields Ajv names in its messages (`/field must ...`, or `missingProperty: field` for a
 * required one), i.e. the fields the form marks.
 */
function refusedFields(errors: unknown[]): string[] {
  return errors.map(e => {
    const text = String(e);
    return (
      text.match(/^\/([A-Za-z]+)/)?.[1] ??
      text.match(/missingProperty: ([A-Za-z]+)/)?.[1] ??
      text
    );
  });
}

/** The changed fields, or the field that controls a conditional one. */
function fieldsOf(change: Record<string, unknown>): RegExp {
  const fields = Object.keys(change).flatMap(f =>
    CONTROLLED_BY[f] ? [f, CONTROLLED_BY[f]] : [f],
  );
  return new RegExp(`^(${fields.join('|')})$`);
}

const validTeam = {
  team: 'team-checkout',
  displayName: 'Checkout: "payments" & #1',
  description: 'Runs the checkout: {cart}, [payments] and refunds.',
  ownerGroup: 'engineering-devs',
  businessUnit: 'commerce',
  environment: 'production',
  quotaSize: 'medium',
  costCenter: 'CC-4711',
};

const validService = {
  name: 'orders-api',
  owner: 'group:default/team-storefront',
  description: 'Takes orders: cart → order.',
  image: 'registry.example.com:5000/team-storefront/orders-api',
  imageUpdate: 'none',
  tag: '1.4.2',
  port: 8080,
  replicas: 2,
  tier: 4,
  exposure: 'internal',
  hostname: 'orders.apps.example.com',
  metricsPath: '/metrics',
  secrets: ['orders/database-password', 'API_KEY'],
};

describe.each(['onboard-team', 'new-service'])('template %s', name => {
  const template = loadTemplate(name);

  it('is a valid catalog entity owned by the platform team', () => {
    expect(() => entitySchemaValidator()(template)).not.toThrow();
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    expect(template.metadata.name).toBe(name);
    expect(template.metadata.title).toBeTruthy();
    expect(template.metadata.description).toBeTruthy();
    expect(template.metadata.tags).toContain('gitops');
    expect(template.spec.owner).toBe('group:platform-team');
  });

  it('only calls known actions, with unique readable step ids', () => {
    const ids = template.spec.steps.map(s => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const step of template.spec.steps) {
      expect(KNOWN_ACTIONS).toContain(step.action);
      expect(step.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(step.name).toBeTruthy();
    }
    // render, then check the policies, then commit: nothing is committed unchecked
    const actions = template.spec.steps.map(s => s.action);
    expect(actions.indexOf('gitops:policy:check')).toBeGreaterThan(
      actions.findIndex(a => a.startsWith('gitops:render:')),
    );
    expect(actions.indexOf('gitops:commit')).toBe(actions.length - 1);
    expect(actions.indexOf('gitops:commit')).toBeGreaterThan(
      actions.indexOf('gitops:policy:check'),
    );
  });

  it('refers only to declared parameters and to earlier steps', () => {
    const declared = new Set(template.spec.parameters.flatMap(allProperties));
    const seen = new Set<string>();
    const check = (expr: string) => {
      for (const m of expr.matchAll(/parameters\.([A-Za-z0-9_]+)/g)) {
        expect(declared).toContain(m[1]);
      }
      for (const m of expr.matchAll(/steps\['([^']+)'\]/g)) {
        expect(seen).toContain(m[1]);
      }
    };
    for (const step of template.spec.steps) {
      templateExpressions(step.input).forEach(check);
      seen.add(step.id);
    }
    templateExpressions(template.spec.output).forEach(check);
  });

  it('links the commit and the entity it creates', () => {
    const links = template.spec.output.links;
    expect(links.some(l => l.url?.includes("steps['commit'].output"))).toBe(
      true,
    );
    const entityLink = links.find(l => l.entityRef);
    expect(entityLink).toBeDefined();
    const kind = name === 'onboard-team' ? 'group' : 'component';
    expect(
      parseEntityRef(entityLink!.entityRef!.replace(/\$\{\{.*?\}\}/, 'x')),
    ).toEqual({ kind, namespace: 'default', name: 'x' });
  });

  it('templates only documentation: manifests come from the render actions', () => {
    const skeleton = path.join(TEMPLATES_DIR, name, 'skeleton');
    const files = (fs.readdirSync(skeleton, { recursive: true }) as string[])
      .filter(f => fs.statSync(path.join(skeleton, f)).isFile())
      .sort();
    // Markdown, and the TechDocs site definition of the service's runbook
    expect(files.filter(f => !f.endsWith('.md') && f !== 'mkdocs.yml')).toEqual(
      [],
    );
    expect(files).toContain('README.md');
    // the README and mkdocs.yml (YAML) use only values constrained to safe characters by the
    // form and the server; free text may only reach the Markdown runbook
    for (const file of files.filter(
      f => f === 'README.md' || f === 'mkdocs.yml',
    )) {
      const text = fs.readFileSync(path.join(skeleton, file), 'utf8');
      const used = [...text.matchAll(/\$\{\{\s*values\.(\w+)\s*\}\}/g)].map(
        m => m[1],
      );
      const freeText = used.filter(v =>
        ['description', 'displayName'].includes(v),
      );
      expect({ file, freeText }).toEqual({ file, freeText: [] });
    }
  });
});

describe('onboard-team form', () => {
  const template = loadTemplate('onboard-team');

  it('accepts a complete team, YAML-significant characters included', () => {
    expect(formErrors(template, validTeam)).toEqual([]);
    // an identity-provider group, also after one prefix (the server checks it is allowed)
    for (const ownerGroup of ['checkout-devs', 'oidc:checkout-devs']) {
      expect(formErrors(template, { ...validTeam, ownerGroup })).toEqual([]);
    }
    expect(
      formErrors(template, { ...validTeam, description: undefined }),
    ).toEqual([]);
  });

  it.each([
    ['upper case and underscore', { team: 'Bad_Name' }],
    ['a trailing dash', { team: 'team-' }],
    ['a leading digit', { team: '1team' }],
    ['path traversal', { team: '../etc' }],
    ['too long', { team: `t${'e'.repeat(40)}` }],
    ['a Kubernetes namespace', { team: 'kube-system' }],
    ['kube-* in general', { team: 'kube-anything' }],
    ['default', { team: 'default' }],
    ['argocd', { team: 'argocd' }],
    ['kyverno-system', { team: 'kyverno-system' }],
    ['a platform stack namespace', { team: 'monitoring' }],
    ['a newline in the display name', { displayName: 'Checkout\nkind: x' }],
    ['a newline in the description', { description: 'a\nb' }],
    ['an unknown environment', { environment: 'qa' }],
    ['an unknown quota size', { quotaSize: 'huge' }],
    ['a business unit that is no label value', { businessUnit: 'Commerce EU' }],
    ['a cost centre with spaces', { costCenter: 'CC 4711' }],
    [
      'a Kubernetes system group as ownerGroup',
      { ownerGroup: 'system:masters' },
    ],
    ['a kube-* group as ownerGroup', { ownerGroup: 'kube-admins' }],
    ['a path as ownerGroup', { ownerGroup: 'a/b/c' }],
  ])('refuses %s', (_, change) => {
    expect(
      refusedFields(formErrors(template, { ...validTeam, ...change })),
    ).toContainEqual(expect.stringMatching(fieldsOf(change)));
  });

  it('requires every mandatory field', () => {
    for (const key of [
      'team',
      'displayName',
      'businessUnit',
      'environment',
      'quotaSize',
      'costCenter',
    ]) {
      const { [key as keyof typeof validTeam]: _, ...rest } = validTeam;
      expect(formErrors(template, rest)).not.toEqual([]);
    }
  });
});

describe('new-service form', () => {
  const template = loadTemplate('new-service');

  it('accepts a complete service and a minimal one', () => {
    expect(formErrors(template, validService)).toEqual([]);
    expect(
      formErrors(template, {
        name: 'worker',
        owner: 'group:default/team-payments',
        description: 'Background jobs',
        image: 'nginx',
        tag: '1.27.0',
        port: 8080,
        replicas: 1,
        tier: 3,
        exposure: 'none',
        imageUpdate: 'none',
      }),
    ).toEqual([]);
    expect(
      formErrors(template, {
        ...validService,
        imageUpdate: 'tag-pattern',
        tagPattern: '^main-[0-9a-f]{7}$',
      }),
    ).toEqual([]);
    for (const semverRange of ['^1.4', '~1.4.0', '>=1.0 <2.0', '1.x']) {
      expect(
        formErrors(template, {
          ...validService,
          imageUpdate: 'semver',
          tag: undefined,
          semverRange,
        }),
      ).toEqual([]);
    }
  });

  it.each([
    ['an invalid name', { name: 'Orders_API' }],
    ['a name too long for <team>-<service>', { name: `s${'x'.repeat(30)}` }],
    ['an image with a tag', { image: 'nginx:1.27' }],
    ['an image with upper case', { image: 'Registry/app' }],
    ['the latest tag', { tag: 'latest' }],
    ['the LATEST tag', { tag: 'LATEST' }],
    ['no tag for a pinned version', { tag: undefined }],
    ['a tag with spaces', { tag: '1.0 beta' }],
    ['a privileged port', { port: 80 }],
    ['too many replicas', { replicas: 50 }],
    ['zero replicas', { replicas: 0 }],
    ['tier 1 (platform only)', { tier: 1 }],
    ['tier 2 (platform only)', { tier: 2 }],
    ['an unknown exposure', { exposure: 'world' }],
    ['exposure without hostname', { hostname: undefined }],
    ['an invalid hostname', { hostname: 'Orders_API' }],
    ['a metrics path with traversal', { metricsPath: '/../secret' }],
    ['a relative metrics path', { metricsPath: 'metrics' }],
    ['a secret key with traversal', { secrets: ['orders/../../platform'] }],
    ['an absolute secret key', { secrets: ['/platform/root'] }],
    ['a secret key with spaces', { secrets: ['db password'] }],
    ['duplicate secret keys', { secrets: ['A', 'A'] }],
    ['semver without a range', { imageUpdate: 'semver' }],
    [
      'a range that is no range',
      { imageUpdate: 'semver', semverRange: 'latest' },
    ],
    ['tag-pattern without a pattern', { imageUpdate: 'tag-pattern' }],
    ['a newline in the description', { description: 'a\nb' }],
  ])('refuses %s', (_, change) => {
    expect(
      refusedFields(formErrors(template, { ...validService, ...change })),
    ).toContainEqual(expect.stringMatching(fieldsOf(change)));
  });

  it('offers only the user own groups as owner', () => {
    const owner = template.spec.parameters[0].properties!.owner;
    expect(owner['ui:field']).toBe('MyGroupsPicker');
  });
});
