import { describe, expect, it } from 'vitest';
import { parseExportText } from './export-documents.js';

describe('parseExportText', () => {
  it('reads one JSON document', () => {
    const { documents, problems } = parseExportText('a.json', '\ufeff[{"a":1}]');
    expect(documents).toEqual([{ source: 'a.json', value: [{ a: 1 }] }]);
    expect(problems).toEqual([]);
  });

  it('reads NDJSON and reports bad lines', () => {
    const { documents, problems } = parseExportText('a.ndjson', '{"a":1}\n\n{oops\n{"b":2}\n');
    expect(documents.map((document) => document.line)).toEqual([1, 4]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'CIEM_ENTITLEMENTS_INVALID_JSON', record: 'line 3' });
  });

  it('reports a broken document once', () => {
    const { documents, problems } = parseExportText('a.json', '[\n  {"a": 1,\n  }\n]');
    expect(documents).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.record).toBe('document');
  });
});
