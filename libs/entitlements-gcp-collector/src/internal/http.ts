/**
 * One JSON GET against a Google REST API with a bearer token, retried on 429, 5xx and
 * network errors with capped exponential back-off and full jitter. A `Retry-After` header
 * (seconds or an HTTP date, RFC 9110 section 10.2.3) sets the wait instead, capped the same.
 */
import type { DependencyError } from '@ciem/errors';
import { credentialsFailedError, requestFailedError, statusError } from './errors.js';

/** Source of OAuth 2.0 access tokens, such as google-auth-library's `GoogleAuth`. */
export interface GcpAccessTokenProvider {
  getAccessToken(): Promise<string | null | undefined>;
}

/** Retry settings of every request. */
export interface GcpRetryOptions {
  /** Attempts per request, the first included; 4 by default. */
  readonly maxAttempts?: number;
  /** First back-off in milliseconds, doubled per retry; 1000 by default. */
  readonly baseDelayMs?: number;
  /** Maximum wait between attempts in milliseconds, `Retry-After` included; 30000 by default. */
  readonly maxDelayMs?: number;
}

/** What `getJson` needs beyond the URL. */
export interface GcpRequestContext {
  readonly credentials: GcpAccessTokenProvider;
  readonly retry?: GcpRetryOptions;
  readonly abortSignal?: AbortSignal;
  /** Called before each retry, with the attempt that failed (1-based) and the wait in milliseconds. */
  readonly onRetry?: (event: {
    request: string;
    attempt: number;
    delayMs: number;
    reason: string;
  }) => void;
}

const RETRIABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Parses `Retry-After` as milliseconds from `now`; undefined when absent or invalid. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function accessToken(credentials: GcpAccessTokenProvider): Promise<string> {
  let token: string | null | undefined;
  try {
    token = await credentials.getAccessToken();
  } catch (error) {
    throw credentialsFailedError(error);
  }
  if (typeof token !== 'string' || token === '') {
    throw credentialsFailedError(new Error('the credentials returned no access token'));
  }
  return token;
}

/**
 * GETs `url`, or POSTs `body` as JSON to it when a body is given, and returns the parsed JSON
 * response. `request` names the API method in errors (`assets.list`). Throws
 * `CIEM_ENTITLEMENTS_GCP_COLLECT_ACCESS_DENIED`, `CIEM_ENTITLEMENTS_GCP_COLLECT_REJECTED`,
 * `CIEM_ENTITLEMENTS_GCP_COLLECT_CREDENTIALS_FAILED` (ConfigError) or
 * `CIEM_ENTITLEMENTS_GCP_COLLECT_FAILED` (DependencyError, retriable), and rethrows the abort
 * reason when `abortSignal` fires. Both methods used are reads, so a POST is retried too.
 */
export async function getJson(
  request: string,
  url: string,
  context: GcpRequestContext,
  body?: Readonly<Record<string, unknown>>,
): Promise<unknown> {
  const maxAttempts = Math.max(1, context.retry?.maxAttempts ?? 4);
  const baseDelayMs = context.retry?.baseDelayMs ?? 1_000;
  const maxDelayMs = context.retry?.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt += 1) {
    const token = await accessToken(context.credentials);
    let failure: DependencyError;
    let retryAfter: number | undefined;
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(context.abortSignal === undefined ? {} : { signal: context.abortSignal }),
      });
      const text = await response.text();
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          failure = requestFailedError(request, url, error);
        }
      } else {
        const error = statusError(request, url, response.status, text);
        if (!RETRIABLE_STATUS.has(response.status)) throw error;
        failure = error as DependencyError;
        retryAfter = retryAfterMs(response.headers.get('retry-after'), Date.now());
      }
    } catch (error) {
      if (context.abortSignal?.aborted === true) throw context.abortSignal.reason;
      if (!(error instanceof TypeError)) throw error;
      // fetch raises TypeError for network failures (connection refused, reset, TLS).
      failure = requestFailedError(request, url, error.cause ?? error);
    }
    if (attempt >= maxAttempts) throw failure;
    const backoff = Math.random() * baseDelayMs * 2 ** (attempt - 1);
    const delayMs = Math.min(maxDelayMs, retryAfter ?? backoff);
    context.onRetry?.({ request, attempt, delayMs, reason: failure.message });
    await sleep(delayMs, context.abortSignal);
  }
}
