import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';

describe('Prng', () => {
  it('repeats a sequence for a seed', () => {
    const a = new Prng('seed', 1);
    const b = new Prng('seed', 1);
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('differs between seeds', () => {
    expect(new Prng('seed', 1).hex(32)).not.toBe(new Prng('seed', 2).hex(32));
  });

  it('draws version-4 UUIDs', () => {
    const rng = new Prng('uuid');
    for (let i = 0; i < 50; i++) {
      expect(rng.uuid()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('keeps floats in the unit interval', () => {
    const rng = new Prng('float');
    for (let i = 0; i < 1000; i++) {
      const value = rng.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});
