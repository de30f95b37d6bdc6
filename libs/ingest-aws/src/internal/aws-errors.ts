/** Name of an AWS SDK service error (`ThrottlingException`, `NoSuchKey`, ...), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** HTTP status of an AWS SDK service error, from its `$metadata`, or undefined. */
export function awsHttpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/**
 * True for the throttling errors of AWS APIs: CloudTrail's `ThrottlingException`, the
 * generic `Throttling` and `TooManyRequestsException`, and HTTP 429.
 */
export function isThrottlingError(error: unknown): boolean {
  const name = awsErrorName(error);
  return (
    name === 'ThrottlingException' ||
    name === 'Throttling' ||
    name === 'TooManyRequestsException' ||
    awsHttpStatus(error) === 429
  );
}

/** True for a bug in this code (a `TypeError` and the like), which is never retried. */
export function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError
  );
}
