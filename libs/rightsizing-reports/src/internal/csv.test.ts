import { describe, expect, it } from 'vitest';
import { sampleResults } from '../testing/sample-results.js';
import { CSV_COLUMNS, quoteCsvField, renderCsv } from './csv.js';

describe('quoteCsvField', () => {
  it('leaves plain text unquoted', () => {
    expect(quoteCsvField('s3:GetObject')).toBe('s3:GetObject');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(quoteCsvField('a,b')).toBe('"a,b"');
    expect(quoteCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvField('two\r\nlines')).toBe('"two\r\nlines"');
  });

  it('guards formula-starting cells', () => {
    expect(quoteCsvField('=1+1')).toBe("'=1+1");
    expect(quoteCsvField('+1')).toBe("'+1");
    expect(quoteCsvField('-1')).toBe("'-1");
    expect(quoteCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(quoteCsvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
});

describe('renderCsv', () => {
  const results = sampleResults();
  const lines = renderCsv(results).split('\r\n');

  it('writes one row per removal', () => {
    // Header, 4 + 1 (no removal) + 1 + 2 rows, and the empty string after the last CRLF.
    expect(lines).toHaveLength(1 + 4 + 1 + 1 + 2 + 1);
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
  });

  it('carries risk and service per permission', () => {
    const row = lines.find((line) => line.includes('iam:PutRolePolicy'));
    expect(row?.split(',').slice(-3)).toEqual([
      'iam:PutRolePolicy',
      'permissions-management',
      'iam',
    ]);
  });

  it('keeps principals without removals', () => {
    const row = lines.find((line) => line.includes('user/reader'));
    expect(row?.endsWith(',none,,,')).toBe(true);
  });

  it('guards the injected team name', () => {
    const row = lines.find((line) => line.includes('storage.objects.delete'));
    expect(row).toContain(`'=cmd|' /C calc'!A0`);
    expect(row?.split(',')[2]?.startsWith("'=")).toBe(true);
  });
});
