import { describeValue } from '@ciem/errors';
import {
  SCHEMA_VERSION,
  type NormalizationError,
  type NormalizationReason,
  type NormalizedEvent,
} from '@ciem/events';
import type { NormalizeContext, NormalizeResult } from '../context.js';
import {
  getPath,
  isObject,
  readBoolean,
  readObject,
  readString,
  type JsonObject,
} from '../read-field.js';
import { OPTIONAL_KEYS } from './optional-keys.js';
import { readCloudTrailTime } from './cloudtrail-time.js';
import { readCloudTrailEventId } from './event-id.js';
import { readCloudTrailIdentity } from './identity.js';
import { readCloudTrailCategory, readCloudTrailOutcome } from './outcome.js';
import { mapCloudTrailAction } from './permissions.js';
import { readCloudTrailResources } from './resources.js';

/**
 * Normalizes one CloudTrail record (an element of a log file's `Records[]`, the parsed
 * `CloudTrailEvent` of LookupEvents, or an EventBridge `detail`) into a NormalizedEvent.
 * Field meanings follow the CloudTrail User Guide, "CloudTrail record contents" and
 * "CloudTrail userIdentity element".
 *
 * Bad input never throws: the function returns a NormalizationError with reason `wrong-type` when
 * the record is not an object or a required field has the wrong form, `wrong-envelope` for
 * a whole log file, `not-an-event` for a record with none of `eventTime`, `eventSource` and
 * `eventName` (a digest file), and `missing-field` when one of them is missing. A record
 * without `eventID` gets a derived id (see `readCloudTrailEventId`).
 */
export function normalizeCloudTrailRecord(record: unknown, ctx: NormalizeContext): NormalizeResult {
  if (!isObject(record)) {
    return failure(
      ctx,
      'wrong-type',
      null,
      `CloudTrail record is invalid: expected a JSON object, received ${describeValue(record)}. ` +
        'Pass one element of the log file\u2019s Records array.',
    );
  }
  // Fields are read with literal keys (see `getPath`), which V8 caches per read site.
  if (Array.isArray(getPath(record, OPTIONAL_KEYS.Records, record['Records']))) {
    return failure(
      ctx,
      'wrong-envelope',
      'Records',
      'CloudTrail record is a whole log file ({"Records": [...]}): expected one record. ' +
        'Unwrap the Records array before normalizing.',
    );
  }
  const timeField = eventTimeFieldOf(record);
  const eventTimeValue =
    timeField === 'eventTime'
      ? getPath(record, 'eventTime', record['eventTime'])
      : getPath(record, timeField);
  const eventSourceValue = readEventField(record, 'eventSource', record['eventSource']);
  const eventNameValue = readEventField(record, 'eventName', record['eventName']);
  if (
    eventTimeValue === undefined &&
    eventSourceValue === undefined &&
    eventNameValue === undefined
  ) {
    return failure(
      ctx,
      'not-an-event',
      null,
      'CloudTrail record has none of eventTime, eventSource and eventName: expected an event ' +
        `record, received an object with keys ${describeValue(Object.keys(record))}. ` +
        'Digest files and other non-event objects cannot be normalized.',
    );
  }

  const sourceProblem = checkEventField(ctx, 'eventSource', eventSourceValue);
  if (sourceProblem !== undefined) return sourceProblem;
  const nameProblem = checkEventField(ctx, 'eventName', eventNameValue);
  if (nameProblem !== undefined) return nameProblem;
  if (eventTimeValue === undefined || eventTimeValue === null || eventTimeValue === '') {
    return failure(
      ctx,
      'missing-field',
      'eventTime',
      missingMessage('eventTime', 'an ISO 8601 time'),
    );
  }
  const eventTime = readCloudTrailTime(record, timeField, eventTimeValue);
  if (eventTime === undefined) {
    return failure(
      ctx,
      'wrong-type',
      timeField,
      wrongTypeMessage(
        timeField,
        'an ISO 8601 time such as "2024-05-01T12:00:00Z"',
        eventTimeValue,
      ),
    );
  }
  const userIdentity = getPath(record, 'userIdentity', record['userIdentity']);
  const identityObject = readObject(record, 'userIdentity', userIdentity);
  if (userIdentity !== undefined && userIdentity !== null && identityObject === undefined) {
    return failure(
      ctx,
      'wrong-type',
      'userIdentity',
      wrongTypeMessage('userIdentity', 'an object', userIdentity),
    );
  }

  const eventSource = String(eventSourceValue).trim();
  const eventName = String(eventNameValue).trim();
  const region = readString(record, 'awsRegion', record['awsRegion']) ?? null;
  const identity = readCloudTrailIdentity(record, identityObject);
  const accountId =
    readString(record, 'recipientAccountId', record['recipientAccountId']) ??
    readString(identityObject, 'accountId', identityObject?.['accountId']) ??
    '';
  const partition = identity.partition;
  const { action, impliedCategory } = mapCloudTrailAction(record, eventSource, eventName);
  const recordCategory = readCloudTrailCategory(record);
  const outcome = readCloudTrailOutcome(record);

  const event: NormalizedEvent = {
    schema_version: SCHEMA_VERSION,
    event_id: readCloudTrailEventId(record),
    provider: 'aws',
    event_time: eventTime,
    ingest_time: ctx.ingestTime,
    log_type: readString(record, 'eventType', record['eventType']) ?? null,
    account_id: accountId,
    // NOTE: CloudTrail records carry no organization id (an organization trail shows it only
    // in the S3 object key), so tenant_id stays null until the container layer passes it.
    tenant_id: null,
    region,
    principal: identity.principal,
    session: identity.session,
    actor: identity.actor,
    access_key_id: identity.access_key_id,
    mfa: identity.mfa,
    action,
    read_only: readBoolean(record, 'readOnly', record['readOnly']) ?? null,
    category:
      recordCategory === 'management' ? (impliedCategory ?? recordCategory) : recordCategory,
    resources: readCloudTrailResources(record, { partition, region, account: accountId }),
    outcome: outcome.outcome,
    error_code: outcome.error_code,
    error_message: outcome.error_message,
    source_ip: readString(record, 'sourceIPAddress', record['sourceIPAddress']) ?? null,
    user_agent: readString(record, 'userAgent', record['userAgent']) ?? null,
    via_service: identity.via_service,
    vpc_endpoint: readString(record, OPTIONAL_KEYS.vpcEndpointId, record['vpcEndpointId']) ?? null,
    phase: null,
    correlation_id:
      readString(record, OPTIONAL_KEYS.sharedEventID, record['sharedEventID']) ?? null,
    raw_ref: ctx.rawRef,
  };
  return event;
}

function failure(
  ctx: NormalizeContext,
  reason: NormalizationReason,
  field: string | null,
  message: string,
): NormalizationError {
  return {
    kind: 'normalization-error',
    provider: 'aws',
    reason,
    field,
    message,
    raw_ref: ctx.rawRef,
  };
}

/** Returns the error for an `eventSource` or `eventName` that is not a non-empty string. */
function checkEventField(
  ctx: NormalizeContext,
  field: 'eventSource' | 'eventName',
  value: unknown,
): NormalizationError | undefined {
  if (value === undefined || value === null || value === '') {
    return failure(ctx, 'missing-field', field, missingMessage(field, 'a non-empty string'));
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return failure(ctx, 'wrong-type', field, wrongTypeMessage(field, 'a non-empty string', value));
  }
  return undefined;
}

/**
 * Reads `eventSource` or `eventName`, given the caller's direct read of it (see `getPath`).
 * Insight events carry them in `insightDetails`, naming the API whose call rate or error
 * rate was unusual (CloudTrail User Guide, "CloudTrail Insights events").
 */
function readEventField(
  record: JsonObject,
  field: 'eventSource' | 'eventName',
  direct: unknown,
): unknown {
  return (
    getPath(record, field, direct) ??
    getPath(
      record,
      field === 'eventSource' ? 'insightDetails.eventSource' : 'insightDetails.eventName',
    )
  );
}

/**
 * Returns the field holding the event time: `eventTime`, or `@timestamp` when only that is
 * present, because Logstash pipelines that parse CloudTrail move the time there (Elastic
 * Common Schema defines `@timestamp` as the time the event originated).
 *
 * NOTE: a pipeline that sets `@timestamp` to its own read time and drops `eventTime` makes
 * this the ingest time; nothing in the record distinguishes the two.
 */
function eventTimeFieldOf(record: JsonObject): string {
  if (
    getPath(record, 'eventTime', record['eventTime']) === undefined &&
    getPath(record, '@timestamp', record['@timestamp']) !== undefined
  ) {
    return '@timestamp';
  }
  return 'eventTime';
}

function missingMessage(field: string, expected: string): string {
  return (
    `CloudTrail record is missing ${field}: expected ${expected}. ` +
    'Every CloudTrail event has this field, so the record is truncated or not CloudTrail.'
  );
}

function wrongTypeMessage(field: string, expected: string, received: unknown): string {
  return (
    `CloudTrail field ${field} is invalid: expected ${expected}, received ` +
    `${describeValue(received)}. Check the exporter that wrote the record.`
  );
}
