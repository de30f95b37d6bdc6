/**
 * Splits SQL text into statements at each `;` outside string literals, quoted identifiers
 * and comments. Quoted text may contain `;`, escaped quotes (`\'`) and doubled quotes
 * (`''`). Returns the statements trimmed, without the `;`, and drops statements that hold
 * only comments and whitespace.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;

  const push = (end: number): void => {
    const statement = sql.slice(start, end).trim();
    if (stripComments(statement).trim().length > 0) statements.push(statement);
  };

  while (i < sql.length) {
    const character = sql[i];
    const next = sql[i + 1];
    if (character === '-' && next === '-') {
      const lineEnd = sql.indexOf('\n', i);
      i = lineEnd === -1 ? sql.length : lineEnd + 1;
    } else if (character === '/' && next === '*') {
      const commentEnd = sql.indexOf('*/', i + 2);
      i = commentEnd === -1 ? sql.length : commentEnd + 2;
    } else if (character === "'" || character === '"' || character === '`') {
      i = skipQuoted(sql, i, character);
    } else if (character === ';') {
      push(i);
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  push(sql.length);
  return statements;
}

/** Returns the index just after the quoted text that opens at `open`. */
function skipQuoted(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const character = sql[i];
    if (character === '\\') {
      i += 2;
    } else if (character === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/** Removes `--` and block comments outside quoted text. */
export function stripComments(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const character = sql[i];
    const next = sql[i + 1];
    if (character === '-' && next === '-') {
      const lineEnd = sql.indexOf('\n', i);
      i = lineEnd === -1 ? sql.length : lineEnd;
    } else if (character === '/' && next === '*') {
      const commentEnd = sql.indexOf('*/', i + 2);
      i = commentEnd === -1 ? sql.length : commentEnd + 2;
    } else if (character === "'" || character === '"' || character === '`') {
      const end = skipQuoted(sql, i, character);
      out += sql.slice(i, end);
      i = end;
    } else {
      out += character;
      i += 1;
    }
  }
  return out;
}
