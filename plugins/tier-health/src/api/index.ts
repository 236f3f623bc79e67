export { tierHealthApiRef, type TierHealthApi } from './TierHealthApi';
export { TierHealthClient } from './TierHealthClient';
