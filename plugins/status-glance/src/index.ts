/**
 * Status at a glance (new frontend system): the first card of a component's Overview, and a
 * worst-first roll-up on Group and System pages.
 *
 * @packageDocumentation
 */
export { statusGlancePlugin as default } from './plugin';
export {
  statusGlanceApiRef,
  StatusGlanceClient,
  type StatusGlanceApi,
} from './api';
export type {
  EntityGlance,
  GlanceChip,
  GlanceState,
  UnreachableSource,
} from './glance/types';
