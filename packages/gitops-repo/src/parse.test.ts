import { parseManifests } from './parse';
import { ManifestParseError } from './types';

describe('parseManifests', () => {
  it('parses multi-document YAML and skips empty documents', () => {
    const text = [
      '---',
      '# leading comment only',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: a',
      '  labels: { owner: team-a }',
      '---',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: b, namespace: a }',
      'spec: { replicas: 2 }',
      '',
    ].join('\n');
    const objects = parseManifests(text, 'x.yaml');
    expect(objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'a', labels: { owner: 'team-a' } },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'b', namespace: 'a' },
        spec: { replicas: 2 },
      },
    ]);
  });

  it('returns nothing for empty input', () => {
    expect(parseManifests('', 'empty.yaml')).toEqual([]);
    expect(parseManifests('# nothing\n', 'empty.yaml')).toEqual([]);
  });

  it.each([
    {
      name: 'bad indentation',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: 1\n',
      line: 5,
      message: /./,
    },
    {
      name: 'unterminated flow mapping (reported where the input ends)',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x\n',
      line: 4,
      message: /./,
    },
    {
      name: 'duplicate key in the second document',
      text: 'apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\napiVersion: v1\nkind: B\nkind: C\nmetadata: {name: b}\n',
      line: 7,
      message: /unique/i,
    },
    {
      name: 'a document that is a list',
      text: 'apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n- a\n- b\n',
      line: 5,
      message: /not a mapping/,
    },
    {
      name: 'missing kind',
      text: '\n\napiVersion: v1\nmetadata: {name: a}\n',
      line: 3,
      message: /kind/,
    },
    {
      name: 'missing metadata.name',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
      line: 1,
      message: /metadata.name/,
    },
    {
      name: 'non-string label value',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: { tier: 2 }\n',
      line: 1,
      message: /string maps/,
    },
  ])(
    'throws ManifestParseError with file and line for $name',
    ({ text, line, message }) => {
      let error: unknown;
      try {
        parseManifests(text, 'K8s/x/broken.yaml');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ManifestParseError);
      const parseError = error as ManifestParseError;
      expect(parseError.file).toBe('K8s/x/broken.yaml');
      expect(parseError.line).toBe(line);
      expect(parseError.message).toMatch(
        new RegExp(`^K8s/x/broken\\.yaml:${line}: `),
      );
      expect(parseError.message).toMatch(message);
      expect(parseError.name).toBe('ManifestParseError');
    },
  );
});
