import { describe, expect, it } from 'vitest';
import { splitStatements, stripComments } from './sql-split.js';

describe('splitStatements', () => {
  it('splits at semicolons', () => {
    expect(splitStatements('SELECT 1;\nSELECT 2;\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('ignores semicolons inside quotes', () => {
    const sql = "SELECT 'a;b', \"c;d\", `e;f`, 'it\\'s;', 'x'';y'; SELECT 2";
    expect(splitStatements(sql)).toEqual([
      "SELECT 'a;b', \"c;d\", `e;f`, 'it\\'s;', 'x'';y'",
      'SELECT 2',
    ]);
  });

  it('ignores semicolons inside comments', () => {
    const sql = '-- first; still a comment\nSELECT 1 /* a; b */;\nSELECT 2';
    expect(splitStatements(sql)).toEqual([
      '-- first; still a comment\nSELECT 1 /* a; b */',
      'SELECT 2',
    ]);
  });

  it('drops comment-only statements', () => {
    expect(splitStatements('-- header\n;\n/* x */;SELECT 1;\n-- trailer\n')).toEqual(['SELECT 1']);
  });
});

describe('stripComments', () => {
  it('keeps comment markers inside strings', () => {
    expect(stripComments("SELECT '--x' -- note\n, 1 /* c */")).toBe("SELECT '--x' \n, 1 ");
  });
});
