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
  /**
   * Waits for indexer acknowledgement: after HEC accepts a request, polls
   * `/services/collector/ack` until its `ackId` is acknowledged. Requires `channel`.
   */
  ack: boolean;
  /** Interval between acknowledgement polls. */
  ackPollMs: number;
  /** Time after which an unacknowledged request fails and is sent again. */
  ackTimeoutMs: number;
  batchMaxAlerts: number;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** Path of the HEC endpoint for JSON events. */
export const HEC_EVENT_PATH = '/services/collector/event';

/** Path of the HEC endpoint that reports indexer acknowledgement of `ackId`s. */
export const HEC_ACK_PATH = '/services/collector/ack';
