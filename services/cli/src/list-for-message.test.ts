import { describe, expect, it } from 'vitest';
import { listForMessage } from './list-for-message.js';

describe('listForMessage', () => {
  it('shortens long file lists', () => {
    const files = ['/x/a.json', '/x/b.json', '/x/c.json', '/x/d.json', '/x/e.json'];
    expect(listForMessage(files)).toBe('/x/a.json, /x/b.json, /x/c.json … and 2 more');
    expect(listForMessage(files.slice(0, 2))).toBe('/x/a.json, /x/b.json');
  });
});
