// The names libsinsp shows in parentheses after FLAGS, ENUMFLAGS and MODE
// parameters (userspace/libsinsp/event.cpp, get_param_as_str, the PT_FLAGS*
// / PT_ENUMFLAGS* case and the PT_MODE case). Tables are walked in libs'
// order (scapfile/schema/flags.ts keeps it), which decides the output.

import type { FlagEntry } from '../../scapfile/schema/flags.js';

/**
 * FLAGS: walk the table; an entry matches when all its bits are still set in
 * the remaining value (its bits are then cleared, so RDWR hides RDONLY and
 * WRONLY), or when both it and the original value are 0. Names join with
 * '|'; the walk stops after an entry equal to the original value. Bits no
 * entry covers are silently left out: `0x80000001` with only O_RDONLY = 1
 * prints `O_RDONLY`.
 */
export function flagsNames(value: number, table: readonly FlagEntry[] | undefined): string {
  if (table === undefined) return '';
  const initial = value >>> 0;
  let rest = initial;
  let out = '';
  for (const f of table) {
    const v = f.value >>> 0;
    const match = (v === 0 && initial === 0) || (v !== 0 && rest !== 0 && ((rest & v) >>> 0) === v);
    if (!match) continue;
    rest = (rest & ~v) >>> 0;
    out += out === '' ? f.name : '|' + f.name;
    if (v === initial) break;
  }
  return out;
}

/**
 * ENUMFLAGS: every entry equal to the value, joined by '|' (socket families
 * list both `AF_LOCAL|AF_UNIX` for 1).
 */
export function enumFlagsNames(value: number, table: readonly FlagEntry[] | undefined): string {
  if (table === undefined) return '';
  const v = value >>> 0;
  let out = '';
  for (const f of table) {
    if (f.value >>> 0 === v) out += out === '' ? f.name : '|' + f.name;
  }
  return out;
}

/**
 * MODE: like FLAGS, but the walk stops *before* the first entry equal to the
 * original value, and that entry's name is then appended as well (even when
 * its bits were already taken). A 0 mode therefore shows only a table entry
 * valued 0, if any.
 */
export function modeNames(value: number, table: readonly FlagEntry[] | undefined): string {
  if (table === undefined) return '';
  const initial = value >>> 0;
  let rest = initial;
  let out = '';
  let i = 0;
  for (; i < table.length; i++) {
    const v = table[i]!.value >>> 0;
    if (v === initial) break;
    if (v !== 0 && rest !== 0 && ((rest & v) >>> 0) === v) {
      out += out === '' ? table[i]!.name : '|' + table[i]!.name;
      rest = (rest & ~v) >>> 0;
    }
  }
  if (i < table.length) out += out === '' ? table[i]!.name : '|' + table[i]!.name;
  return out;
}
