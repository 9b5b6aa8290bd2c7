// Reads the golden raw.txt files (sinsp-example -r: every event's parameters
// as hexdumps, after libscap's conversion of old layouts) back into event
// specs, so renderers can be checked against args.txt before (and
// independently of) the capture reader, converter and state replay.
//
// The hexdump (userspace/libsinsp/examples/test.cpp, hexdump) writes runs of
// printable bytes in double quotes and other bytes as two hex digits,
// space-separated: `["/etc/ld.so.cache" 00]`. A quoted run ends where a
// non-printable byte follows (` XX`) or at the closing bracket, which is how
// we find its end; a run that itself contains `" XX ` would be misread, and
// we accept that for test data.

import { EVENTS } from '../../scapfile/schema/events.js';
import { EventFlag } from '../../scapfile/schema/types.js';
import type { EventSpec } from '../helpers/event-builder.js';

/** One raw.txt line. */
export interface RawEvent {
  readonly tid: number;
  readonly dir: 'enter' | 'exit';
  readonly name: string;
  readonly paramNames: readonly string[];
  readonly params: readonly Buffer[];
}

const isHex = (c: string | undefined): boolean => c !== undefined && /[0-9a-f]/.test(c);

/** Parses one raw.txt line. */
export function parseRawLine(line: string): RawEvent {
  const head = /^ts=\S+ tid=(-?\d+) type=([<>])(\S+) category=\S+ nparams=(\d+)/.exec(line);
  if (head === null) throw new Error(`raw.txt: unexpected line ${line.slice(0, 80)}`);
  const n = Number(head[4]);
  let pos = head[0].length;
  const paramNames: string[] = [];
  const params: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const prefix = ` ${i}:`;
    if (!line.startsWith(prefix, pos)) throw new Error(`raw.txt: param ${i} expected at ${pos}`);
    pos += prefix.length;
    const eq = line.indexOf('=[', pos);
    paramNames.push(line.slice(pos, eq));
    pos = eq + 2;
    const bytes: number[] = [];
    const endsParam = (at: number): boolean =>
      line[at] === ']' && (at + 1 === line.length || line.startsWith(` ${i + 1}:`, at + 1));
    while (!endsParam(pos)) {
      const c = line[pos];
      if (c === ' ') { pos++; continue; }
      if (c === '"') {
        pos++;
        // The run ends at a quote followed by ` XX` (space, hex byte, then space or ']') or by the end of the param.
        for (;;) {
          if (line[pos] === '"') {
            const next = pos + 1;
            if (endsParam(next)) break;
            if (line[next] === ' ' && isHex(line[next + 1]) && isHex(line[next + 2]) &&
                (line[next + 3] === ' ' || line[next + 3] === ']')) break;
          }
          if (pos >= line.length) throw new Error('raw.txt: unterminated quoted run');
          bytes.push(line.charCodeAt(pos));
          pos++;
        }
        pos++;
        continue;
      }
      bytes.push(parseInt(line.slice(pos, pos + 2), 16));
      pos += 2;
    }
    pos++;
    params.push(Buffer.from(bytes));
  }
  return { tid: Number(head[1]), dir: head[2] === '<' ? 'exit' : 'enter', name: head[3]!, paramNames, params };
}

/**
 * The event type id of a raw event: a layout with its name and direction whose
 * parameter names start with the event's, preferring exact lengths, then current versions.
 */
export function eventTypeOf(raw: RawEvent): number {
  // Generic syscall events show the syscall's name as their type.
  if (raw.paramNames[0] === 'ID' && raw.paramNames[1] === 'nativeID') {
    return EVENTS.find((e) => e.code === (raw.dir === 'exit' ? 'GENERIC_X' : 'GENERIC_E'))!.id;
  }
  // Old events may carry fewer parameters than the layout names: match by prefix, exact first.
  const same = EVENTS.filter((e) => e.name === raw.name && e.dir === raw.dir &&
    e.params.length >= raw.paramNames.length && raw.paramNames.every((n, i) => e.params[i]!.name === n));
  same.sort((a, b) => (a.params.length - b.params.length) ||
    ((a.flags & EventFlag.OLD_VERSION) - (b.flags & EventFlag.OLD_VERSION)));
  const current = same[0];
  if (current === undefined) throw new Error(`raw.txt: no layout for ${raw.dir} ${raw.name}(${raw.paramNames.join(',')})`);
  return current.id;
}

/**
 * An event spec for the builder. sinsp's raw dump shows empty strings as
 * `<NA>` (its legacy null encoding); those 5 bytes `<NA>\0` go back to an
 * empty parameter, which renders the same way.
 */
export function rawToSpec(raw: RawEvent, num: number): EventSpec {
  const params = raw.params.map((p) => (p.length === 5 && p.toString('latin1') === '<NA>\0' ? Buffer.alloc(0) : p));
  return { type: eventTypeOf(raw), tid: raw.tid, params, num };
}
