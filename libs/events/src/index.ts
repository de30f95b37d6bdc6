export { PROVIDERS, PRINCIPAL_TYPES, SCHEMA_VERSION } from './internal/normalized-event.js';
export type {
  Provider,
  PrincipalType,
  Principal,
  Session,
  MappingStatus,
  Visibility,
  Action,
  Resource,
  Outcome,
  Category,
  NormalizedEvent,
} from './internal/normalized-event.js';
export {
  NORMALIZATION_REASONS,
  normalizationErrorCode,
  isNormalizationError,
} from './internal/normalization-error.js';
export type { NormalizationError, NormalizationReason } from './internal/normalization-error.js';
export {
  NORMALIZED_EVENT_SCHEMA_PATH,
  normalizedEventSchema,
  encodeNormalizedEvent,
  decodeNormalizedEvent,
} from './internal/avro-codec.js';
export { TOPICS, RAW_TOPIC_BY_PROVIDER } from './internal/topics.js';
export {
  ALERT_SEVERITIES,
  ALERT_SCHEMA_VERSION,
  ALERT_MAX_EVIDENCE_EVENTS,
  ALERT_MAX_SOURCE_IPS,
  ALERT_SCHEMA_PATH,
  ALERT_VERSION_DETAIL,
  alertVersionOf,
  alertSchema,
  computeAlertId,
  encodeAlert,
  decodeAlert,
} from './internal/alert.js';
export type { Alert, AlertSeverity } from './internal/alert.js';
