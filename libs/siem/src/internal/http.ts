import { deliveryFailed, deliveryRejected } from './errors.js';

/**
 * Parses a `Retry-After` header (RFC 9110, section 10.2.3): delay seconds or an HTTP date.
 * Returns milliseconds, or undefined when absent or invalid. `nowMs` is the current time.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A response read to the end. */
export interface HttpResult {
  status: number;
  body: string;
  headers: Headers;
}

/**
 * POSTs `body` to `url` with `headers` and reads the response. A network failure or a
 * timeout after `timeoutMs` throws a retriable `CIEM_SIEM_DELIVERY_FAILED`.
 */
export async function postOnce(
  destination: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw deliveryFailed(destination, `POST failed: ${reason}`, { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw deliveryFailed(destination, 'reading the response failed', { cause: error });
  }
  return { status: response.status, body: text, headers: response.headers };
}

/** Statuses worth retrying: 408 request timeout, 429 too many requests and every 5xx. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Throws the error for a non-2xx response: retriable for `isRetriableStatus`, else rejected. */
export function throwForStatus(destination: string, result: HttpResult, detail: string): never {
  const snippet = result.body.length > 200 ? `${result.body.slice(0, 199)}…` : result.body;
  const reason = `HTTP ${result.status}${detail === '' ? '' : ` ${detail}`}, body ${JSON.stringify(snippet)}`;
  if (isRetriableStatus(result.status)) {
    const retryAfterMs = parseRetryAfter(result.headers.get('retry-after'), Date.now());
    throw deliveryFailed(destination, reason, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  throw deliveryRejected(destination, reason);
}
