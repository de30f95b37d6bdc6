/**
 * JSON schemas shared by the routes: query parameters, error bodies and the items of each
 * list. Responses are serialized through them, so a field missing here never reaches a
 * caller.
 */

/** Query parameters of the time window. */
export const windowParams = {
  from: {
    type: 'string',
    format: 'date-time',
    description: 'Start of the time window (RFC 3339); default `to` minus the default window.',
  },
  to: {
    type: 'string',
    format: 'date-time',
    description: 'End of the time window (RFC 3339); default now.',
  },
} as const;

/** Query parameters of keyset paging; `maxRows` is the configured largest `limit`. */
export function pageParams(defaultRows: number, maxRows: number) {
  return {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: maxRows,
      default: Math.min(defaultRows, maxRows),
      description: `Rows per page, 1 to ${maxRows}.`,
    },
    cursor: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      description: 'The `next_cursor` of the previous page; absent for the first page.',
    },
  } as const;
}

/** A short identifier-like filter value. */
export const textParam = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 2048, description }) as const;

/** The `provider` filter: the event schema's provider names, in lower case. */
export const providerParam = {
  type: 'string',
  enum: ['aws', 'azure', 'gcp'],
  description: 'Provider: `aws`, `azure` or `gcp`.',
} as const;

/** The body of every error response. */
export const errorBody = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'Stable error code, listed in docs/errors.md.' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['statusCode', 'code', 'error', 'message'],
} as const;

/** Error responses every authenticated route may return. */
export const errorResponses = {
  400: { description: 'Invalid parameter; the message names it.', ...errorBody },
  401: { description: 'Missing, invalid or expired credentials.', ...errorBody },
  403: { description: 'The caller\u2019s role does not allow the request.', ...errorBody },
  429: { description: 'Rate limit exceeded; see `Retry-After`.', ...errorBody },
  503: { description: 'ClickHouse or Kafka is unavailable; retry later.', ...errorBody },
} as const;

const stringArray = { type: 'array', items: { type: 'string' } } as const;
const epochMs = { type: 'integer', description: 'Epoch milliseconds.' } as const;
const nullableEpochMs = { type: ['integer', 'null'], description: 'Epoch milliseconds.' } as const;

/** Wraps an item schema in the page envelope `{ items, next_cursor }`. */
export function pageOf(item: object) {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: item },
      next_cursor: { type: ['string', 'null'] },
    },
    required: ['items', 'next_cursor'],
  } as const;
}

export const principalSummary = {
  type: 'object',
  properties: {
    provider: { type: 'string' },
    account_id: { type: 'string' },
    principal_id: { type: 'string' },
    principal_type: { type: 'string' },
    principal_name: { type: 'string' },
    permissions_used: { type: 'integer' },
    permission_uses: { type: 'integer' },
    last_activity: epochMs,
    score: { type: ['number', 'null'] },
    team: { type: ['string', 'null'] },
  },
} as const;

export const principalDetail = {
  type: 'object',
  properties: {
    principal_id: { type: 'string' },
    principal_type: { type: 'string' },
    principal_name: { type: 'string' },
    admin: { type: 'boolean' },
    last_activity: nullableEpochMs,
    entitlements: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          provider: { type: 'string' },
          account_id: { type: 'string' },
          permission: { type: 'string' },
          resource: { type: 'string' },
          via: { type: 'string' },
          conditional: { type: 'boolean' },
          data_action: { type: 'boolean' },
          taken_at: epochMs,
        },
      },
    },
    entitlements_truncated: { type: 'boolean' },
    usage: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          provider: { type: 'string' },
          account_id: { type: 'string' },
          permission: { type: 'string' },
          outcome: { type: 'string' },
          events: { type: 'integer' },
          first_seen: epochMs,
          last_seen: epochMs,
        },
      },
    },
    usage_truncated: { type: 'boolean' },
    recommendations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          provider: { type: 'string' },
          account_id: { type: 'string' },
          team: { type: 'string' },
          status: { type: 'string' },
          score: { type: 'number' },
          confidence: { type: 'number' },
          window_end: epochMs,
          unused_permissions: stringArray,
          recommendation_kind: { type: 'string' },
          removes: stringArray,
        },
      },
    },
  },
} as const;

export const recommendationSummary = {
  type: 'object',
  properties: {
    provider: { type: 'string' },
    account_id: { type: 'string' },
    principal_id: { type: 'string' },
    principal_type: { type: 'string' },
    principal_name: { type: 'string' },
    team: { type: 'string' },
    status: { type: 'string' },
    score: { type: 'number' },
    confidence: { type: 'number' },
    window_start: epochMs,
    window_end: epochMs,
    last_activity: nullableEpochMs,
    used_count: { type: 'integer' },
    unused_permissions: stringArray,
    unused_services: stringArray,
    recommendation_kind: { type: 'string' },
    removes: stringArray,
  },
} as const;

const alertAck = {
  type: 'object',
  properties: {
    alert_id: { type: 'string' },
    acknowledged_at: epochMs,
    acknowledged_by: { type: 'string' },
    note: { type: 'string' },
  },
} as const;

export const alertAckBody = alertAck;

export const alertSummary = {
  type: 'object',
  properties: {
    alert_id: { type: 'string' },
    rule_id: { type: 'string' },
    rule_name: { type: 'string' },
    severity: { type: 'string' },
    provider: { type: 'string' },
    account_id: { type: 'string' },
    principal_id: { type: 'string' },
    principal_type: { type: 'string' },
    principal_name: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    mitre_techniques: stringArray,
    first_seen: epochMs,
    last_seen: epochMs,
    event_count: { type: 'integer' },
    evidence_event_ids: stringArray,
    source_ips: stringArray,
    details: { type: 'string', description: 'JSON text of the alert details.' },
    acknowledgement: { anyOf: [alertAck, { type: 'null' }] },
  },
} as const;

export const eventSummary = {
  type: 'object',
  properties: {
    event_id: { type: 'string' },
    provider: { type: 'string' },
    event_time: epochMs,
    account_id: { type: 'string' },
    region: { type: 'string' },
    principal_id: { type: 'string' },
    principal_type: { type: 'string' },
    principal_name: { type: 'string' },
    service: { type: 'string' },
    operation: { type: 'string' },
    permissions: stringArray,
    resources: stringArray,
    outcome: { type: 'string' },
    error_code: { type: 'string' },
    source_ip: { type: 'string' },
    user_agent: { type: 'string' },
  },
} as const;

export const pipelineStatus = {
  type: 'object',
  properties: {
    window: {
      type: 'object',
      properties: { from: epochMs, to: epochMs },
    },
    consumer_lag: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          group: { type: 'string' },
          topic: { type: 'string' },
          total_lag: { type: ['integer', 'null'] },
          partitions: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                partition: { type: 'integer' },
                lag: { type: 'integer' },
                committed_offset: { type: ['string', 'null'] },
                high_watermark: { type: 'string' },
              },
            },
          },
          error: { type: ['string', 'null'] },
        },
      },
    },
    dead_letters: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          stage: { type: 'string' },
          reason: { type: 'string' },
          provider: { type: 'string' },
          error_code: { type: 'string' },
          records: { type: 'integer' },
          last_dead_lettered_at: epochMs,
        },
      },
    },
    dead_letters_truncated: { type: 'boolean' },
  },
} as const;
