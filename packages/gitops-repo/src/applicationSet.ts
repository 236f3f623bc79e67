import fs from 'fs';
import path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import {
  listGeneratorDirectories,
  listGeneratorFiles,
  matchesGeneratorPattern,
} from './generator';
import { parseManifests } from './parse';
import { resolveInRepo } from './paths';
import { GeneratedApplication, KubeObject } from './types';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One parameter set of a generator, in the two shapes ArgoCD renders templates with: the nested
 * object Go templates see (`.path.basename`, `.imageUpdater.imageList`), and the flat
 * `key → string` map fasttemplate sees (`path.basename`, `imageUpdater.imageList`).
 */
interface GeneratorParams {
  /** The directory (directories generator) or file (files generator) it came from. */
  source: string;
  go: Record<string, unknown>;
  flat: Record<string, string>;
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

/** `%v` of a parameter value, as fasttemplate parameters are strings. */
function flatString(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** ArgoCD flattens file content for fasttemplate with dots: `{a: {b: 1}, c: [x]}` → a.b, c.0. */
function flatten(
  value: unknown,
  prefix: string,
  out: Record<string, string>,
): Record<string, string> {
  let entries: Array<readonly [string, unknown]> | undefined;
  if (Array.isArray(value)) {
    entries = value.map((v, i) => [String(i), v] as const);
  } else if (isRecord(value)) {
    entries = Object.entries(value);
  }
  if (entries === undefined || (entries.length === 0 && prefix !== '')) {
    if (prefix !== '') out[prefix] = flatString(value);
    return out;
  }
  for (const [k, v] of entries) {
    flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  }
  return out;
}

/**
 * The parameters of one directory (`dir`) or one parameters file (`file`, in `dir`), with the
 * generator's `values` and, for a file, its content.
 */
function generatorParams(
  dir: string,
  values: Record<string, string>,
  file?: { path: string; content: Record<string, unknown> },
): GeneratorParams {
  const segments = dir.split('/');
  const basename = segments[segments.length - 1];
  const pathParams: Record<string, unknown> = {
    path: dir,
    basename,
    basenameNormalized: normalizeName(basename),
    segments,
  };
  const flat: Record<string, string> = file
    ? flatten(file.content, '', {})
    : {};
  Object.assign(flat, {
    path: dir,
    'path.path': dir,
    'path.basename': basename,
    'path.basenameNormalized': normalizeName(basename),
  });
  segments.forEach((segment, n) => {
    if (segment !== '') flat[`path[${n}]`] = segment;
  });
  if (file) {
    const filename = path.posix.basename(file.path);
    pathParams.filename = filename;
    pathParams.filenameNormalized = normalizeName(filename);
    flat['path.filename'] = filename;
    flat['path.filenameNormalized'] = normalizeName(filename);
  }
  // as in ArgoCD: the file's keys, then `path` (overriding a `path` key), then `values`
  const go: Record<string, unknown> = { ...file?.content, path: pathParams };
  if (Object.keys(values).length > 0) {
    go.values = { ...values };
    for (const [k, v] of Object.entries(values)) flat[`values.${k}`] = v;
  }
  return { source: file?.path ?? dir, go, flat };
}

/**
 * The parameter objects of one git files generator file: a mapping is one set, a list of
 * mappings one set per element, an empty file one set with only the path parameters (as
 * ArgoCD reads them). Throws, naming the file, for anything else.
 */
function readParamsFile(
  repoRoot: string,
  file: string,
  appSetName: string,
): Array<Record<string, unknown>> {
  const fail = (reason: string, line?: number): never => {
    throw new Error(
      `ApplicationSet ${appSetName}: unable to process file '${file}${
        line !== undefined ? `:${line}` : ''
      }': ${reason}`,
    );
  };
  const lineCounter = new LineCounter();
  const doc = parseDocument(
    fs.readFileSync(resolveInRepo(repoRoot, file), 'utf8'),
    { lineCounter, prettyErrors: false },
  );
  const error = doc.errors[0];
  if (error) {
    return fail(
      error.message.split('\n')[0],
      lineCounter.linePos(error.pos[0]).line,
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return [{}];
  if (isRecord(value)) return [value];
  if (Array.isArray(value) && value.every(isRecord)) return value;
  return fail('not a mapping or a list of mappings');
}

// ---- Go templates (the subset ApplicationSets use with goTemplate: true) ----

function lookupField(value: unknown, fields: string[], expr: string): unknown {
  let current = value;
  for (const field of fields) {
    if (!isRecord(current) || !(field in current)) {
      throw new Error(`template: no value for ${expr}`);
    }
    current = current[field];
  }
  return current;
}

function evalGoOperand(token: string, params: GeneratorParams): unknown {
  if (/^-?\d+$/.test(token)) {
    return Number(token);
  }
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) {
    return JSON.parse(token);
  }
  if (token === '.') {
    return params.go;
  }
  if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(token)) {
    return lookupField(params.go, token.slice(1).split('.'), token);
  }
  throw new Error(`template: unsupported operand ${token}`);
}

function evalGoCommand(
  command: string,
  params: GeneratorParams,
  piped?: unknown,
): unknown {
  const tokens = command.trim().match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const head = tokens[0];
  if (head === undefined) {
    throw new Error('template: empty action');
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
              `template: index ${key} out of range in ${command}`,
            );
          }
          current = current[key];
        } else if (isRecord(current) && typeof key === 'string') {
          current = current[key];
        } else {
          throw new Error(
            `template: cannot index with ${String(key)} in ${command}`,
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
        throw new Error(`template: unsupported function ${head}`);
      }
      return evalGoOperand(head, params);
  }
}

function renderGo(text: string, params: GeneratorParams): string {
  let out = '';
  let i = 0;
  for (;;) {
    const start = text.indexOf('{{', i);
    if (start < 0) {
      return out + text.slice(i);
    }
    const end = text.indexOf('}}', start + 2);
    if (end < 0) {
      throw new Error(`template: unclosed action in ${text}`);
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
      throw new Error(`template: {{${body}}} is not a scalar`);
    }
    out += literal + String(value);
    i = end + 2;
    while (trimAfter && i < text.length && /\s/.test(text[i])) {
      i++;
    }
  }
}

// ---- fasttemplate (goTemplate: false) ----

function renderFast(text: string, params: GeneratorParams): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (match, raw: string) => {
    const key = raw.trim();
    // fasttemplate leaves unknown tags untouched
    return Object.prototype.hasOwnProperty.call(params.flat, key)
      ? params.flat[key]
      : match;
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

/** Include and exclude patterns of a git generator's `directories` or `files` entries. */
function generatorPatterns(entries: unknown[]) {
  const items = entries.filter(isRecord);
  return {
    include: items.filter(e => e.exclude !== true).map(e => String(e.path)),
    exclude: items.filter(e => e.exclude === true).map(e => String(e.path)),
  };
}

/** Paths matching a non-exclude pattern and no exclude pattern, sorted. */
function listIncluded(
  entries: unknown[],
  list: (pattern: string) => string[],
): string[] {
  const { include, exclude } = generatorPatterns(entries);
  const found = new Set<string>();
  for (const pattern of include) {
    for (const match of list(pattern)) {
      if (!exclude.some(p => matchesGeneratorPattern(match, p))) {
        found.add(match);
      }
    }
  }
  return [...found].sort();
}

/**
 * The parameter sets of one git generator: one per matching directory (`directories`), or one
 * per matching file (one per element when the file holds a list) for `files`. `directories`
 * wins when both are given, as in ArgoCD; neither yields nothing.
 */
function gitGeneratorParams(
  git: Record<string, unknown>,
  repoRoot: string,
  appSetName: string,
): GeneratorParams[] {
  if (git.pathParamPrefix !== undefined && git.pathParamPrefix !== '') {
    throw new Error(
      `ApplicationSet ${appSetName}: git generator pathParamPrefix is not supported`,
    );
  }
  const values = isRecord(git.values)
    ? Object.fromEntries(
        Object.entries(git.values).map(([k, v]) => [k, String(v)]),
      )
    : {};
  if (Array.isArray(git.directories) && git.directories.length > 0) {
    return listIncluded(git.directories, p =>
      listGeneratorDirectories(repoRoot, p),
    ).map(dir => generatorParams(dir, values));
  }
  if (Array.isArray(git.files) && git.files.length > 0) {
    return listIncluded(git.files, p =>
      listGeneratorFiles(repoRoot, p),
    ).flatMap(file =>
      readParamsFile(repoRoot, file, appSetName).map(content =>
        generatorParams(path.posix.dirname(file), values, {
          path: file,
          content,
        }),
      ),
    );
  }
  return [];
}

/**
 * Expands an ApplicationSet's git generators into Applications in the ApplicationSet's
 * namespace, with metadata.namespace set, ownerReference-free, labels/annotations/finalizers
 * from the template.
 *
 * - git `directories`: one Application per matching directory; parameters `.path.path`,
 *   `.path.basename`, `.path.basenameNormalized`, `.path.segments`.
 * - git `files`: one Application per matching YAML/JSON file (per element if it holds a list
 *   of mappings); parameters are the file's keys (nested lookups such as
 *   `{{.imageUpdater.imageList}}` work) plus `.path` as above for the file's directory, with
 *   `.path.filename` and `.path.filenameNormalized`. A `path` key in the file is shadowed by
 *   the path parameters, as in ArgoCD.
 *
 * Paths are read from repoRoot (the generator's `repoURL`/`revision` are not fetched) and
 * matched segment by segment like Go's `path.Match`; a path is generated when it matches a
 * non-exclude entry and no exclude entry. Without goTemplate, fasttemplate tags are `{{path}}`,
 * `{{path.basename}}`, `{{path.basenameNormalized}}`, `{{path[N]}}`, `{{path.filename}}`, the
 * file's keys flattened with dots and `{{values.<key>}}`; unknown tags stay as they are. A
 * generator-level `template` is deep-merged over `spec.template`. Other generators (list,
 * cluster, matrix, ...) are ignored. Go templates accept field lookups (`.values.<key>` for the
 * generator's `values`), `index` and the `lower`/`upper` functions.
 *
 * Everything that makes ArgoCD's ApplicationSet controller report an error throws, so the
 * whole ApplicationSet generates nothing: a parameters file that is not valid YAML or not a
 * mapping (the message names the file and line), a missing key (`missingkey=error`), an
 * unsupported template construct, a duplicate Application name.
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
  const appSetName = appSet.metadata.name;

  const applications: GeneratedApplication[] = [];
  const seen = new Set<string>();
  for (const generator of generators) {
    if (!isRecord(generator) || !isRecord(generator.git)) continue;
    const paramSets = gitGeneratorParams(generator.git, repoRoot, appSetName);
    const template = isRecord(generator.template)
      ? deepMerge(baseTemplate, generator.template as Json)
      : baseTemplate;

    for (const params of paramSets) {
      const render = (text: string) =>
        goTemplate ? renderGo(text, params) : renderFast(text, params);
      let rendered: Record<string, Json>;
      try {
        rendered = renderJson(template, render) as Record<string, Json>;
      } catch (e) {
        // e.g. "ApplicationSet apps: template: no value for .imageUpdater (K8s/apps/a/b/application.yaml)"
        throw new Error(
          `ApplicationSet ${appSetName}: ${(e as Error).message} (${
            params.source
          })`,
        );
      }
      const meta = isRecord(rendered.metadata) ? rendered.metadata : {};
      const name = meta.name;
      if (typeof name !== 'string' || name === '') {
        throw new Error(
          `ApplicationSet ${appSetName}: template renders no name for ${params.source}`,
        );
      }
      if (seen.has(name)) {
        throw new Error(
          `ApplicationSet ${appSetName}: duplicate Application name ${name}`,
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
