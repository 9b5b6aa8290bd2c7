// What the connections and files tables share: an fd followed through the
// state replay from the first event that shows it to the close that ends
// it. A span is one fd entry of the replay (threads of a process share it,
// a forked child has its own copy) while its fd.name stays the same; a new
// name (a UDP socket sent elsewhere) starts a new span, as does an fd number
// reused for another open. Values are the fields as sinsp shows them at the
// span's first event.

import { Int64, TimeUnit, Timestamp, Uint64, Utf8 } from 'apache-arrow';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { EventCursor } from '../scapfile/event-cursor.js';
import { EVENTS, EventFlag, EventType } from '../scapfile/schema/index.js';
import type { FieldContext } from '../inspect/fields/index.js';
import type { FdDetail, FdView, StateLookup } from '../inspect/state/lookup.js';
import { hasReturnValue, returnValue } from '../inspect/format/return-value.js';
import { eventTypeName } from '../inspect/format/event-name.js';
import { compileField } from './events-table.js';
import { rowTableBatch, rowTableSchema } from './row-table.js';
import type { RowColumn } from './row-table.js';

/** One span; `entry` is the fd entry it follows (not a column). */
export interface FdSpan {
  readonly entry: FdView;
  readonly pid: number | undefined;
  readonly tid: number;
  readonly procName: string | undefined;
  readonly exepath: string | undefined;
  readonly containerId: string | undefined;
  readonly fd: number;
  readonly fdType: string;
  readonly name: string;
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
  /** Order of the first event, for the spans still open at the end. */
  readonly seq: number;
}

/** What a table of spans follows and adds to the shared columns. */
export interface FdSpanKind<R extends FdSpan> {
  /** The `FdType` values it follows. */
  readonly fdTypes: ReadonlySet<number>;
  /** Whether an fd of those types with this name starts a span (a socket needs a tuple). */
  follows(name: string): boolean;
  /** The span as a row of the table: the shared values plus the kind's own, read at the first event. */
  row(span: FdSpan, ev: EventCursor, ctx: FieldContext): R;
  /** The kind's own columns, placed after `name`. */
  readonly columns: ReadonlyArray<RowColumn<R>>;
}

const ts = new Timestamp(TimeUnit.NANOSECOND);
const big = (v: number | undefined): bigint | null => (v === undefined ? null : BigInt(v));

/** The columns of a span table: the shared ones around the kind's own. */
function spanColumns<R extends FdSpan>(own: ReadonlyArray<RowColumn<R>>): ReadonlyArray<RowColumn<R>> {
  return [
    ['pid', new Int64(), true, (r) => big(r.pid)],
    ['tid', new Int64(), false, (r) => BigInt(r.tid)],
    ['proc_name', new Utf8(), true, (r) => r.procName ?? null],
    ['exepath', new Utf8(), true, (r) => r.exepath ?? null],
    ['container_id', new Utf8(), true, (r) => r.containerId ?? null],
    ['fd_num', new Int64(), false, (r) => BigInt(r.fd)],
    ['fd_type', new Utf8(), false, (r) => r.fdType],
    ['name', new Utf8(), false, (r) => r.name],
    ...own,
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
}

/**
 * Every this many events, open spans whose fd entry is no longer in its
 * process's table (closed without a close event we saw, the process gone,
 * the fd replaced by dup2) end, so memory follows the open fds, not every
 * fd of the capture.
 */
const SWEEP_EVERY = 1 << 16;

const containerId = compileField('container.id');

/**
 * Follows the spans of one kind through a replay: `observe` each event
 * after the state applied it, take the rows that ended as they come
 * (`takeEnded`), and the ones still open at the end (`endAll`).
 */
export class FdSpanTracker<R extends FdSpan> {
  private readonly open = new Map<FdView, R>();
  private ended: R[] = [];
  private seen = 0;
  private seq = 0;

  constructor(private readonly kind: FdSpanKind<R>) {}

  /** Rows that ended and were not taken yet. */
  get endedCount(): number { return this.ended.length; }

  observe(ev: EventCursor, ctx: FieldContext): void {
    const state = ctx.state;
    if (++this.seen % SWEEP_EVERY === 0 && this.open.size > 0) this.sweep(state);
    const entry = state.eventFdDetail?.(ev);
    if (entry === undefined || !this.kind.fdTypes.has(entry.type)) return;
    let row = this.open.get(entry);
    if (row !== undefined && row.name !== entry.name) { this.end(row); row = undefined; }
    if (row === undefined) {
      if (!this.kind.follows(entry.name)) return;
      row = this.start(ev, ctx, entry);
    }
    row.lastTs = ev.tsNs;
    row.lastNum = ev.num;
    row.events++;
    if (!hasReturnValue(ev)) return;
    const type = ev.type;
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
  takeEnded(): R[] {
    const out = this.ended;
    this.ended = [];
    return out;
  }

  /** Ends the spans still open (the capture ended): the rows not yet taken, then these in order of first event. */
  endAll(): R[] {
    const still = [...this.open.values()].sort((a, b) => a.seq - b.seq);
    this.open.clear();
    return [...this.takeEnded(), ...still];
  }

  private start(ev: EventCursor, ctx: FieldContext, entry: FdDetail): R {
    const t = ctx.state.thread(ev.tid);
    const span: FdSpan = {
      entry, pid: t?.pid, tid: ev.tid, procName: t?.comm, exepath: t?.exepath, containerId: containerId(ev, ctx),
      fd: entry.fd, fdType: ctx.state.eventFd(ev).type ?? '<NA>', name: entry.name,
      openedBy: eventTypeName(ev), firstRes: hasReturnValue(ev) ? returnValue(ev) : undefined,
      firstTs: ev.tsNs, firstNum: ev.num, lastTs: ev.tsNs, lastNum: ev.num, closeTs: undefined,
      events: 0, bytesIn: 0, bytesOut: 0, seq: this.seq++,
    };
    const row = this.kind.row(span, ev, ctx);
    this.open.set(entry, row);
    return row;
  }

  private end(row: R): void {
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

/** A table of spans: its schema, its rows as a record batch, and a tracker that finds them. */
export interface SpanTable<R extends FdSpan> {
  readonly schema: Schema;
  batch(rows: readonly R[]): RecordBatch;
  tracker(): FdSpanTracker<R>;
}

/** The table `name` (schema metadata `scapkit.table`) of a kind of span. */
export function spanTable<R extends FdSpan>(name: string, kind: FdSpanKind<R>): SpanTable<R> {
  const columns = spanColumns(kind.columns);
  const schema = rowTableSchema(name, columns);
  return { schema, batch: (rows) => rowTableBatch(schema, columns, rows), tracker: () => new FdSpanTracker(kind) };
}
