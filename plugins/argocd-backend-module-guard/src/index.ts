/**
 * Guards Roadie's ArgoCD backend: write routes need `argocd.application.sync` or
 * `argocd.application.write`; failures of an ArgoCD instance answer 503/404 naming it, without
 * stack traces.
 *
 * @packageDocumentation
 */
export { argocdModuleGuard as default } from './module';
export {
  argocdApplicationSyncPermission,
  argocdApplicationWritePermission,
  argocdPermissions,
} from './permissions';
export { listMountedRoutes, requiredPermission } from './routes';
export type { MountedRoute } from './routes';
