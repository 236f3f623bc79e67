/**
 * ArgoCD deployments of an entity: types and pure logic (no React), used by the
 * argocd-deployments frontend and by anything that shows an entity's deployments.
 *
 * @packageDocumentation
 */
export * from './deploymentHistory';
export * from './diagnoseMissingApps';
export * from './loadDeployments';
