export { createAnomalyEngine } from './internal/engine.js';
export type { AnomalyEngine, AnomalyCheckpoint, AnomalyStats } from './internal/engine.js';
export {
  DEFAULT_THRESHOLDS,
  MAX_ALERT_WINDOW_MS,
  resolveAnomalyOptions,
} from './internal/options.js';
export type {
  AnomalyOptions,
  AnomalyThresholds,
  ResolvedAnomalyOptions,
} from './internal/options.js';
export type { SuppressionRule } from './internal/suppression.js';
export type {
  Detection,
  Detector,
  DetectorContext,
  GeoLocation,
  GeoLookup,
  RuleDefinition,
  UnusedPermissionLookup,
} from './internal/types.js';
export { DETECTORS } from './internal/detectors/index.js';
export { ANOMALY_ERROR_CODES } from './internal/errors.js';
export { permissionWeight } from './internal/sensitivity.js';
export { processEvents } from './internal/process-events.js';
export { HIGH_RISK_CLASSES, createUnusedPermissionIndex } from './internal/unused-index.js';
export type { UnusedPermissionEntry, UnusedPermissionIndex } from './internal/unused-index.js';
