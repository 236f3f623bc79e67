import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APIRequestContext, expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { screenshotPath, signInAsGuest } from './helpers';
import {
  commitToGitops,
  sandboxKubernetesToken,
  sandboxKubernetesUrl,
} from './sandbox';

/*
 * Policy results of a platform component, computed here independently from the sandbox's own
 * Kubernetes API (the reports Kyverno-in-the-sandbox wrote), then looked for in the portal.
 *
 * The platform's own workloads are compliant, so the journey gives one of them a known
 * violation the way anyone would: a commit to the GitOps remote that drops the
 * `business-unit` label from policy-reporter's workloads (require-workload-labels is Audit, so
 * the workloads still run and Kyverno reports them as failing). The commit is reverted after.
 */

const VIOLATING_COMPONENT = 'policy-reporter';
const VIOLATING_MANIFEST = 'K8s/policies/policy-reporter/sandbox-seed.yaml';
const DROPPED_LABEL = /^ *business-unit: platform-engineering\n/gm;

type KubeObject = {
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: Array<{ uid: string; controller?: boolean }>;
  };
};
type Report = KubeObject & {
  scope?: { kind?: string; name?: string; uid?: string };
  results?: Array<{ policy: string; result: string }>;
};

interface PlatformComponent {
  name: string;
  kubernetesId: string;
  namespace: string;
}

/** The platform's catalog Components that name their Kubernetes objects, from the GitOps repo. */
function platformComponents(): PlatformComponent[] {
  const root = join(__dirname, '..', 'K8s');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(file => file.endsWith('catalog-info.yaml'))
    .sort();
  return files.flatMap(file =>
    parseAllDocuments(readFileSync(join(root, file), 'utf8'))
      .map(document => document.toJS())
      .filter(entity => entity?.kind === 'Component')
      .flatMap(entity => {
        const annotations = entity.metadata?.annotations ?? {};
        const kubernetesId = annotations['backstage.io/kubernetes-id'];
        const namespace = annotations['backstage.io/kubernetes-namespace'];
        return kubernetesId && namespace
          ? [{ name: entity.metadata.name, kubernetesId, namespace }]
          : [];
      }),
  );
}

async function list<T>(request: APIRequestContext, path: string): Promise<T[]> {
  const response = await request.get(`${sandboxKubernetesUrl}${path}`, {
    headers: { Authorization: `Bearer ${sandboxKubernetesToken}` },
  });
  expect(response.ok(), `GET ${path}`).toBeTruthy();
  return (await response.json()).items;
}

interface ExpectedResults {
  counts: Record<'pass' | 'fail' | 'warn', number>;
  failingPolicies: string[];
  /** A top-level workload with a failing result, and the policy it fails. */
  failingWorkload?: { name: string; policy: string };
}

/**
 * What the Policies tab must show: results of reports about objects labelled with the
 * component's kubernetes-id, or owned (through controller ownerReferences) by one, in its
 * namespace; plus the ClusterPolicyReport of the namespace itself.
 */
async function expectedResults(
  request: APIRequestContext,
  component: PlatformComponent,
): Promise<ExpectedResults> {
  const ns = `/namespaces/${component.namespace}`;
  const [reports, clusterReports, ...workloadLists] = await Promise.all([
    list<Report>(request, `/apis/wgpolicyk8s.io/v1alpha2${ns}/policyreports`),
    list<Report>(request, '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports'),
    list<KubeObject>(request, `/api/v1${ns}/pods`),
    list<KubeObject>(request, `/apis/apps/v1${ns}/replicasets`),
    list<KubeObject>(request, `/apis/apps/v1${ns}/deployments`),
    list<KubeObject>(request, `/apis/apps/v1${ns}/statefulsets`),
    list<KubeObject>(request, `/apis/apps/v1${ns}/daemonsets`),
    list<KubeObject>(request, `/apis/batch/v1${ns}/jobs`),
  ]);
  const byUid = new Map(
    workloadLists.flat().map(object => [object.metadata.uid!, object]),
  );
  const selected = (object: KubeObject) =>
    object.metadata.labels?.['backstage.io/kubernetes-id'] ===
    component.kubernetesId;
  const topOwner = (uid: string | undefined): KubeObject | undefined => {
    let current = uid ? byUid.get(uid) : undefined;
    for (let hop = 0; current && hop < 8; hop++) {
      const owner = current.metadata.ownerReferences?.find(r => r.controller);
      const next = owner && byUid.get(owner.uid);
      if (!next) break;
      current = next;
    }
    return current;
  };
  const belongs = (uid: string | undefined) => {
    const object = uid ? byUid.get(uid) : undefined;
    const owner = topOwner(uid);
    return (!!object && selected(object)) || (!!owner && selected(owner));
  };
  const counts = { pass: 0, fail: 0, warn: 0 };
  const failingPolicies = new Set<string>();
  let failingWorkload: ExpectedResults['failingWorkload'];
  const namespaceReports = clusterReports.filter(
    report =>
      report.scope?.kind === 'Namespace' &&
      report.scope?.name === component.namespace,
  );
  for (const report of [...reports, ...namespaceReports]) {
    const isNamespaceReport = report.scope?.kind === 'Namespace';
    if (!isNamespaceReport && !belongs(report.scope?.uid)) continue;
    for (const result of report.results ?? []) {
      if (result.result in counts) {
        counts[result.result as keyof typeof counts] += 1;
      }
      if (result.result === 'fail') {
        failingPolicies.add(result.policy);
        const workload = topOwner(report.scope?.uid)?.metadata.name;
        if (!isNamespaceReport && !failingWorkload && workload) {
          failingWorkload = { name: workload, policy: result.policy };
        }
      }
    }
  }
  return {
    counts,
    failingPolicies: [...failingPolicies].sort(),
    failingWorkload,
  };
}

test.describe('Kyverno policy reports', () => {
  test('a platform component shows its violations; the compliance page leads to the failing resources', async ({
    page,
    request,
  }) => {
    // The backend indexes the cluster on an interval; allow a few refreshes.
    test.setTimeout(240_000);
    const component = platformComponents().find(
      candidate => candidate.name === VIOLATING_COMPONENT,
    )!;
    expect(component, `${VIOLATING_COMPONENT} in the catalog`).toBeDefined();
    let original = '';
    await commitToGitops(
      request,
      `e2e: drop business-unit from ${VIOLATING_COMPONENT}`,
      checkout => {
        const file = join(checkout, VIOLATING_MANIFEST);
        original = readFileSync(file, 'utf8');
        writeFileSync(file, original.replace(DROPPED_LABEL, ''));
      },
    );
    try {
      let expected: ExpectedResults | undefined;
      await expect(async () => {
        expected = await expectedResults(request, component);
        expect(expected.failingWorkload).toBeDefined();
      }).toPass({ timeout: 30_000 });
      const { counts, failingPolicies, failingWorkload } = expected!;

      await signInAsGuest(page);
      await page.goto(`/catalog/default/component/${component.name}/policies`);
      await expect(async () => {
        await page.reload();
        await expect(page.getByTestId('summary-fail')).toHaveText(
          `${counts.fail} fail`,
          { timeout: 10_000 },
        );
      }).toPass({ timeout: 120_000 });
      await expect(page.getByTestId('summary-pass')).toHaveText(
        `${counts.pass} pass`,
      );
      await expect(page.getByTestId('summary-warn')).toHaveText(
        `${counts.warn} warn`,
      );
      await expect(
        page
          .getByRole('link', { name: failingPolicies[0], exact: true })
          .first(),
      ).toBeVisible();
      await page.screenshot({
        path: screenshotPath('policy-reports-entity-tab'),
        fullPage: true,
      });

      await page
        .getByRole('link', { name: 'Policy compliance', exact: true })
        .first()
        .click();
      await expect(page).toHaveURL(/\/policy-compliance$/);
      await expect(
        page.getByRole('figure', { name: 'Failing results by severity' }),
      ).toBeVisible();
      for (const policy of failingPolicies) {
        await expect(
          page.getByRole('link', { name: policy, exact: true }).first(),
        ).toBeVisible();
      }
      await page.screenshot({
        path: screenshotPath('policy-compliance'),
        fullPage: true,
      });

      const { policy, name: workloadName } = failingWorkload!;
      await page
        .getByRole('link', { name: policy, exact: true })
        .first()
        .click();
      await expect(page).toHaveURL(
        new RegExp(`/policy-compliance/policies/${policy}$`),
      );
      await expect(
        page.getByText(`Resources failing ${policy} (`),
      ).toBeVisible();
      await page.getByPlaceholder('Filter').fill(workloadName);
      await expect(
        page.getByText(new RegExp(`/${workloadName}$`)).first(),
      ).toBeVisible();
      await page.screenshot({
        path: screenshotPath('policy-detail'),
        fullPage: true,
      });
    } finally {
      await commitToGitops(
        request,
        `e2e: restore ${VIOLATING_COMPONENT}'s labels`,
        checkout => writeFileSync(join(checkout, VIOLATING_MANIFEST), original),
      );
    }
  });
});
