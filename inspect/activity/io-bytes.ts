// Bytes read and written per second, as sysdig's iobytes, iobytes_file and
// iobytes_net chisels print them (userspace/sysdig/chisels/iobytes*.lua,
// sysdig 0.36): each time an event starts a new second of the capture
// (whatever event, before any filter: the chisel engine's interval
// callback, chisel.cpp do_timeout), the totals of the second before print
// with that event's time of day, and start again. The last second, which
// no event closes, does not print.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';

/** Which fds count: any (iobytes), files (iobytes_file), IP sockets (iobytes_net). */
export type IoBytesScope = 'all' | 'file' | 'net';
const SCOPE_FILTERS: Record<IoBytesScope, string> = {
  all: 'evt.is_io=true',
  file: 'evt.is_io=true and fd.type=file',
  net: 'evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)',
};

const NS_PER_S = 1_000_000_000n;

/** A time's u64 halves compared: -1, 0 or 1. */
const cmp = (hi: number, lo: number, bhi: number, blo: number): number => (hi !== bhi ? (hi < bhi ? -1 : 1) : lo === blo ? 0 : lo < blo ? -1 : 1);

export class IoBytes {
  private readonly shown: EventFilter;
  private readonly res: FieldExtractor;
  private readonly isRead: FieldExtractor;
  private readonly time: FieldExtractor;
  // The second the last interval began, [start, end) as u64 halves (exact
  // ns compared per event without a BigInt); none before the first event.
  private started = false;
  private startHi = 0;
  private startLo = 0;
  private endHi = 0;
  private endLo = 0;
  private totIn = 0;
  private totOut = 0;

  constructor(fields: ReadonlyMap<string, FieldDef>, scope: IoBytesScope = 'all') {
    this.shown = compileFilter(SCOPE_FILTERS[scope], fields);
    this.res = fields.get('evt.rawarg')!.compile('res');
    this.isRead = fields.get('evt.is_io_read')!.compile(undefined);
    this.time = fields.get('evt.time.s')!.compile(undefined);
  }

  /**
   * Every event sinsp returns, in order: answers the line of the second it
   * closes, if it closes one. `kept`: the command line's filter keeps it;
   * only then (and when the chisel's filter does) does it count.
   */
  observe(ev: EventCursor, ctx: FieldContext, kept: boolean): string | undefined {
    const line = this.tick(ev, ctx);
    if (kept && this.shown(ev, ctx)) {
      const bytes = Number(this.res(ev, ctx));
      if (bytes > 0) {
        if (this.isRead(ev, ctx) === 'true') this.totIn += bytes;
        else this.totOut += bytes;
      }
    }
    return line;
  }

  /** do_timeout: the first event sets the second; an event in another one fires the interval. */
  private tick(ev: EventCursor, ctx: FieldContext): string | undefined {
    const hi = ev.tsHi;
    const lo = ev.tsLo;
    if (this.started && cmp(hi, lo, this.startHi, this.startLo) >= 0 && cmp(hi, lo, this.endHi, this.endLo) < 0) return undefined;
    // (do_timeout's check of an event at the very ns of the last callback
    // cannot hold here: that event is in the callback's own second.)
    const first = !this.started;
    // Once a second: the new second's bounds.
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    const start = ts - ts % NS_PER_S;
    const end = start + NS_PER_S;
    this.started = true;
    this.startHi = Number(start >> 32n);
    this.startLo = Number(start & 0xffffffffn);
    this.endHi = Number(end >> 32n);
    this.endLo = Number(end & 0xffffffffn);
    if (first) return undefined;
    const line = `${this.time(ev, ctx) ?? 'nil'} in:${this.totIn} out:${this.totOut} tot:${this.totIn + this.totOut}`;
    this.totIn = 0;
    this.totOut = 0;
    return line;
  }
}
