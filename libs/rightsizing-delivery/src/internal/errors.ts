import { DependencyError, InputError, RejectedError, describeValue } from '@ciem/errors';

/** Error codes of report delivery. Each is stable and never reused. */
export const DeliveryErrorCode = {
  /** An option of a delivery target is invalid. */
  invalidOption: 'CIEM_RIGHTSIZING_DELIVERY_INVALID_OPTION',
  /** Writing a report file failed. */
  folderWriteFailed: 'CIEM_RIGHTSIZING_DELIVERY_FOLDER_WRITE_FAILED',
  /** The webhook receiver failed in a way that may pass (5xx, 408, 429, network error). */
  webhookUnavailable: 'CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_UNAVAILABLE',
  /** The webhook receiver refused the request for good (a 4xx other than 408 and 429). */
  webhookRejected: 'CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_REJECTED',
  /** Every webhook attempt failed with a retriable error. */
  webhookRetriesExhausted: 'CIEM_RIGHTSIZING_DELIVERY_WEBHOOK_RETRIES_EXHAUSTED',
  /** The SMTP server could not be reached or failed the message for now. */
  smtpUnavailable: 'CIEM_RIGHTSIZING_DELIVERY_SMTP_UNAVAILABLE',
  /** The SMTP server refused the message or the credentials for good. */
  smtpRejected: 'CIEM_RIGHTSIZING_DELIVERY_SMTP_REJECTED',
} as const;

/** Raised when a delivery option has the wrong form. */
export function invalidOptionError(
  option: string,
  expected: string,
  received: unknown,
): InputError {
  return new InputError(
    DeliveryErrorCode.invalidOption,
    `report delivery option ${option} is invalid: expected ${expected}, received ${describeValue(received)}. Fix the option.`,
    { details: { option } },
  );
}

/** Raised when a report file cannot be written. */
export function folderWriteError(file: string, cause: unknown): DependencyError {
  return new DependencyError(
    DeliveryErrorCode.folderWriteFailed,
    `writing report file ${describeValue(file)} failed: ${(cause as Error).message}. Check that the folder exists, is writable and has free space.`,
    { cause, details: { file } },
  );
}

/** Raised for a webhook response or network failure that a later attempt may not see. */
export function webhookUnavailableError(
  url: string,
  reason: string,
  retryAfterMs: number | undefined,
  cause?: unknown,
): DependencyError {
  return new DependencyError(
    DeliveryErrorCode.webhookUnavailable,
    `report webhook ${url} failed: ${reason}. The delivery is retried.`,
    {
      ...(cause === undefined ? {} : { cause }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      details: { url },
    },
  );
}

/** Raised when the webhook receiver refuses the request for good. */
export function webhookRejectedError(url: string, status: number, body: string): RejectedError {
  return new RejectedError(
    DeliveryErrorCode.webhookRejected,
    `report webhook ${url} rejected the report with HTTP ${status}: ${describeValue(body)}. Check the URL, the shared secret and the receiver's limits.`,
    { details: { url, status } },
  );
}

/** Raised when every attempt failed with a retriable error. */
export function webhookRetriesExhaustedError(
  url: string,
  attempts: number,
  last: unknown,
): DependencyError {
  return new DependencyError(
    DeliveryErrorCode.webhookRetriesExhausted,
    `report webhook ${url} failed ${attempts} times; last error: ${(last as Error).message}. Check that the receiver is up; the next analysis delivers again.`,
    { cause: last, details: { url, attempts } },
  );
}

/** Raised when sending the report email fails. */
export function smtpError(
  host: string,
  cause: unknown,
  permanent: boolean,
): DependencyError | RejectedError {
  const message = `sending the report email through ${host} failed: ${(cause as Error).message}.`;
  return permanent
    ? new RejectedError(
        DeliveryErrorCode.smtpRejected,
        `${message} Check the sender, the recipients and the SMTP credentials.`,
        {
          cause,
          details: { host },
        },
      )
    : new DependencyError(
        DeliveryErrorCode.smtpUnavailable,
        `${message} Check that the SMTP server is reachable; the next analysis sends again.`,
        {
          cause,
          details: { host },
        },
      );
}
