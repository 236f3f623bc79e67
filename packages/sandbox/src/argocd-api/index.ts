export {
  ArgoCdApiServer,
  SANDBOX_ARGOCD_VERSION,
  type ArgoCdApiServerOptions,
  type RevisionMetadataSource,
} from './ArgoCdApiServer';
export {
  withApplicationDefaults,
  listApplications,
  findApplication,
  DEFAULT_APP_NAMESPACE,
} from './applications';
export {
  resourceTree,
  healthOf,
  TRACKING_LABEL,
  type ResourceNode,
} from './resourceTree';
