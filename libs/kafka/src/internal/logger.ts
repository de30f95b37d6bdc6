import { logLevel as kafkajsLevels } from './kafkajs.js';
import type { LogEntry, logCreator } from 'kafkajs';
import type { KafkaLogger } from './types.js';

/** Minimum level of kafkajs messages passed to the injected logger. */
export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

const kafkajsLevelOf: Record<KafkaLogLevel, number> = {
  error: kafkajsLevels.ERROR,
  warn: kafkajsLevels.WARN,
  info: kafkajsLevels.INFO,
  debug: kafkajsLevels.DEBUG,
};

export function toKafkajsLevel(level: KafkaLogLevel): number {
  return kafkajsLevelOf[level];
}

/**
 * kafkajs messages whose level overstates their meaning here, with the level they get:
 * - `[Connection] Response ...` errors are per-request failures (coordinator loading, leader
 *   moved) that kafkajs retries itself, so they are warnings until the retries run out.
 * - The idempotent-producer warning about limited retries: this library limits them on
 *   purpose (see producer.ts) and relies on idempotent sinks for the duplicates it allows.
 * - The partitioner warning: the default (murmur2) partitioner is chosen explicitly.
 */
function adjustLevel(namespace: string, level: number, message: string): number {
  if (level === kafkajsLevels.ERROR && namespace === 'Connection') return kafkajsLevels.WARN;
  if (message.startsWith('Limiting retries for the idempotent producer'))
    return kafkajsLevels.DEBUG;
  if (message.startsWith('KafkaJS v2.0.0 switched default partitioner')) return kafkajsLevels.DEBUG;
  return level;
}

/** Adapts the kafkajs `logCreator` to a pino-like logger: fields first, then the message. */
export function createLogCreator(logger: KafkaLogger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const text = `kafkajs: ${message}`;
      const entry = { kafkajs_namespace: namespace, ...fields };
      switch (adjustLevel(namespace, level, message)) {
        case kafkajsLevels.ERROR:
          logger.error(entry, text);
          break;
        case kafkajsLevels.WARN:
          logger.warn(entry, text);
          break;
        case kafkajsLevels.INFO:
          logger.info(entry, text);
          break;
        case kafkajsLevels.DEBUG:
          logger.debug(entry, text);
          break;
        default:
          break;
      }
    };
}

/**
 * The logger used when none is injected: warnings and errors as JSON lines on stderr, so a
 * library used without a logger still reports failures. Services always inject their own.
 */
export const stderrLogger: KafkaLogger = {
  debug: () => {},
  info: () => {},
  warn: (fields, message) => writeStderr('warn', fields, message),
  error: (fields, message) => writeStderr('error', fields, message),
};

function writeStderr(level: string, fields: object, message: string): void {
  process.stderr.write(`${JSON.stringify({ level, ...fields, msg: message })}\n`);
}
