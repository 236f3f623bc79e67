export { policyReportsApiRef, type PolicyReportsApi } from './PolicyReportsApi';
export { PolicyReportsClient } from './PolicyReportsClient';
