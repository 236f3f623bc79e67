import fs from 'fs';
import path from 'path';
import { listGeneratorDirectories, matchesGeneratorPattern } from './generator';
import { parseManifests } from './parse';
import { resolveInRepo } from './paths';
import { GeneratedApplication, KubeObject } from './types';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parameters a git directory generator produces for one directory. */
interface DirectoryParams {
  path: string;
  basename: string;
  basenameNormalized: string;
  segments: string[];
  values: Record<string, string>;
}

/**
 * Lower-cases and replaces everything that is not valid in a DNS subdomain name with `-`,
 * then trims leading/trailing `-` and `.`, as ArgoCD does for `basenameNormalized`.
 */
function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

function directoryParams(
  dir: string,
  values: Record<string, string>,
): DirectoryParams {
  const segments = dir.split('/');
  const basename = segments[segments.length - 1];
  return {
    path: dir,
    basename,
    basenameNormalized: normalizeName(basename),
    segments,
    values,
  };
}

// ---- Go templates (the subset ApplicationSets use with goTemplate: true) ----

function lookupField(value: unknown, fields: string[], expr: string): unknown {
  let current = value;
  for (const field of fields) {
    if (!isRecord(current) || !(field in current)) {
      throw new Error(`ApplicationSet template: no value for ${expr}`);
    }
    current = current[field];
  }
  return current;
}

function evalGoOperand(token: string, params: DirectoryParams): unknown {
  if (/^-?\d+$/.test(token)) {
    return Number(token);
  }
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) {
    return JSON.parse(token);
  }
  if (token === '.') {
    return { path: params, values: params.values };
  }
  if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(token)) {
    return lookupField(
      { path: params, values: params.values },
      token.slice(1).split('.'),
      token,
    );
  }
  throw new Error(`ApplicationSet template: unsupported operand ${token}`);
}

function evalGoCommand(
  command: string,
  params: DirectoryParams,
  piped?: unknown,
): unknown {
  const tokens = command.trim().match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const head = tokens[0];
  if (head === undefined) {
    throw new Error('ApplicationSet template: empty action');
  }
  const rest = tokens.slice(1);
  const args = rest.map(t => evalGoOperand(t, params));
  if (piped !== undefined) {
    args.push(piped);
  }
  switch (head) {
    case 'index': {
      let current = args[0];
      for (const key of args.slice(1)) {
        if (Array.isArray(current) && typeof key === 'number') {
          if (key < 0 || key >= current.length) {
            throw new Error(
              `ApplicationSet template: index ${key} out of range in ${command}`,
            );
          }
          current = current[key];
        } else if (isRecord(current) && typeof key === 'string') {
          current = current[key];
        } else {
          throw new Error(
            `ApplicationSet template: cannot index with ${String(
              key,
            )} in ${command}`,
          );
        }
      }
      return current;
    }
    case 'lower':
      return String(args[0]).toLowerCase();
    case 'upper':
      return String(args[0]).toUpperCase();
    default:
      if (rest.length > 0 || piped !== undefined) {
        throw new Error(
          `ApplicationSet template: unsupported function ${head}`,
        );
      }
      return evalGoOperand(head, params);
  }
}

function renderGo(text: string, params: DirectoryParams): string {
  let out = '';
  let i = 0;
  for (;;) {
    const start = text.indexOf('{{', i);
    if (start < 0) {
      return out + text.slice(i);
    }
    const end = text.indexOf('}}', start + 2);
    if (end < 0) {
      throw new Error(`ApplicationSet template: unclosed action in ${text}`);
    }
    let literal = text.slice(i, start);
    let body = text.slice(start + 2, end);
    if (/^-\s/.test(body)) {
      literal = literal.replace(/\s+$/, '');
      body = body.slice(1);
    }
    const trimAfter = /\s-$/.test(body);
    if (trimAfter) {
      body = body.slice(0, -1);
    }
    let value: unknown;
    if (/^\s*\/\*[\s\S]*\*\/\s*$/.test(body)) {
      value = '';
    } else {
      body.split('|').forEach((command, n) => {
        value = evalGoCommand(command, params, n === 0 ? undefined : value);
      });
    }
    if (
      typeof value !== 'string' &&
      typeof value !== 'number' &&
      typeof value !== 'boolean'
    ) {
      throw new Error(`ApplicationSet template: {{${body}}} is not a scalar`);
    }
    out += literal + String(value);
    i = end + 2;
    while (trimAfter && i < text.length && /\s/.test(text[i])) {
      i++;
    }
  }
}

// ---- fasttemplate (goTemplate: false) ----

function renderFast(text: string, params: DirectoryParams): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (match, raw: string) => {
    const key = raw.trim();
    const indexed = /^path\[(\d+)\]$/.exec(key);
    if (indexed) {
      const segment = params.segments[Number(indexed[1])];
      return segment ?? match;
    }
    if (key === 'path' || key === 'path.path') return params.path;
    if (key === 'path.basename') return params.basename;
    if (key === 'path.basenameNormalized') return params.basenameNormalized;
    if (key.startsWith('values.') && key.slice(7) in params.values) {
      return params.values[key.slice(7)];
    }
    // fasttemplate leaves unknown tags untouched
    return match;
  });
}

function renderJson(value: Json, render: (s: string) => string): Json {
  if (typeof value === 'string') {
    return render(value);
  }
  if (Array.isArray(value)) {
    return value.map(v => renderJson(v, render));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [render(k), renderJson(v, render)]),
    );
  }
  return value;
}

function deepMerge(base: Json, override: Json): Json {
  if (isRecord(base) && isRecord(override)) {
    const merged: { [k: string]: Json } = { ...base };
    for (const [k, v] of Object.entries(override)) {
      merged[k] = k in merged ? deepMerge(merged[k], v) : v;
    }
    return merged;
  }
  return override;
}

/**
 * Expands an ApplicationSet's git directories generator(s) (goTemplate `{{.path.path}}`,
 * `{{.path.basename}}`, `{{.path.basenameNormalized}}`, `{{index .path.segments N}}`; and the
 * non-goTemplate fasttemplate form `{{path}}`, `{{path.basename}}`, `{{path[N]}}`;
 * `exclude: true` directory entries) into Applications in the ApplicationSet's namespace, with
 * metadata.namespace set, ownerReference-free, labels/annotations from the template.
 *
 * Directories are read from repoRoot (the generator's `repoURL`/`revision` are not fetched).
 * A directory is generated when it matches a non-exclude entry and no exclude entry. A
 * generator-level `template` is deep-merged over `spec.template`. Generators other than git
 * directories (list, cluster, matrix, git files, ...) are ignored. Go templates also accept
 * `.values.<key>` (generator `values`) and the `lower`/`upper` functions; anything else
 * throws, as does a duplicate Application name.
 *
 * @param appSet - an `argoproj.io/v1alpha1` ApplicationSet
 * @param repoRoot - the repository checkout on disk
 * @public
 */
export function expandApplicationSet(
  appSet: KubeObject,
  repoRoot: string,
): GeneratedApplication[] {
  const spec = isRecord(appSet.spec) ? appSet.spec : {};
  const goTemplate = spec.goTemplate === true;
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const baseTemplate = (isRecord(spec.template) ? spec.template : {}) as Json;
  const namespace =
    appSet.metadata.namespace ??
    (isRecord(baseTemplate) && isRecord(baseTemplate.metadata)
      ? (baseTemplate.metadata.namespace as string | undefined)
      : undefined) ??
    'argocd';

  const applications: GeneratedApplication[] = [];
  const seen = new Set<string>();
  for (const generator of generators) {
    if (!isRecord(generator) || !isRecord(generator.git)) continue;
    const git = generator.git;
    if (!Array.isArray(git.directories)) continue;
    const entries = git.directories.filter(isRecord);
    const include = entries
      .filter(e => e.exclude !== true)
      .map(e => String(e.path));
    const exclude = entries
      .filter(e => e.exclude === true)
      .map(e => String(e.path));
    const dirs = new Set<string>();
    for (const pattern of include) {
      for (const dir of listGeneratorDirectories(repoRoot, pattern)) {
        if (!exclude.some(p => matchesGeneratorPattern(dir, p))) dirs.add(dir);
      }
    }
    const values = isRecord(git.values)
      ? Object.fromEntries(
          Object.entries(git.values).map(([k, v]) => [k, String(v)]),
        )
      : {};
    const template = isRecord(generator.template)
      ? deepMerge(baseTemplate, generator.template as Json)
      : baseTemplate;

    for (const dir of [...dirs].sort()) {
      const params = directoryParams(dir, values);
      const render = (text: string) =>
        goTemplate ? renderGo(text, params) : renderFast(text, params);
      const rendered = renderJson(template, render) as Record<string, Json>;
      const meta = isRecord(rendered.metadata) ? rendered.metadata : {};
      const name = meta.name;
      if (typeof name !== 'string' || name === '') {
        throw new Error(
          `ApplicationSet ${appSet.metadata.name}: template renders no name for ${dir}`,
        );
      }
      if (seen.has(name)) {
        throw new Error(
          `ApplicationSet ${appSet.metadata.name}: duplicate Application name ${name}`,
        );
      }
      seen.add(name);
      const metadata: GeneratedApplication['metadata'] = { name, namespace };
      if (isRecord(meta.labels))
        metadata.labels = meta.labels as Record<string, string>;
      if (isRecord(meta.annotations)) {
        metadata.annotations = meta.annotations as Record<string, string>;
      }
      if (Array.isArray(meta.finalizers)) metadata.finalizers = meta.finalizers;
      applications.push({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata,
        spec: rendered.spec ?? {},
      });
    }
  }
  return applications;
}

/**
 * Every ApplicationSet under repoRoot/K8s (files named applicationset-*.yaml).
 *
 * Files are visited depth-first in sorted order; directories starting with `.` are skipped.
 * Other kinds found in those files are ignored. Throws ManifestParseError for malformed YAML.
 *
 * @param repoRoot - the repository checkout on disk
 * @public
 */
export function findApplicationSets(repoRoot: string): KubeObject[] {
  const k8sRoot = resolveInRepo(repoRoot, 'K8s');
  const found: KubeObject[] = [];
  const visit = (dir: string, rel: string) => {
    const entries = fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      const relPath = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        visit(abs, relPath);
      } else if (/^applicationset-.*\.ya?ml$/.test(entry.name)) {
        const objects = parseManifests(fs.readFileSync(abs, 'utf8'), relPath);
        found.push(
          ...objects.filter(
            o =>
              o.kind === 'ApplicationSet' &&
              o.apiVersion.startsWith('argoproj.io/'),
          ),
        );
      }
    }
  };
  if (fs.existsSync(k8sRoot)) visit(k8sRoot, 'K8s');
  return found;
}
