/**
 * Kyverno policy reports for the IDP Portal (new frontend system): an entity
 * "Policies" tab and overview card, a "Policy compliance" page and a policy
 * detail page.
 *
 * @packageDocumentation
 */
export { policyReportsPlugin as default } from './plugin';
export {
  policyReportsApiRef,
  PolicyReportsClient,
  type PolicyReportsApi,
} from './api';
