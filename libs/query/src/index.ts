/**
 * Bounded read queries over the ClickHouse event store (schemas/clickhouse) for the query
 * API, and the alert acknowledgement writer. Every query takes a time window checked by
 * `resolveWindow` and a row limit, reads with `readonly=2` and a `max_execution_time`, and
 * builds SQL only from `quoteString` and its siblings, because ClickHouse 18.16 has no query
 * parameters. Checked against ClickHouse 18.16.
 */
export { QueryErrorCodes } from './internal/errors.js';
export { resolveWindow } from './internal/window.js';
export type { TimeWindow, WindowLimits } from './internal/window.js';
export { decodeCursor, encodeCursor } from './internal/cursor.js';
export type { CursorValues } from './internal/cursor.js';
export { keysetAfter } from './internal/store.js';
export type { KeysetPart, Page, QueryStoreOptions } from './internal/store.js';
export { listPrincipals } from './internal/principals.js';
export type { PrincipalFilter, PrincipalSummary } from './internal/principals.js';
export { readPrincipal } from './internal/principal-detail.js';
export type {
  EntitlementEntry,
  PrincipalDetail,
  PrincipalQuery,
  RecommendationEntry,
  UsageEntry,
} from './internal/principal-detail.js';
export { listRecommendations } from './internal/recommendations.js';
export type { RecommendationFilter, RecommendationSummary } from './internal/recommendations.js';
export {
  acknowledgeAlert,
  alertExists,
  listAlertAcks,
  listAlerts,
  readAcks,
} from './internal/alerts.js';
export type { AlertAck, AlertFilter, AlertSummary } from './internal/alerts.js';
export { searchEvents } from './internal/events.js';
export type { EventFilter, EventSummary } from './internal/events.js';
export { countDeadLetters } from './internal/dead-letters.js';
export type { DeadLetterCount } from './internal/dead-letters.js';
export { readConsumerLag } from './internal/consumer-lag.js';
export type { GroupTopic, GroupTopicLag, PartitionLagLike } from './internal/consumer-lag.js';
