/** Local receivers and certificates for tests of the SIEM sinks. Never used in production code. */
export { createTestCertificates } from './certificates.js';
export type { TestCertificates } from './certificates.js';
export {
  createFrameReader,
  parseSyslogMessage,
  splitConcatenatedJson,
  startHecReceiver,
  startSyslogReceiver,
  startWebhookReceiver,
} from './receivers.js';
export type { HttpReceiver, ReceivedSyslog, ReceiverMode, SyslogReceiver } from './receivers.js';
export { makeAlert } from './alerts.js';
