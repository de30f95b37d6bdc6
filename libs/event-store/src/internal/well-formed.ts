import { hasLoneSurrogate } from '@ciem/clickhouse';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone UTF-16 surrogates with U+FFFD, as `String.prototype.toWellFormed` does (not
 * in the ES2023 library this code targets). JSON text may carry them (`"\ud800"`), and
 * ClickHouse rejects a whole INSERT for one of them, while the Avro encoder writes U+FFFD in
 * their place; doing the same here keeps the topic and the table equal.
 */
export function wellFormed(value: string): string {
  return hasLoneSurrogate(value) ? value.replace(loneSurrogate, '\uFFFD') : value;
}
