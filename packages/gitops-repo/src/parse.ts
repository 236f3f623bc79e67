import { LineCounter, parseAllDocuments } from 'yaml';
import { KubeObject, ManifestParseError } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): boolean {
  return (
    value === undefined ||
    (isRecord(value) && Object.values(value).every(v => typeof v === 'string'))
  );
}

/**
 * Parses multi-document YAML, skipping empty documents; throws ManifestParseError naming the
 * file and line.
 *
 * Every non-empty document must be a mapping with string `apiVersion`, `kind` and
 * `metadata.name`, and string-valued `metadata.labels`/`metadata.annotations` when present.
 *
 * @param text - the YAML text
 * @param file - the name used in errors (typically the repo-relative path)
 * @public
 */
export function parseManifests(text: string, file: string): KubeObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  // parseAllDocuments returns an EmptyStream (not an array) for input without documents
  if (!Array.isArray(docs)) {
    return [];
  }
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;

  const objects: KubeObject[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      throw new ManifestParseError(
        file,
        error.linePos?.[0].line ?? lineAt(error.pos[0]),
        error.message.split('\n')[0],
      );
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) {
      continue;
    }
    const line = lineAt(doc.contents?.range[0] ?? doc.range[0]);
    if (!isRecord(value)) {
      throw new ManifestParseError(file, line, 'document is not a mapping');
    }
    const { apiVersion, kind, metadata } = value;
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      throw new ManifestParseError(file, line, 'missing string apiVersion');
    }
    if (typeof kind !== 'string' || kind === '') {
      throw new ManifestParseError(file, line, 'missing string kind');
    }
    if (
      !isRecord(metadata) ||
      typeof metadata.name !== 'string' ||
      metadata.name === ''
    ) {
      throw new ManifestParseError(
        file,
        line,
        `${kind} has no string metadata.name`,
      );
    }
    if (!isStringMap(metadata.labels) || !isStringMap(metadata.annotations)) {
      throw new ManifestParseError(
        file,
        line,
        `${kind} ${metadata.name}: labels and annotations must be string maps`,
      );
    }
    objects.push(value as KubeObject);
  }
  return objects;
}
