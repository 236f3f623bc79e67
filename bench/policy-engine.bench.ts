/*
 * Policy engine: evaluation time per resource for the twenty platform-shaped policies of
 * packages/policy-engine/src/testing/platformPolicies.ts (deny, foreach, JMESPath, podSecurity,
 * patterns) and for the repository's own K8s/policies (pattern-only), over a synthetic mix of
 * Pods, Deployments, Ingresses, Services and PodDisruptionBudgets, compliant and violating.
 * Prints median and p95 per resource with the resource count, results per second, and how many
 * of Kyverno's documented condition operators and custom JMESPath functions the engine implements.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  CONDITION_OPERATORS,
  evaluatePolicies,
  isKyvernoPolicy,
  KYVERNO_FUNCTIONS,
  UNSUPPORTED_FUNCTIONS,
  type KubeResource,
} from '@internal/policy-engine';
import { platformPolicies } from '../packages/policy-engine/src/testing/platformPolicies';

const RESOURCES = 2000;
const WARMUP_ROUNDS = 1;
const ROUNDS = 3;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function container(i: number) {
  const bad = i % 5 === 0;
  return {
    name: `c${i % 3}`,
    image: bad
      ? `nginx:${i % 2 ? 'latest' : '1.27'}`
      : `ghcr.io/acme/app-${i % 7}:1.${i % 10}.0`,
    resources: bad
      ? { requests: { cpu: '100m' } }
      : {
          requests: { cpu: '250m', memory: '256Mi' },
          limits: { memory: i % 11 ? '512Mi' : '8Gi' },
        },
    securityContext: bad
      ? { privileged: i % 2 === 0, capabilities: { add: ['NET_ADMIN'] } }
      : { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    ports: [{ containerPort: 8080, ...(i % 13 === 0 ? { hostPort: 80 } : {}) }],
    livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 10 },
  };
}

function podSpec(i: number) {
  return {
    securityContext: {
      runAsNonRoot: i % 4 !== 0,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [container(i), container(i + 1)],
    volumes: [
      {
        name: 'data',
        ...(i % 9 === 0 ? { hostPath: { path: '/var' } } : { emptyDir: {} }),
      },
    ],
  };
}

/** A deterministic mix: 40% Pods, 30% Deployments, 10% each Ingresses, Services, PDBs. */
function syntheticResource(i: number): KubeResource {
  const namespace = `team-${i % 25}`;
  const metadata = {
    name: `r-${i}`,
    namespace,
    labels: { 'app.kubernetes.io/name': `r-${i}`, owner: `team-${i % 25}` },
    annotations: (i % 17 === 0
      ? { 'nginx.ingress.kubernetes.io/server-snippet': 'x' }
      : {}) as Record<string, string>,
  };
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec(i) };
    case 4:
    case 5:
    case 6:
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: i % 15,
          template: {
            metadata: { labels: { app: `r-${i}` } },
            spec: podSpec(i),
          },
        },
      };
    case 7:
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata,
        spec: {
          rules: [
            {
              host:
                i % 3 ? `r-${i}.${namespace}.apps.acme.io` : `*.example.com`,
            },
          ],
        },
      };
    case 8:
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata,
        spec: { type: i % 4 ? 'ClusterIP' : 'LoadBalancer' },
      };
    default:
      return {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata,
        spec: i % 2 ? { minAvailable: '100%' } : { maxUnavailable: 1 },
      };
  }
}

function repoPolicies(): KubeResource[] {
  const dir = path.resolve(
    __dirname,
    '..',
    'K8s',
    'policies',
    'kyverno-policies',
  );
  return fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d =>
        d.toJSON(),
      ),
    )
    .filter((p): p is KubeResource => !!p && isKyvernoPolicy(p));
}

function measure(
  label: string,
  policies: KubeResource[],
  resources: KubeResource[],
) {
  const context = { operation: 'CREATE' as const };
  for (let r = 0; r < WARMUP_ROUNDS; r++) {
    for (const resource of resources)
      evaluatePolicies(policies, resource, context);
  }
  const times: number[] = [];
  const counts = { pass: 0, fail: 0, skip: 0, error: 0, warn: 0 };
  let results = 0;
  const started = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) {
    for (const resource of resources) {
      const t0 = process.hrtime.bigint();
      const out = evaluatePolicies(policies, resource, context);
      times.push(Number(process.hrtime.bigint() - t0) / 1e3);
      if (r === 0) {
        results += out.length;
        for (const o of out) counts[o.result]++;
      }
    }
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  times.sort((a, b) => a - b);
  console.log(
    `${label}: ${policies.length} policies x ${resources.length} resources (${ROUNDS} rounds): ` +
      `median ${percentile(times, 50).toFixed(1)} µs/resource, p95 ${percentile(
        times,
        95,
      ).toFixed(1)} µs, ` +
      `max ${times[times.length - 1].toFixed(
        0,
      )} µs; ${results} rule results per round ` +
      `(${JSON.stringify(counts)}), ${(
        (results * ROUNDS) /
        (totalMs / 1000)
      ).toFixed(0)} results/s`,
  );
}

function main() {
  const resources = Array.from({ length: RESOURCES }, (_, i) =>
    syntheticResource(i),
  );
  measure(
    'platform set (deny/foreach/JMESPath/podSecurity/patterns)',
    platformPolicies(),
    resources,
  );
  measure('K8s/policies (pattern-only)', repoPolicies(), resources);

  const documentedOperators = CONDITION_OPERATORS.length;
  const documentedFunctions = KYVERNO_FUNCTIONS.length;
  const unsupported = UNSUPPORTED_FUNCTIONS;
  console.log(
    `coverage: condition operators ${documentedOperators}/${documentedOperators} implemented; ` +
      `Kyverno custom JMESPath functions ${
        documentedFunctions - unsupported.length
      }/${documentedFunctions} implemented ` +
      `(explicit skip for: ${unsupported.join(
        ', ',
      )}; is_external_url decides IP-literal hosts only, a host name is a skip)`,
  );
}

main();
