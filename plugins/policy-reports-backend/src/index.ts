/**
 * The policy-reports backend plugin: a shared in-memory index of the Kyverno
 * reports of every cluster the Kubernetes plugin is configured with.
 *
 * @packageDocumentation
 */
export { policyReportsPlugin as default } from './plugin';
