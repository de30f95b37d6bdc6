import { describe, expect, it } from 'vitest';
import { keysetAfter, quoteInList, whereAll } from './store.js';

describe('keysetAfter', () => {
  it('orders one ascending column', () => {
    expect(keysetAfter([{ column: 'a', literal: "'x'" }])).toBe("a > 'x'");
  });

  it('nests later columns under equality', () => {
    expect(
      keysetAfter([
        { column: 't', literal: '5', descending: true },
        { column: 'id', literal: "'b'" },
      ]),
    ).toBe("t < 5 OR (t = 5 AND (id > 'b'))");
  });
});

describe('quoteInList', () => {
  it('quotes every value', () => {
    expect(quoteInList(["a'b", 'c'])).toBe("('a\\'b', 'c')");
  });
});

describe('whereAll', () => {
  it('wraps each condition', () => {
    expect(whereAll(['a = 1', 'b = 2 OR c = 3'])).toBe('(a = 1) AND (b = 2 OR c = 3)');
  });

  it('gives 1 without conditions', () => {
    expect(whereAll([])).toBe('1');
  });
});
