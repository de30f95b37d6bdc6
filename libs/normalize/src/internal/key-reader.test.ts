import { describe, expect, it } from 'vitest';
import { compileKeyReader } from './key-reader.js';

describe('compileKeyReader', () => {
  const fallback = (): unknown => 'fallback';

  it('reads spellings in order', () => {
    const read = compileKeyReader(['eventName', 'eventname', 'EventName'], fallback);
    expect(read({ eventName: 'a', eventname: 'b', EventName: 'c' })).toBe('a');
    expect(read({ eventname: 'b', EventName: 'c' })).toBe('b');
    expect(read({ EventName: 'c' })).toBe('c');
  });

  it('keeps null of a present key', () => {
    const read = compileKeyReader(['errorCode', 'errorcode'], fallback);
    expect(read({ errorCode: null, errorcode: 'x' })).toBeNull();
  });

  it('returns undefined for a missing key', () => {
    const read = compileKeyReader(['eventName', 'eventname', 'EventName'], fallback);
    expect(read({ other: 1 })).toBeUndefined();
  });

  it('passes function values to the fallback', () => {
    const read = compileKeyReader(['constructor', 'Constructor'], fallback);
    expect(read({})).toBe('fallback');
  });

  it('uses the fallback for __proto__', () => {
    expect(compileKeyReader(['__proto__'], fallback)).toBe(fallback);
    expect(compileKeyReader(['__Proto__', '__proto__'], fallback)).toBe(fallback);
  });

  it('writes quotes in keys as literals', () => {
    const key = 'a"];throw new Error("x");//\\';
    const read = compileKeyReader([key], fallback);
    expect(read({ [key]: 7 })).toBe(7);
  });
});
