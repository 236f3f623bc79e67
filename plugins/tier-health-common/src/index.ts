/**
 * Types, permissions and pure logic of the tier-health plugins: tier resolution, availability,
 * the Green/Yellow/Red/Black cluster state and the failure-domain analysis.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './quantity';
export * from './labelSelector';
export * from './tiers';
export * from './inventory';
export * from './components';
export * from './nodeReasons';
export * from './clusterState';
export * from './scheduling';
export * from './failureDomains';
export * from './views';
export * from './api';

export * from './inventoryIndex';
export * from './freshness';
