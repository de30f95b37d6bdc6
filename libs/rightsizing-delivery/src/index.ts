/**
 * Delivery of right-sizing reports rendered by `@ciem/rightsizing-reports`: files in a
 * folder, a signed JSON webhook with retries, and email over SMTP (nodemailer). Checked
 * against Node.js 20 fetch and a local smtp-server 3.
 */
export { ALL_FORMATS, writeReportsToFolder } from './internal/folder.js';
export {
  buildWebhookPayload,
  parseRetryAfter,
  retryDelayMs,
  sendWebhook,
} from './internal/webhook.js';
export type {
  WebhookOptions,
  WebhookPayload,
  WebhookPayloadOptions,
  WebhookReport,
} from './internal/webhook.js';
export {
  WEBHOOK_HEADERS,
  signWebhookBody,
  verifyWebhookSignature,
} from './internal/webhook-signature.js';
export { sendReportEmails } from './internal/email.js';
export type { EmailOptions } from './internal/email.js';
export { DeliveryErrorCode } from './internal/errors.js';
