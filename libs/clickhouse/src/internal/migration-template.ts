import { ConfigError, describeValue } from '@ciem/errors';
import { ClickHouseErrorCodes } from './errors.js';
import { quotePlainIdentifier } from './quote.js';
import type { ServerVersion } from './server-version.js';
import { isVersionAtLeast } from './server-version.js';
import { splitStatements, stripComments } from './sql-split.js';

/**
 * The template language of migration files (described for authors in
 * schemas/clickhouse/README.md):
 * - `-- @if version >= 19.6`, `-- @if version < 19.6`, `-- @else`, `-- @end` on lines of
 *   their own keep or drop the lines between them by server version; blocks do not nest;
 * - `{{database}}` becomes the quoted database name, and every statement must contain it;
 * - `{{low_cardinality T}}` becomes `LowCardinality(T)` on 19.3 and later, and `T` before,
 *   where LowCardinality still needed an experimental setting.
 */

const DIRECTIVE = /^\s*--\s*@(\w+)\b(.*)$/;
const CONDITION = /^\s*version\s*(>=|<)\s*(\d+)\.(\d+)\s*$/;
const DATABASE_PLACEHOLDER = /\{\{\s*database\s*\}\}/;
const PLACEHOLDER = /\{\{\s*([a-z_]+)(?:\s+([^{}]*?))?\s*\}\}/g;

/** First server version where `LowCardinality` works without a setting. */
const LOW_CARDINALITY_VERSION = { major: 19, minor: 3 };

/** Target of a rendering: the database, the server version and the file name. */
export interface RenderContext {
  /** The database every statement writes to; a plain identifier. */
  database: string;
  serverVersion: ServerVersion;
  /** The file name, for error messages. */
  fileName: string;
}

function invalid(context: RenderContext, line: number | undefined, problem: string): ConfigError {
  const where = line === undefined ? context.fileName : `${context.fileName}:${line}`;
  return new ConfigError(ClickHouseErrorCodes.invalidMigration, `${where}: ${problem}`, {
    details: { file: context.fileName, line },
  });
}

/** Keeps the lines whose `@if` block applies to the server version and drops directive lines. */
function applyDirectives(text: string, context: RenderContext): string {
  const lines = text.split('\n');
  const keptLines: string[] = [];
  let block: { line: number; active: boolean; inElse: boolean } | undefined;

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const directive = DIRECTIVE.exec(line);
    if (directive === null) {
      if (block === undefined || block.active) keptLines.push(line);
      else keptLines.push('');
      return;
    }
    const [, name, rest = ''] = directive;
    if (name === 'if') {
      if (block !== undefined) {
        throw invalid(
          context,
          lineNumber,
          `@if blocks do not nest; close the block opened on line ${block.line} with -- @end first`,
        );
      }
      const condition = CONDITION.exec(rest);
      if (condition === null) {
        throw invalid(
          context,
          lineNumber,
          `expected "-- @if version >= MAJOR.MINOR" or "-- @if version < MAJOR.MINOR", received ${describeValue(line.trim())}`,
        );
      }
      const atLeast = isVersionAtLeast(
        context.serverVersion,
        Number(condition[2]),
        Number(condition[3]),
      );
      block = {
        line: lineNumber,
        active: condition[1] === '>=' ? atLeast : !atLeast,
        inElse: false,
      };
    } else if (name === 'else') {
      if (block === undefined || block.inElse)
        throw invalid(context, lineNumber, '-- @else without an open -- @if block');
      block = { ...block, active: !block.active, inElse: true };
    } else if (name === 'end') {
      if (block === undefined)
        throw invalid(context, lineNumber, '-- @end without an open -- @if block');
      block = undefined;
    } else {
      throw invalid(context, lineNumber, `unknown directive @${name}; expected @if, @else or @end`);
    }
    // Blank lines keep the line numbers of later statements unchanged.
    keptLines.push('');
  });

  if (block !== undefined)
    throw invalid(context, block.line, '-- @if block is never closed with -- @end');
  return keptLines.join('\n');
}

function replacePlaceholders(statement: string, context: RenderContext): string {
  const database = quotePlainIdentifier(context.database, 'migration database');
  return statement.replace(PLACEHOLDER, (whole, name: string, argument: string | undefined) => {
    if (name === 'database' && argument === undefined) return database;
    if (name === 'low_cardinality' && argument !== undefined && argument.length > 0) {
      const { major, minor } = LOW_CARDINALITY_VERSION;
      return isVersionAtLeast(context.serverVersion, major, minor)
        ? `LowCardinality(${argument})`
        : argument;
    }
    throw invalid(
      context,
      undefined,
      `unknown placeholder ${whole}; expected {{database}} or {{low_cardinality TYPE}}`,
    );
  });
}

/**
 * Renders a migration file into the statements to run on a server of the given version.
 * Throws `ConfigError` `CIEM_CLICKHOUSE_INVALID_MIGRATION` for a malformed directive, an
 * unknown placeholder or a statement that does not name `{{database}}`.
 */
export function renderMigration(text: string, context: RenderContext): string[] {
  const selected = applyDirectives(text.replace(/\r\n/g, '\n'), context);
  return splitStatements(selected).map((statement) => {
    if (!DATABASE_PLACEHOLDER.test(stripComments(statement))) {
      throw invalid(
        context,
        undefined,
        `every statement must name its database as {{database}}, but this one does not: ${describeValue(statement, 200)}`,
      );
    }
    return replacePlaceholders(statement, context);
  });
}
