import { describe, expect, it } from 'vitest';
import { ThreadEntry, ThreadTable } from '../../inspect/state/thread-table.js';
import { EventType } from '../../scapfile/schema/events.js';
import { cursorFor } from '../helpers/event-builder.js';

describe('EventCursor.tid', () => {
  // The getter returns the 32-bit value itself when the high word is its
  // sign extension, and the 64-bit formula otherwise: both must give the same.
  it.each([0, 1, -1, 4194304, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, -(2 ** 31), -(2 ** 31) - 1, 2 ** 40 + 5, -(2 ** 40)])(
    'reads %d', (tid) => {
      expect(cursorFor({ type: EventType.SYSCALL_CLOSE_X, tid, params: [] }).tid).toBe(tid);
    });
});

describe('ThreadTable lookups', () => {
  // find remembers the entry it returned last; removals and replacements must not leave it stale.
  it('finds the current entry after a removal or a replacement', () => {
    const table = new ThreadTable();
    const a = new ThreadEntry(10);
    table.add(a, false);
    expect(table.find(10)).toBe(a);
    table.remove(10);
    expect(table.find(10)).toBeUndefined();
    const b = new ThreadEntry(10);
    table.add(b, false);
    expect(table.find(10)).toBe(b);
    const c = new ThreadEntry(10);
    table.add(c, false);
    expect(table.find(10)).toBe(c);
    expect(table.find(11)).toBeUndefined();
    expect(table.find(10)).toBe(c);
    const fake = table.getOrCreate(12)!;
    expect(table.find(12)).toBe(fake);
    expect(table.getOrCreate(10)).toBe(c);
  });
});
