/**
 * Where integration tests find the real servers that `deploy/local/up.sh` starts. The same
 * variables configure the services, so a developer can point tests at another local broker.
 */
export const kafkaBrokers = (process.env.CIEM_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** The ClickHouse HTTP endpoint that integration tests use. */
export const clickhouseUrl = process.env.CIEM_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

/**
 * The HTTP endpoint of a modern ClickHouse (25.x, `deploy/local/clickhouse-modern.sh`) that
 * the suites of test/clickhouse-modern check the schema and queries against, or undefined
 * when `CIEM_CLICKHOUSE_MODERN_URL` is unset or empty.
 */
export const clickhouseModernUrl = process.env.CIEM_CLICKHOUSE_MODERN_URL || undefined;

/** The reason printed by suites that skip because `CIEM_CLICKHOUSE_MODERN_URL` is unset. */
export const clickhouseModernSkipReason =
  'CIEM_CLICKHOUSE_MODERN_URL is not set; skipping the modern ClickHouse suites (start one with bash deploy/local/clickhouse-modern.sh install && bash deploy/local/clickhouse-modern.sh start, then set CIEM_CLICKHOUSE_MODERN_URL=http://127.0.0.1:18124)';
