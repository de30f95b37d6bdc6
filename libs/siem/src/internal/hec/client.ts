import { deliveryFailed, deliveryRejected } from '../errors.js';
import { postOnce, throwForStatus } from '../http.js';
import { HEC_ACK_PATH, HEC_EVENT_PATH } from './config.js';
import type { HecSinkConfig } from './config.js';

/** A HEC response body: `{"text":"Success","code":0}`, with `ackId` when acknowledgement is on. */
interface HecResponse {
  text?: string;
  code?: number;
  ackId?: number;
}

function parseHecResponse(body: string): HecResponse {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as HecResponse) : {};
  } catch {
    return {};
  }
}

/**
 * POSTs one body to HEC with `Authorization: Splunk <token>` and classifies the response.
 * A 200 with code 0 is delivered. 503 (code 9, server busy), 429 and other 5xx are retried,
 * honouring Retry-After. 400 (invalid data), 401 and 403 (token missing, invalid or
 * disabled) and every other status are rejected for good. Returns the `ackId` when HEC sent one.
 */
export async function postHecBody(
  config: HecSinkConfig,
  body: string,
  idempotencyKey: string,
): Promise<number | undefined> {
  const headers: Record<string, string> = {
    authorization: `Splunk ${config.token}`,
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
  };
  if (config.channel !== undefined) headers['x-splunk-request-channel'] = config.channel;
  const url = new URL(HEC_EVENT_PATH, config.url).toString();
  const result = await postOnce(config.name, url, headers, body, config.timeoutMs);
  const response = parseHecResponse(result.body);
  if (result.status < 200 || result.status >= 300) {
    const detail = response.code === undefined ? '' : `(HEC code ${response.code})`;
    throwForStatus(config.name, result, detail);
  }
  if (response.code !== undefined && response.code !== 0) {
    throw deliveryRejected(
      config.name,
      `HEC answered HTTP ${result.status} with code ${response.code} (${response.text ?? 'no text'})`,
    );
  }
  return response.ackId;
}

/**
 * Polls `/services/collector/ack` for `ackId` on the configured channel until HEC reports it
 * indexed (`{"acks":{"<id>":true}}`). Throws a retriable `CIEM_SIEM_DELIVERY_FAILED` when
 * `ackTimeoutMs` passes first, so the request is sent again, and rejects as
 * `postHecBody` does for error statuses.
 */
export async function waitForHecAck(config: HecSinkConfig, ackId: number): Promise<void> {
  const url = new URL(HEC_ACK_PATH, config.url).toString();
  const headers: Record<string, string> = {
    authorization: `Splunk ${config.token}`,
    'content-type': 'application/json',
    'x-splunk-request-channel': config.channel ?? '',
  };
  const deadline = performance.now() + config.ackTimeoutMs;
  for (;;) {
    const body = JSON.stringify({ acks: [ackId] });
    const result = await postOnce(config.name, url, headers, body, config.timeoutMs);
    if (result.status < 200 || result.status >= 300) {
      const code = parseHecResponse(result.body).code;
      throwForStatus(config.name, result, code === undefined ? '' : `(HEC code ${code})`);
    }
    const acks = (parseHecResponse(result.body) as { acks?: Record<string, boolean> }).acks;
    if (acks?.[String(ackId)] === true) return;
    if (performance.now() + config.ackPollMs > deadline) {
      throw deliveryFailed(
        config.name,
        `HEC did not acknowledge ackId ${ackId} within ${config.ackTimeoutMs} ms`,
      );
    }
    await new Promise<void>((resolve) => setTimeout(resolve, config.ackPollMs).unref());
  }
}
