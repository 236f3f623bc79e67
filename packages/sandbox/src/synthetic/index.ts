export {
  generateSyntheticCluster,
  parseScaleSpec,
  ScaleSpecError,
  type SyntheticScale,
} from './generateSyntheticCluster';
