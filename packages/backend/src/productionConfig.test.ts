import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The deployment contract: app-config.production.yaml reads its values from environment
 * variables, K8s/portal/idp-portal provides them (plain values in the Deployment, secrets through
 * the ExternalSecret), and packages/backend/Dockerfile and scripts/lib/image-tree.sh put the
 * same files into the image. A name that differs between them is a portal that starts with an
 * empty token, so each side is checked against the other.
 */
const repoRoot = path.resolve(__dirname, '../../..');
const read = (p: string) => fs.readFileSync(path.join(repoRoot, p), 'utf8');

/** Variables the runtime reads itself, not through the config. */
const RUNTIME_VARIABLES = new Set(['NODE_ENV', 'NODE_OPTIONS']);

function configVariables(configText: string): string[] {
  const names = new Set<string>();
  // Backstage substitutes ${VAR} and ${VAR:-fallback}; $${...} is an escaped literal
  for (const m of configText.matchAll(
    /(?<!\$)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::-[^}]*)?\}/g,
  )) {
    names.add(m[1]);
  }
  return [...names].sort();
}

function deploymentVariables(): string[] {
  const deployment = parse(read('K8s/portal/idp-portal/deployment.yaml'));
  const container = deployment.spec.template.spec.containers.find(
    (c: { name: string }) => c.name === 'backend',
  );
  return (container.env ?? []).map((e: { name: string }) => e.name);
}

function externalSecretVariables(): { names: string[]; target: string } {
  const secret = parse(read('K8s/portal/idp-portal/externalsecret.yaml'));
  return {
    names: secret.spec.data.map((d: { secretKey: string }) => d.secretKey),
    target: secret.spec.target.name,
  };
}

describe('production deployment contract', () => {
  const configText = read('app-config.production.yaml');
  const needed = configVariables(configText);
  const plain = deploymentVariables();
  const secret = externalSecretVariables();

  it('reads every deployment-specific value from the environment', () => {
    expect(needed).toEqual(
      expect.arrayContaining([
        'PORTAL_BASE_URL',
        'AUTH_SESSION_SECRET',
        'GITHUB_TOKEN',
        'GITOPS_REMOTE_URL',
      ]),
    );
  });

  it('has every variable of the config set by the Deployment or the ExternalSecret', () => {
    const provided = new Set([...plain, ...secret.names]);
    expect(needed.filter(name => !provided.has(name))).toEqual([]);
  });

  it('sets nothing the config does not read', () => {
    const used = new Set(needed);
    expect(
      [...plain, ...secret.names].filter(
        name => !used.has(name) && !RUNTIME_VARIABLES.has(name),
      ),
    ).toEqual([]);
  });

  it('sets each variable in one place only', () => {
    const all = [...plain, ...secret.names];
    expect(all.filter((name, i) => all.indexOf(name) !== i)).toEqual([]);
  });

  it('hands the ExternalSecret to the container', () => {
    const deployment = parse(read('K8s/portal/idp-portal/deployment.yaml'));
    const container = deployment.spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: secret.target } }]);
    expect(plain).toContain('NODE_ENV');
    expect(
      container.env.find((e: { name: string }) => e.name === 'NODE_ENV').value,
    ).toBe('production');
  });

  it('starts the container as the image does, with the production config only', () => {
    const deployment = parse(read('K8s/portal/idp-portal/deployment.yaml'));
    const container = deployment.spec.template.spec.containers[0];
    const cmd = /^CMD (\[.*\])$/m.exec(read('packages/backend/Dockerfile'));
    expect(cmd).not.toBeNull();
    expect([...container.command, ...container.args]).toEqual(
      JSON.parse(cmd![1]),
    );
  });

  it('keeps secrets out of the Deployment', () => {
    for (const name of plain) {
      expect(name).not.toMatch(/SECRET|TOKEN|PASSWORD/);
    }
  });
});

describe('configVariables', () => {
  it('collects ${VAR} names once each, ignoring escaped $${...}', () => {
    expect(
      configVariables('a: ${B}\nc: x-${ D }-${B}\ne: $${NOT_ME}\nf: ${F:-x}\n'),
    ).toEqual(['B', 'D', 'F']);
  });
});

describe('the image', () => {
  /** The COPY sources of the Dockerfile, without the build's tarballs. */
  function dockerfileCopies(): string[] {
    const sources: string[] = [];
    for (const line of read('packages/backend/Dockerfile').split('\n')) {
      const m = /^COPY\s+(?:--\S+\s+)*(.+)$/.exec(line.trim());
      if (!m) continue;
      const parts = m[1].split(/\s+/);
      sources.push(...parts.slice(0, -1));
    }
    return sources.filter(s => !s.endsWith('.tar.gz')).sort();
  }

  function imageTreeFiles(): string[] {
    const script = read('scripts/lib/image-tree.sh');
    const arrays = ['IMAGE_YARN_FILES', 'IMAGE_FILES'].map(name => {
      const m = new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(script);
      expect(m).not.toBeNull();
      return m![1].trim().split(/\s+/);
    });
    return arrays.flat().sort();
  }

  it('is laid out by scripts/lib/image-tree.sh with exactly the files the Dockerfile copies', () => {
    expect(imageTreeFiles()).toEqual(dockerfileCopies());
  });

  it('carries no laptop config', () => {
    expect(dockerfileCopies()).not.toContain('app-config.local.yaml');
    expect(dockerfileCopies().join(' ')).not.toMatch(/\*|sandbox/);
  });

  it('contains every file app-config.production.yaml points at', () => {
    const config = parse(read('app-config.production.yaml'));
    const files = [
      ...config.catalog.locations.map((l: { target: string }) => l.target),
      config.policyReports.gitopsPolicyDirectory,
    ];
    const copied = dockerfileCopies();
    for (const file of files) {
      const relative = path.posix.normalize(file);
      expect(
        copied.some(c => relative === c || relative.startsWith(`${c}/`)),
      ).toBe(true);
      expect(fs.existsSync(path.join(repoRoot, relative))).toBe(true);
    }
  });

  it("contains every target of the portal's Location (organisation, platform, templates)", () => {
    const location = parseAllDocuments(read('catalog-info.yaml'))
      .map(d => d.toJS())
      .find(e => e?.kind === 'Location');
    const copied = dockerfileCopies();
    expect(location.spec.targets.length).toBeGreaterThan(0);
    for (const target of location.spec.targets as string[]) {
      const relative = path.posix.normalize(target);
      expect(copied.some(c => relative.startsWith(`${c}/`))).toBe(true);
    }
  });
});

describe('app-config layering', () => {
  it('keeps laptop parts out of app-config.yaml and app-config.production.yaml', () => {
    for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
      const text = read(file);
      expect(text).not.toMatch(/\$include/);
      expect(text).not.toMatch(/sandbox\.config\.yaml|\.\.\/\.\.\//);
      const docs = parseAllDocuments(text).map(d => d.toJS());
      expect(
        docs[0]?.auth?.providers?.guest?.dangerouslyAllowOutsideDevelopment,
      ).not.toBe(true);
    }
  });
});
