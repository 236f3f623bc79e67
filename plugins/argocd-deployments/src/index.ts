/**
 * ArgoCD deployments frontend (new frontend system): the ArgoCD entity tab, the overview card
 * and the deployment history card, and `argoCdDeploymentsApiRef` for other plugins.
 *
 * @packageDocumentation
 */
export { argoCdDeploymentsPlugin as default } from './plugin';
export {
  argoCdDeploymentsApiRef,
  ArgoCdDeploymentsClient,
  type ArgoCdDeploymentsApi,
} from './api';
export { DeploymentHistoryCard } from './components/DeploymentHistoryCard';
