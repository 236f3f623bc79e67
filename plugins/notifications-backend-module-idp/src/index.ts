/**
 * Notifications module of the IDP portal: ArgoCD, policy, tier-state and scaffolder-task events
 * for the owning team.
 *
 * @packageDocumentation
 */
export { notificationsModuleIdp as default } from './module';
