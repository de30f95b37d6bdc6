import { describe, expect, it } from 'vitest';
import { keysetAfter, keysetBetween, quoteInList, whereAll } from './store.js';

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

describe('keysetBetween', () => {
  it('includes both bounds of one column', () => {
    expect(keysetBetween(['a'], ['1'], ['9'])).toBe('(a >= 1) AND (a <= 9)');
  });

  it('nests later columns under equality', () => {
    expect(keysetBetween(['a', 'b'], ['1', '2'], ['3', '4'])).toBe(
      '(a > 1 OR (a = 1 AND (b >= 2))) AND (a < 3 OR (a = 3 AND (b <= 4)))',
    );
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
