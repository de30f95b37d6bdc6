import { ConfigError } from '@ciem/errors';
import { CONFIG_ERROR_CODES } from './errors.js';

/**
 * Invalid configuration: code `CIEM_CONFIG_INVALID`. The message has one line per problem,
 * `<VARIABLE>: expected <form>, received <value>`, with secrets masked; `problems` contains the
 * same lines for structured logs.
 */
export class ConfigInvalidError extends ConfigError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(CONFIG_ERROR_CODES.invalid, problems.join('\n'), {
      details: { problem_count: problems.length },
    });
    this.problems = Object.freeze([...problems]);
  }
}
