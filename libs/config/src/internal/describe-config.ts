import type { ConfigSchema } from './setting.js';

/** One row of the generated configuration table. */
export interface ConfigRow {
  readonly variable: string;
  readonly type: string;
  /** The default as the variable would spell it, `(required)`, or `(unset)` when optional. */
  readonly default: string;
  readonly description: string;
}

/**
 * Lists the settings of a schema for documentation, in schema order. A secret's default is
 * never shown, and a secret's row states that `<NAME>_FILE` is accepted.
 */
export function describeConfig(schema: ConfigSchema): ConfigRow[] {
  return Object.values(schema).map((entry) => {
    let shownDefault: string;
    if (entry.defaultValue === undefined) shownDefault = entry.optional ? '(unset)' : '(required)';
    else if (entry.secret) shownDefault = '(secret)';
    else shownDefault = entry.format(entry.defaultValue) || '(empty)';

    let description = entry.description;
    if (entry.secret) description += ` Also read from the file named by \`${entry.env}_FILE\`.`;
    if (entry.aliases.length > 0) {
      const names = entry.aliases.map((alias) => `\`${alias}\``).join(', ');
      description += ` Falls back to ${names} when unset.`;
    }

    return { variable: entry.env, type: entry.typeLabel, default: shownDefault, description };
  });
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * Renders `describeConfig` as a Markdown table (variable, type, default, description), one
 * line per setting and a trailing line break, for READMEs and the docs-sync test.
 */
export function renderConfigTable(schema: ConfigSchema): string {
  const lines = ['| Variable | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const row of describeConfig(schema)) {
    const shownDefault = row.default.startsWith('(') ? row.default : `\`${row.default}\``;
    const cells = [`\`${row.variable}\``, row.type, shownDefault, row.description].map(escapeCell);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
