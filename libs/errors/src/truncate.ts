/**
 * Shortens a received value for an error message: messages name what was received, but a
 * 10 MB record or a secret must not end up in a log line.
 */
export function describeValue(value: unknown, maxLength = 80): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}… (${text.length} characters)`;
}

/** Masks a secret for messages: keeps only its length so a wrong value can still be told apart. */
export function maskSecret(value: string): string {
  return `<secret, ${value.length} characters>`;
}
