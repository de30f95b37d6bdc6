import type { PayloadFormat } from '../payload.js';
import type { RetryPolicy } from '../retry.js';

/**
 * Settings of a Splunk HTTP Event Collector destination. Times in milliseconds.
 * `token` is the HEC token itself, already read from its variable or file.
 */
export interface HecSinkConfig {
  name: string;
  /** Base URL of the collector, such as `https://splunk.example:8088`; the sink adds `/services/collector/event`. */
  url: string;
  token: string;
  format: PayloadFormat;
  /** Event metadata; `index` is left out when unset so the token's default index applies. */
  host: string;
  source: string;
  sourcetype: string;
  index?: string;
  /**
   * Value of `X-Splunk-Request-Channel`, a GUID. HEC requires it when indexer
   * acknowledgement is on for the token.
   */
  channel?: string;
  batchMaxAlerts: number;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** Path of the HEC endpoint for JSON events. */
export const HEC_EVENT_PATH = '/services/collector/event';
