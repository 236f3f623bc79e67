import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from './kube-api/__testUtils__/request';

// Starts the sandbox exactly as `yarn workspace @internal/sandbox start` does (TypeScript
// transpiled on the fly), in scale mode so no git remote is needed.
describe('main', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts both APIs in scale mode, writes the kubeconfig and stops on SIGTERM', async () => {
    const configFile = join(dir, 'sandbox.config.yaml');
    writeFileSync(
      configFile,
      [
        'kubernetes:',
        '  port: 0',
        '  token: main-test-token',
        'argocd:',
        '  port: 0',
        `gitops:`,
        `  remote: ${join(dir, 'gitops.git')}`,
        `  workDir: ${join(dir, 'checkout')}`,
        `kubeconfigPath: ${join(dir, 'kubeconfig')}`,
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        'src/main.ts',
        '--scale',
        'nodes=4,namespaces=3,pods=30,reports=5',
      ],
      {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, SANDBOX_CONFIG: configFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', chunk => (output += chunk));
    const exited = new Promise<number | null>(done =>
      child.on('exit', code => done(code)),
    );
    const urls = await new Promise<{ kube: string; argo: string }>(
      (done, fail) => {
        child.stdout.on('data', chunk => {
          output += chunk;
          const match =
            /also (http:\/\/[\d.:]+)\), ArgoCD API (http:\/\/[\d.:]+)/.exec(
              output,
            );
          if (match) done({ kube: match[1], argo: match[2] });
        });
        child.on('exit', () =>
          fail(new Error(`sandbox exited early:\n${output}`)),
        );
      },
    );

    const status = await request(`${urls.kube}/sandbox/status`, {
      headers: { Authorization: 'Bearer main-test-token' },
    });
    expect(status.json.nodes).toHaveLength(4);
    const pods = await request(`${urls.kube}/api/v1/pods`, {
      headers: { Authorization: 'Bearer main-test-token' },
    });
    expect(pods.json.items).toHaveLength(30);
    const apps = await request(`${urls.argo}/api/v1/applications`, {
      headers: {
        Authorization: 'Bearer sandbox-dev-argocd-token-not-a-secret',
      },
    });
    expect(apps.json.items).toHaveLength(3);
    expect(existsSync(join(dir, 'kubeconfig'))).toBe(true);
    expect(readFileSync(join(dir, 'kubeconfig'), 'utf8')).toContain(
      'certificate-authority-data',
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
