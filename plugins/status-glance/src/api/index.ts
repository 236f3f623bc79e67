export { statusGlanceApiRef, type StatusGlanceApi } from './StatusGlanceApi';
export { StatusGlanceClient } from './StatusGlanceClient';
