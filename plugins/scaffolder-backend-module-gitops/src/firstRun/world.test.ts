import fs from 'node:fs';
import path from 'node:path';
import { parseManifests } from '@internal/gitops-repo';
import { KubeResource } from '@internal/policy-engine';
import { checkPolicies } from '../policy/check';
import { renderedManifestFiles } from '../actions/policyCheck';
import { RepoState } from '../repoState';
import {
  FIRST_RUN_SERVICES,
  FIRST_RUN_TEAMS,
  firstRunDirectories,
  renderFirstRunWorld,
  renderSkeleton,
} from './world';

const repoRoot = path.resolve(__dirname, '../../../..');
const FIX =
  'run `yarn workspace @internal/plugin-scaffolder-backend-module-gitops first-run:write`';

function filesUnder(rel: string): string[] {
  const abs = path.join(repoRoot, rel);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => `${rel}/${e.name}`);
}

describe('the first-run world in K8s/', () => {
  const rendered = renderFirstRunWorld(repoRoot);

  it('is byte for byte what the templates write for its inputs', () => {
    const drift: string[] = [];
    for (const [rel, text] of rendered) {
      const abs = path.join(repoRoot, rel);
      if (!fs.existsSync(abs)) drift.push(`${rel} is missing`);
      else if (fs.readFileSync(abs, 'utf8') !== text)
        drift.push(`${rel} differs`);
    }
    for (const dir of firstRunDirectories()) {
      for (const rel of filesUnder(dir)) {
        if (!rendered.has(rel)) drift.push(`${rel} is not rendered`);
      }
    }
    expect({ drift, fix: FIX }).toEqual({ drift: [], fix: FIX });
  });

  it('has two application teams with two services each: semver, public, tier 3, one Audit failure', () => {
    expect(FIRST_RUN_TEAMS.map(t => t.input.team)).toEqual([
      'team-storefront',
      'team-payments',
    ]);
    const inputs = FIRST_RUN_SERVICES.map(s => s.input);
    expect(inputs.filter(i => i.imageUpdate === 'semver')).toHaveLength(1);
    expect(inputs.filter(i => i.exposure === 'public')).toHaveLength(1);
    expect(inputs.filter(i => i.tier === 3)).toHaveLength(1);
    for (const { team } of FIRST_RUN_TEAMS.map(t => t.input)) {
      expect(inputs.filter(i => i.owner === team).length).toBeGreaterThan(1);
    }
  });

  it('passes every Enforce policy; exactly the hand-edited service fails an Audit policy', () => {
    const repo = new RepoState(repoRoot);
    const policies = repo.policies();
    expect(policies.length).toBeGreaterThan(3);
    const auditFailures = new Map<string, string[]>();
    for (const dir of firstRunDirectories()) {
      const resources = renderedManifestFiles(path.join(repoRoot, dir)).flatMap(
        f =>
          parseManifests(
            fs.readFileSync(f, 'utf8'),
            path.relative(repoRoot, f),
          ) as KubeResource[],
      );
      const findings = checkPolicies(
        policies,
        resources,
        ns => repo.teamNamespace(ns)?.metadata.labels,
      );
      expect(findings.filter(f => f.enforce)).toEqual([]);
      const audit = findings.filter(f => !f.enforce);
      if (audit.length) {
        auditFailures.set(
          dir,
          audit.map(f => f.policy),
        );
      }
    }
    const edited = FIRST_RUN_SERVICES.filter(s => s.handEdit).map(
      s => `K8s/apps/${s.input.owner}/${s.input.name}`,
    );
    expect(edited).toHaveLength(1);
    expect([...auditFailures.keys()]).toEqual(edited);
    expect(auditFailures.get(edited[0])).toContain('require-requests-limits');
  });
});

describe('renderSkeleton', () => {
  it('substitutes values as fetch:template does', () => {
    expect(
      renderSkeleton('# ${{ values.team }} (${{values.size}})', {
        team: 'a',
        size: 3,
      }),
    ).toBe('# a (3)');
  });

  it('refuses a missing value and template syntax it cannot render', () => {
    expect(() => renderSkeleton('${{ values.nope }}', {})).toThrow(
      'values.nope',
    );
    expect(() =>
      renderSkeleton('{% if values.a %}x{% endif %}', { a: 1 }),
    ).toThrow('beyond');
  });
});
