import fs from 'node:fs';
import path from 'node:path';
import { renderSkeleton } from '../firstRun/world';
import { ServiceInput } from '../validation';
import { runbookValues } from './runbook';

const skeletonDir = path.resolve(
  __dirname,
  '../../../../templates/new-service/skeleton',
);
const service: ServiceInput = {
  name: 'orders',
  owner: 'team-shop',
  description: 'Takes orders',
  image: 'registry.example.com/team-shop/orders',
  tag: '1.2.3',
  port: 8080,
  replicas: 2,
  tier: 4,
  exposure: 'none',
};

describe('runbookValues', () => {
  it('renders every skeleton file with values only', () => {
    for (const file of ['README.md', 'mkdocs.yml', 'docs/index.md']) {
      const text = fs.readFileSync(path.join(skeletonDir, file), 'utf8');
      const rendered = renderSkeleton(text, runbookValues(service));
      expect(rendered).not.toMatch(/\$\{\{|\{%/);
      expect(rendered).toContain('orders');
    }
  });

  it('says what the tier, the exposure and the secrets mean', () => {
    const plain = runbookValues(service);
    expect(plain.tierSummary).toBe('application workload');
    expect(plain.exposureSummary).toBe(
      'cluster-internal only (Service `orders` port 80)',
    );
    expect(plain.secretsSection).toMatch(/^None\./);

    const exposed = runbookValues({
      ...service,
      tier: 3,
      exposure: 'public',
      hostname: 'orders.example.com',
      imageUpdate: 'semver',
      semverRange: '^1.2',
      secrets: ['DB_PASSWORD', 'API_KEY'],
    });
    expect(exposed.tierSummary).toMatch(/degrades the platform to Yellow/);
    expect(exposed.exposureSummary).toBe(
      '`public` gateway at `https://orders.example.com`',
    );
    expect(exposed.version).toBe('^1.2');
    expect(exposed.secretsSection).toContain('- `DB_PASSWORD`\n- `API_KEY`');
  });
});
