/**
 * Backend of the tier-health plugin: shared cluster snapshots and the summary, failure-domain
 * and entity routes.
 *
 * @packageDocumentation
 */
export { tierHealthPlugin as default } from './plugin';
