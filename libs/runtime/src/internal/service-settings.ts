import { setting } from '@ciem/config';
import { LOG_LEVELS } from '@ciem/telemetry';

/**
 * Settings every service includes in its schema (`{ ...serviceSettings, ...own }`): the probe
 * server address, the log level, the shutdown deadline and the OTLP trace endpoint.
 */
export const serviceSettings = {
  probeHost: setting.string({
    env: 'CIEM_PROBE_HOST',
    description:
      'Address the probe server (`/healthz`, `/readyz`, `/metrics`) listens on; set `0.0.0.0` in containers.',
    default: '127.0.0.1',
  }),
  probePort: setting.integer({
    env: 'CIEM_PROBE_PORT',
    description: 'TCP port of the probe server; 0 picks a free port and logs it.',
    default: 9464,
    min: 0,
    max: 65535,
  }),
  logLevel: setting.enum({
    env: 'CIEM_LOG_LEVEL',
    description: 'Lowest log level written.',
    values: LOG_LEVELS,
    default: 'info',
  }),
  shutdownTimeoutMs: setting.duration({
    env: 'CIEM_SHUTDOWN_TIMEOUT_MS',
    description:
      'Deadline for a graceful stop after SIGTERM; work still unfinished then is left uncommitted and the process exits 1.',
    default: 30_000,
    min: 1,
  }),
  otlpEndpoint: setting.url({
    env: 'CIEM_OTEL_EXPORTER_OTLP_ENDPOINT',
    aliases: ['OTEL_EXPORTER_OTLP_ENDPOINT'],
    description:
      'Base URL of an OTLP/HTTP collector, such as `http://127.0.0.1:4318`; tracing is off when no endpoint is set.',
    optional: true,
  }),
};
