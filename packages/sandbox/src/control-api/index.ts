export {
  createControlRoutes,
  nodesSummary,
  type KubeApiControls,
} from './controlRoutes';
export type {
  Logger,
  ReconcileStatus,
  SandboxControl,
  WorkloadRef,
} from './types';
export { startSandboxServers, type SandboxServers } from './sandboxServers';
