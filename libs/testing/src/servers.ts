/**
 * Where integration tests find the real servers that `deploy/local/up.sh` starts. The same
 * variables configure the services, so a developer can point tests at another local broker.
 */
export const kafkaBrokers = (process.env.CIEM_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** The ClickHouse HTTP endpoint that integration tests use. */
export const clickhouseUrl = process.env.CIEM_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
