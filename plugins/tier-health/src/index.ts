/**
 * Tier health frontend (new frontend system): the Platform health page and the entity tier card.
 *
 * @packageDocumentation
 */
export { tierHealthPlugin as default } from './plugin';
export { tierHealthApiRef, TierHealthClient, type TierHealthApi } from './api';
