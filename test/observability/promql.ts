import { parser } from '@prometheus-io/lezer-promql';

/** What `parsePromql` found in one expression. */
export interface ParsedPromql {
  /** Positions and text of the parts the grammar could not read; empty when it parses. */
  errors: string[];
  /** Metric names of every vector selector, such as `ciem_normalizer_records_in_total`. */
  metricNames: string[];
}

/**
 * Parses a PromQL expression with the grammar of the Prometheus web UI (lezer-promql) and
 * collects the metric names it selects. Template variables such as `$__rate_interval` must be
 * replaced before.
 */
export function parsePromql(expression: string): ParsedPromql {
  const tree = parser.parse(expression);
  const errors: string[] = [];
  const metricNames: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(
          `at ${node.from}: ${JSON.stringify(expression.slice(node.from, node.to + 10))}`,
        );
      }
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier !== null) metricNames.push(expression.slice(identifier.from, identifier.to));
      }
    },
  });
  return { errors, metricNames };
}
