/**
 * Report webhook: POSTs a JSON summary of the reports to an HTTP(S) endpoint.
 *
 * Contract: the body is `WebhookPayload` JSON; the request carries the headers of
 * `WEBHOOK_HEADERS` (an HMAC-SHA256 signature over timestamp and body, and a delivery id
 * that stays the same across retries). A 2xx response is success. 408, 429, 5xx and network
 * errors are retried with capped exponential back-off and jitter, waiting at least the
 * response's `Retry-After` (seconds or an HTTP date, capped at `maxDelayMs`). Any other
 * status is a permanent rejection.
 */
import { randomUUID } from 'node:crypto';
import type { RenderedReport, ReportHeadline, ReportScope } from '@ciem/rightsizing-reports';
import { DependencyError, isRetriable } from '@ciem/errors';
import {
  invalidOptionError,
  webhookRejectedError,
  webhookRetriesExhaustedError,
  webhookUnavailableError,
} from './errors.js';
import { WEBHOOK_HEADERS, signWebhookBody } from './webhook-signature.js';

/** Options of `sendWebhook`. Times are in milliseconds. */
export interface WebhookOptions {
  url: string;
  /** Shared HMAC secret; never logged. */
  secret: string;
  /** Attempts in all, including the first; 5 by default. */
  maxAttempts?: number;
  /** Delay before the first retry; 500 by default. */
  initialDelayMs?: number;
  /** Upper bound of any delay, Retry-After included; 30 000 by default. */
  maxDelayMs?: number;
  /** Time allowed for one request; 10 000 by default. */
  timeoutMs?: number;
  /** Called before each retry, for logs and metrics. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** Returns values in [0, 1); `Math.random` by default. */
  random?: () => number;
  /** Milliseconds since the Unix epoch; `Date.now` by default. */
  now?: () => number;
}

/** One report in a webhook body. */
export interface WebhookReport {
  scope: ReportScope;
  headline: ReportHeadline;
  /** Links to the report files by format, when a base URL was given. */
  links?: Record<string, string>;
  /** The Markdown report, when inline content was requested. */
  markdown?: string;
}

/** Body of a report webhook request. */
export interface WebhookPayload {
  kind: 'ciem.rightsizing.reports';
  generated_at: number;
  reports: WebhookReport[];
}

/** Options of `buildWebhookPayload`. */
export interface WebhookPayloadOptions {
  generatedAt: number;
  /** Base URL the report files are served from; links are `<base>/<file name>`. */
  linkBaseUrl?: string;
  /** Includes each report's Markdown in the body. */
  inline?: boolean;
}

/** Builds the webhook body: each report's scope and headline, with links or inline text. */
export function buildWebhookPayload(
  reports: readonly RenderedReport[],
  options: WebhookPayloadOptions,
): WebhookPayload {
  const base = options.linkBaseUrl?.replace(/\/+$/, '');
  return {
    kind: 'ciem.rightsizing.reports',
    generated_at: options.generatedAt,
    reports: reports.map((report) => ({
      scope: report.scope,
      headline: report.headline,
      ...(base === undefined
        ? {}
        : {
            links: {
              html: `${base}/${encodeURIComponent(`${report.baseName}.html`)}`,
              markdown: `${base}/${encodeURIComponent(`${report.baseName}.md`)}`,
              csv: `${base}/${encodeURIComponent(`${report.baseName}.csv`)}`,
              json: `${base}/${encodeURIComponent(`${report.baseName}.json`)}`,
            },
          }),
      ...(options.inline === true ? { markdown: report.markdown } : {}),
    })),
  };
}

/**
 * Parses a `Retry-After` header (RFC 9110: delay seconds or an HTTP date) into
 * milliseconds from `nowMs`; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Computes the delay before retry `retry` (0 for the first): capped, jittered, Retry-After first. */
export function retryDelayMs(
  retry: number,
  options: { initialDelayMs: number; maxDelayMs: number; random: () => number },
  retryAfterMs: number | undefined,
): number {
  const capped = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retry);
  // Equal jitter: a random delay between half the capped delay and the capped delay.
  const jittered = capped * (0.5 + 0.5 * options.random());
  const floor = retryAfterMs === undefined ? 0 : Math.min(options.maxDelayMs, retryAfterMs);
  return Math.round(Math.max(jittered, floor));
}

function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOptionError('url', 'an absolute http:// or https:// URL', url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidOptionError('url', 'an http:// or https:// URL', url);
  }
  return parsed;
}

/** Origin and path of a URL without credentials or query, for messages. */
function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

async function postOnce(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  nowMs: number,
): Promise<void> {
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
    throw webhookUnavailableError(safeUrl(url), (error as Error).message, undefined, error);
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const status = response.status;
  if (status === 408 || status === 429 || status >= 500) {
    throw webhookUnavailableError(
      safeUrl(url),
      `HTTP ${status}`,
      parseRetryAfter(response.headers.get('retry-after'), nowMs),
    );
  }
  throw webhookRejectedError(safeUrl(url), status, text);
}

/**
 * POSTs the payload, signed, retrying retriable failures. Resolves with the number of
 * attempts once a 2xx arrives. Throws `CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_REJECTED` (RejectedError) at
 * once for a permanent refusal, and `CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_RETRIES_EXHAUSTED`
 * (DependencyError) after the last attempt.
 */
export async function sendWebhook(
  options: WebhookOptions,
  payload: WebhookPayload,
): Promise<number> {
  const url = checkUrl(options.url);
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw invalidOptionError('maxAttempts', 'a whole number ≥ 1', maxAttempts);
  }
  const timing = {
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    random: options.random ?? Math.random,
  };
  const now = options.now ?? Date.now;
  const body = JSON.stringify(payload);
  const deliveryId = randomUUID();
  let last: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const timestamp = Math.floor(now() / 1000);
    const headers = {
      'content-type': 'application/json',
      [WEBHOOK_HEADERS.signature]: signWebhookBody(options.secret, timestamp, body),
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.deliveryId]: deliveryId,
    };
    try {
      await postOnce(url, body, headers, options.timeoutMs ?? 10_000, now());
      return attempt;
    } catch (error) {
      if (!isRetriable(error)) throw error;
      last = error;
      if (attempt === maxAttempts) break;
      const retryAfter = error instanceof DependencyError ? error.retryAfterMs : undefined;
      const delayMs = retryDelayMs(attempt - 1, timing, retryAfter);
      options.onRetry?.(attempt, delayMs, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
  throw webhookRetriesExhaustedError(safeUrl(url), maxAttempts, last);
}
