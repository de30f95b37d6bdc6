import type { Provider } from '@ciem/events';
import { encodeNormalizedEvent, isNormalizationError, normalizationErrorCode } from '@ciem/events';
import { InputError, errorTypeOf } from '@ciem/errors';
import type { DeadLetterRow, EventRow } from '@ciem/event-store';
import { toDeadLetterRow, toEventRow } from '@ciem/event-store';
import type { MessageHeaders, OutgoingMessage, ReceivedBatch, ReceivedMessage } from '@ciem/kafka';
import { buildDeadLetterHeaders } from '@ciem/kafka';
import { normalizeText } from '@ciem/normalize';
import {
  bindTraceContext,
  extractTraceContext,
  injectProducerSpan,
  injectTraceHeaders,
} from '@ciem/telemetry';
import { SpanKind, SpanStatusCode, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, Tracer } from '@opentelemetry/api';
import { RAW_RECORD_HEADERS, headerText, ingestTimeOf } from './raw-headers.js';

/** Extra headers of a record the normalizer dead-lettered, next to `DEAD_LETTER_HEADERS`. */
export const NORMALIZER_DEAD_LETTER_HEADERS = Object.freeze({
  /** The NormalizationError reason, such as `invalid-json`; absent for other errors. */
  reason: 'error.reason',
  /** JSON path of the field at fault, when known. */
  field: 'error.field',
  /** `aws`, `azure`, `gcp` or `unknown`. */
  provider: 'provider',
});

/** A dead-lettered record: its message for the dead-letter topic and its `dlq_events` row. */
export interface DeadLetterItem {
  message: OutgoingMessage;
  row: DeadLetterRow;
  /** `error_type` of the failure, for the error metric. */
  errorType: string;
}

/** A normalized record: its message for the normalized topic and its `events` row. */
export interface EventItem {
  message: OutgoingMessage;
  row: EventRow;
  /** The raw message, kept to dead-letter the event if a sink refuses it. */
  source: ReceivedMessage;
}

/** What one raw batch becomes. Every message of the batch is in exactly one of the lists. */
export interface NormalizedBatch {
  events: EventItem[];
  deadLetters: DeadLetterItem[];
}

/** Options of `normalizeBatch`. */
export interface NormalizeBatchOptions {
  /** Stage name written to the `stage` dead-letter header and column. */
  stage: string;
  /** Provider of the raw topic, used when a record's keys match no provider. */
  provider: Provider;
  tracer: Tracer;
  /** Largest record normalized, in bytes; larger ones are dead-lettered as `oversized`. */
  maxRecordBytes: number;
  /** Bytes of an original kept in its `dlq_events` row. */
  maxDeadLetterPayloadBytes: number;
}

/** Facts about a failed record that the row and the headers share. */
interface FailureFacts {
  provider: string;
  reason?: string;
  field?: string | null;
}

/**
 * Builds the dead-letter message and row of a raw message: the original key, value and
 * headers, the `DEAD_LETTER_HEADERS`, the reason headers, and the trace context of `span`.
 */
export function deadLetterFor(
  batch: Pick<ReceivedBatch, 'topic' | 'partition'>,
  message: ReceivedMessage,
  error: unknown,
  facts: FailureFacts,
  options: Pick<NormalizeBatchOptions, 'stage' | 'maxDeadLetterPayloadBytes'>,
  traceContext?: Context,
): DeadLetterItem {
  const original = {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers as MessageHeaders,
  };
  const headers: MessageHeaders = {
    ...buildDeadLetterHeaders({ original, error, stage: options.stage }),
    [NORMALIZER_DEAD_LETTER_HEADERS.provider]: facts.provider,
  };
  if (facts.reason !== undefined) headers[NORMALIZER_DEAD_LETTER_HEADERS.reason] = facts.reason;
  if (facts.field !== undefined && facts.field !== null) {
    headers[NORMALIZER_DEAD_LETTER_HEADERS.field] = facts.field;
  }
  if (traceContext !== undefined) {
    delete headers.traceparent;
    delete headers.tracestate;
    injectTraceHeaders(headers as Record<string, string | Buffer>, traceContext);
  }
  const sourceRef = headerText(message.headers, RAW_RECORD_HEADERS.rawRef);
  const row = toDeadLetterRow({
    stage: options.stage,
    error,
    original,
    deadLetteredAt: message.timestamp,
    provider: facts.provider,
    ...(facts.reason === undefined ? {} : { reason: facts.reason }),
    field: facts.field ?? null,
    ...(sourceRef === undefined ? {} : { sourceRef }),
    maxPayloadBytes: options.maxDeadLetterPayloadBytes,
  });
  return {
    message: { key: message.key, value: message.value, headers },
    row,
    errorType: errorTypeOf(error),
  };
}

/**
 * Normalizes every message of a raw batch with `normalizeText`: each becomes an Avro
 * `NormalizedEvent` (key = principal id) with its `events` row, or a dead letter. A
 * NormalizationError is dead-lettered as an `InputError` with the reason's code; an error a
 * normalizer or encoder throws is a bug and is dead-lettered with `error_type` `internal`.
 * Each message gets a span whose parent is the trace context of its headers. When that span
 * has a valid context, an event's outgoing headers carry a producer span under it, and its
 * row is bound to it (see `bindTraceContext`) for the INSERT span. Never throws for a bad
 * record.
 */
export function normalizeBatch(
  batch: ReceivedBatch,
  options: NormalizeBatchOptions,
): NormalizedBatch {
  const events: EventItem[] = [];
  const deadLetters: DeadLetterItem[] = [];

  for (const message of batch.messages) {
    const rawRef = `${batch.topic}/${batch.partition}/${message.offset}`;
    const parent = extractTraceContext(message.headers);
    const span = options.tracer.startSpan(
      'normalize record',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': batch.topic,
          'messaging.kafka.partition': batch.partition,
          'messaging.kafka.offset': message.offset,
        },
      },
      parent,
    );
    // The context of the record's span, made only where it is used, because each call
    // copies the context's entries.
    const spanContext = (): Context => trace.setSpan(parent, span);
    const ingestTime = ingestTimeOf(message);

    try {
      const result = normalizeText(
        options.provider,
        message.value ?? Buffer.alloc(0),
        { rawRef, ingestTime },
        { maxRecordBytes: options.maxRecordBytes },
      );
      if (isNormalizationError(result)) {
        const error = new InputError(normalizationErrorCode(result.reason), result.message, {
          details: { reason: result.reason, field: result.field ?? undefined, raw_ref: rawRef },
        });
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.reason });
        deadLetters.push(
          deadLetterFor(
            batch,
            message,
            error,
            { provider: result.provider, reason: result.reason, field: result.field },
            options,
            spanContext(),
          ),
        );
        continue;
      }

      const row = toEventRow(result);
      const value = encodeNormalizedEvent(result);
      const headers: Record<string, string> = {
        [RAW_RECORD_HEADERS.ingestTime]: String(ingestTime),
      };
      // Without tracing and without a trace context in the headers the span context is
      // invalid. A producer span would then write no headers and the INSERT span would be a
      // no-op, so both are skipped, which saves two contexts and a WeakMap entry per record.
      if (isSpanContextValid(span.spanContext())) {
        const traceContext = spanContext();
        // The ClickHouse INSERT of the batch links to this record's span through its row.
        bindTraceContext(row, traceContext);
        injectProducerSpan(
          headers,
          'publish normalized event',
          { 'messaging.system': 'kafka', 'event.id': result.event_id },
          traceContext,
          options.tracer,
        );
      }
      events.push({ message: { key: result.principal.id, value, headers }, row, source: message });
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      deadLetters.push(
        deadLetterFor(
          batch,
          message,
          error,
          { provider: options.provider },
          options,
          spanContext(),
        ),
      );
    } finally {
      span.end();
    }
  }
  return { events, deadLetters };
}
