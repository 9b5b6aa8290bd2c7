// The `connections` table: one row per network connection a process had,
// so "who talked to whom, how much" is one table away (sysdig's topconns and
// netstat chisels answer it from a live capture; here it is a query). A
// connection is a socket fd (ipv4, ipv6 or unix) while its fd.name is one
// tuple (`cip:cport->sip:sport`, or a unix pair): the fd entry of the state
// replay, followed from the first event that shows it with that tuple to
// the close that ends it. Values are the fields as sinsp shows them at the
// connection's first event (convert/README.md has the columns).

import { Int64, TimeUnit, Timestamp, Uint64, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { EventCursor } from '../scapfile/event-cursor.js';
import { EVENTS, EventFlag, EventType } from '../scapfile/schema/index.js';
import { FdType } from '../scapfile/state-blocks/index.js';
import type { FieldContext } from '../inspect/fields/index.js';
import type { FdView, StateLookup } from '../inspect/state/lookup.js';
import { hasReturnValue, returnValue } from '../inspect/format/return-value.js';
import { eventTypeName } from '../inspect/format/event-name.js';
import { compileField } from './events-table.js';
import { rowTableBatch, rowTableSchema } from './row-table.js';
import type { RowColumn } from './row-table.js';

/** One connection; `entry` is the fd entry it follows (not a column). */
export interface ConnectionRow {
  readonly entry: FdView;
  readonly pid: number | undefined;
  readonly tid: number;
  readonly procName: string | undefined;
  readonly exepath: string | undefined;
  readonly containerId: string | undefined;
  readonly fd: number;
  readonly fdType: string;
  readonly l4proto: string | undefined;
  readonly name: string;
  readonly cip: string | undefined;
  readonly cport: string | undefined;
  readonly sip: string | undefined;
  readonly sport: string | undefined;
  readonly openedBy: string;
  readonly firstRes: number | undefined;
  readonly firstTs: bigint;
  readonly firstNum: number;
  lastTs: bigint;
  lastNum: number;
  closeTs: bigint | undefined;
  events: number;
  bytesIn: number;
  bytesOut: number;
  /** Order of the first event, for the rows still open at the end. */
  readonly seq: number;
}

const ts = new Timestamp(TimeUnit.NANOSECOND);
const big = (v: number | undefined): bigint | null => (v === undefined ? null : BigInt(v));
const port = (v: string | undefined): bigint | null => (v === undefined ? null : BigInt(v));

const COLUMNS: ReadonlyArray<RowColumn<ConnectionRow>> = [
  ['pid', new Int64(), true, (r) => big(r.pid)],
  ['tid', new Int64(), false, (r) => BigInt(r.tid)],
  ['proc_name', new Utf8(), true, (r) => r.procName ?? null],
  ['exepath', new Utf8(), true, (r) => r.exepath ?? null],
  ['container_id', new Utf8(), true, (r) => r.containerId ?? null],
  ['fd_num', new Int64(), false, (r) => BigInt(r.fd)],
  ['fd_type', new Utf8(), false, (r) => r.fdType],
  ['l4proto', new Utf8(), true, (r) => r.l4proto ?? null],
  ['name', new Utf8(), false, (r) => r.name],
  ['cip', new Utf8(), true, (r) => r.cip ?? null],
  ['cport', new Int64(), true, (r) => port(r.cport)],
  ['sip', new Utf8(), true, (r) => r.sip ?? null],
  ['sport', new Int64(), true, (r) => port(r.sport)],
  ['opened_by', new Utf8(), false, (r) => r.openedBy],
  ['first_res', new Int64(), true, (r) => big(r.firstRes)],
  ['first_ts', ts, false, (r) => r.firstTs],
  ['last_ts', ts, false, (r) => r.lastTs],
  ['close_ts', ts, true, (r) => r.closeTs ?? null],
  ['first_num', new Uint64(), false, (r) => BigInt(r.firstNum)],
  ['last_num', new Uint64(), false, (r) => BigInt(r.lastNum)],
  ['events', new Int64(), false, (r) => BigInt(r.events)],
  ['bytes_in', new Int64(), false, (r) => BigInt(r.bytesIn)],
  ['bytes_out', new Int64(), false, (r) => BigInt(r.bytesOut)],
];

/** The schema of the connections table. */
export const CONNECTIONS_SCHEMA = rowTableSchema('connections', COLUMNS);

/** Rows as one record batch. */
export function connectionsBatch(rows: readonly ConnectionRow[]): RecordBatch {
  return rowTableBatch(CONNECTIONS_SCHEMA, COLUMNS, rows);
}

const SOCKET_TYPES = new Set<number>([FdType.IPV4_SOCK, FdType.IPV6_SOCK, FdType.UNIX_SOCK]);

/**
 * Every this many events, open rows whose fd entry is no longer in its
 * process's table (closed without a close event we saw, the process gone,
 * the fd replaced by dup2) end, so memory follows the open sockets, not
 * every socket of the capture.
 */
const SWEEP_EVERY = 1 << 16;

/**
 * Follows connections through a replay: `observe` each event after the
 * state applied it, take the rows that ended as they come (`takeEnded`),
 * and the ones still open at the end (`endAll`).
 */
export class ConnectionTracker {
  private readonly open = new Map<FdView, ConnectionRow>();
  private ended: ConnectionRow[] = [];
  private seen = 0;
  private seq = 0;
  private readonly extract = {
    l4proto: compileField('fd.l4proto'), containerId: compileField('container.id'),
    cip: compileField('fd.cip'), cport: compileField('fd.cport'), sip: compileField('fd.sip'), sport: compileField('fd.sport'),
  };

  /** Rows that ended and were not taken yet. */
  get endedCount(): number { return this.ended.length; }

  observe(ev: EventCursor, ctx: FieldContext): void {
    const state = ctx.state;
    if (++this.seen % SWEEP_EVERY === 0 && this.open.size > 0) this.sweep(state);
    const entry = state.eventFdDetail?.(ev);
    if (entry === undefined || !SOCKET_TYPES.has(entry.type)) return;
    let row = this.open.get(entry);
    // A socket that now shows another tuple (a UDP socket connected elsewhere) is another connection.
    if (row !== undefined && row.name !== entry.name) { this.end(row); row = undefined; }
    if (row === undefined) {
      if (!entry.name.includes('->')) return;
      row = this.start(ev, ctx, entry);
    }
    row.lastTs = ev.tsNs;
    row.lastNum = ev.num;
    row.events++;
    const type = ev.type;
    if (!hasReturnValue(ev)) return;
    const res = returnValue(ev);
    const flags = EVENTS[type]!.flags;
    if (res > 0) {
      if (flags & EventFlag.READS_FROM_FD) row.bytesIn += res;
      else if (flags & EventFlag.WRITES_TO_FD) row.bytesOut += res;
    }
    if (type === EventType.SYSCALL_CLOSE_X && res >= 0) {
      row.closeTs = ev.tsNs;
      this.end(row);
    }
  }

  /** The rows that ended since the last call, in the order they ended. */
  takeEnded(): ConnectionRow[] {
    const out = this.ended;
    this.ended = [];
    return out;
  }

  /** Ends the rows still open (the capture ended): the ones not yet taken, then these in order of first event. */
  endAll(): ConnectionRow[] {
    const still = [...this.open.values()].sort((a, b) => a.seq - b.seq);
    this.open.clear();
    return [...this.takeEnded(), ...still];
  }

  private start(ev: EventCursor, ctx: FieldContext, entry: FdView & { readonly type: number }): ConnectionRow {
    const x = this.extract;
    const t = ctx.state.thread(ev.tid);
    const row: ConnectionRow = {
      entry, pid: t?.pid, tid: ev.tid, procName: t?.comm, exepath: t?.exepath, containerId: x.containerId(ev, ctx),
      fd: entry.fd, fdType: ctx.state.eventFd(ev).type ?? '<NA>', l4proto: x.l4proto(ev, ctx), name: entry.name,
      cip: x.cip(ev, ctx), cport: x.cport(ev, ctx), sip: x.sip(ev, ctx), sport: x.sport(ev, ctx),
      openedBy: eventTypeName(ev), firstRes: hasReturnValue(ev) ? returnValue(ev) : undefined,
      firstTs: ev.tsNs, firstNum: ev.num, lastTs: ev.tsNs, lastNum: ev.num, closeTs: undefined,
      events: 0, bytesIn: 0, bytesOut: 0, seq: this.seq++,
    };
    this.open.set(entry, row);
    return row;
  }

  private end(row: ConnectionRow): void {
    this.open.delete(row.entry);
    this.ended.push(row);
  }

  private sweep(state: StateLookup): void {
    for (const row of this.open.values()) {
      const live = state.fd(row.tid, row.fd) === row.entry || (row.pid !== undefined && state.fd(row.pid, row.fd) === row.entry);
      if (!live) this.end(row);
    }
  }
}
