export {
  argoCdDeploymentsApiRef,
  type ArgoCdDeploymentsApi,
} from './ArgoCdDeploymentsApi';
export { ArgoCdDeploymentsClient } from './ArgoCdDeploymentsClient';
