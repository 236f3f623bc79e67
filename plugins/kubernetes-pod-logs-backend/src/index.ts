/**
 * Pod logs for the teams that own the pods.
 *
 * @packageDocumentation
 */
export { kubernetesPodLogsPlugin as default } from './plugin';
export { podLogsReadPermission } from './permissions';
