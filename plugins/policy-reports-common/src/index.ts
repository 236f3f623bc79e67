/**
 * Types, permissions and pure logic of the policy-reports plugin: the report
 * model of both Kyverno API groups, entity matching, owner roll-up and
 * compliance aggregation. No IO and no React, so it is tested without servers.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './normalize';
export * from './labelSelector';
export * from './entityMatching';
export * from './aggregate';
export * from './api';
