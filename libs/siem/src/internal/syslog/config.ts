import type { RetryPolicy } from '../retry.js';

/** TLS settings of a syslog destination; file paths are read when the sink connects. */
export interface SyslogTlsConfig {
  /** PEM file of the CA that signed the server's certificate; the system CAs when unset. */
  caFile?: string;
  /** PEM client certificate and key for mutual TLS; both or neither. */
  certFile?: string;
  keyFile?: string;
  /**
   * Name checked against the server certificate and sent as SNI. When unset, the certificate
   * is checked against the host, which is sent as SNI only when it is a DNS name.
   */
  serverName?: string;
  /** Rejects servers whose certificate does not verify; true unless turned off for testing. */
  rejectUnauthorized: boolean;
}

/** Settings of a syslog destination: RFC 5424 messages with a CEF body over TCP. Times in milliseconds. */
export interface SyslogSinkConfig {
  name: string;
  host: string;
  port: number;
  /** TLS settings (RFC 5425), or null for plain TCP (RFC 6587 octet counting). */
  tls: SyslogTlsConfig | null;
  /** Syslog facility 0–23; 10 is security/authorization (authpriv) in RFC 5424 table 1. */
  facility: number;
  /** HOSTNAME field; `-` (nil) when empty. */
  hostname: string;
  /** APP-NAME field, at most 48 printable ASCII characters. */
  appName: string;
  /** PROCID field; `-` when empty. */
  procId: string;
  /** MSGID field, at most 32 printable ASCII characters. */
  msgId: string;
  /** CEF device vendor, product and version. */
  cefVendor: string;
  cefProduct: string;
  cefVersion: string;
  /**
   * Maximum octets of one syslog message, the frame's length prefix not counted. Longer
   * alerts are cut to fit. RFC 5425 section 4.3.1 requires receivers to take 2048 octets
   * and recommends 8192.
   */
  maxMessageBytes: number;
  batchMaxAlerts: number;
  connectTimeoutMs: number;
  retry: RetryPolicy;
}

/**
 * SD-ID of the structured-data element holding the alert id. 32473 is the example private
 * enterprise number reserved for documentation (RFC 5612).
 */
export const SYSLOG_SD_ID = 'ciem@32473';
