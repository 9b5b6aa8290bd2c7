// The `events` table: one row per event libsinsp returns, with the state
// (process, fd) as it is after that event, as convert/README.md describes.

import { Binary, Field, Int64, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Uint64, makeData } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import type { EventCursor } from '../scapfile/event-cursor.js';
import { paramBytes, paramInt } from '../scapfile/params/decode.js';
import { EVENTS, errnoResultName } from '../scapfile/schema/index.js';
import { EventCategory } from '../scapfile/schema/types.js';
import type { FieldContext, FieldExtractor } from '../inspect/fields/index.js';
import { FIELDS } from '../inspect/fields/index.js';
import { eventTypeName } from '../inspect/format/event-name.js';
import { BinaryListColumn, DictionaryColumn, Int64Column, Uint16Column, Utf8Column } from './columns.js';
import type { DictionaryMode } from './columns.js';

/** Rows per record batch unless the caller asks otherwise. */
export const DEFAULT_BATCH_ROWS = 65536;

/** Index of each event type's `res` parameter, or -1 (from the schema, never a literal). */
const RES_PARAM = Int8Array.from({ length: 65536 }, (_, id) => {
  const info = EVENTS[id];
  return info === undefined ? -1 : info.params.findIndex((p) => p.name === 'res');
});

/** The syscall category of each event type, lower-case (`file`, `net`, `io_read`…), from its EC_* bits. */
const CATEGORY_NAMES: readonly string[] = (() => {
  const bySyscallCategory = new Map<number, string>();
  for (const [name, value] of Object.entries(EventCategory)) if (value < EventCategory.WAIT) bySyscallCategory.set(value, name.toLowerCase());
  return EVENTS.map((e) => bySyscallCategory.get(e.category & (EventCategory.WAIT - 1)) ?? 'unknown');
})();

function compile(name: string): FieldExtractor {
  const def = FIELDS.get(name);
  if (def === undefined) throw new Error(`convert: field ${name} is not defined in inspect/fields`);
  return def.compile(undefined);
}

/** Every column of the events table, in schema order (convert/README.md). */
export const EVENT_COLUMNS = [
  'num', 'ts', 'cpu', 'type_id', 'type', 'dir', 'category', 'tid', 'pid', 'ppid', 'vpid',
  'proc_name', 'exepath', 'cmdline', 'user_name', 'fd_num', 'fd_type', 'fd_name', 'res', 'errno',
  'args', 'params',
] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** Checks a `--columns` list against the table's columns; throws naming the unknown ones. */
export function eventColumns(names: readonly string[]): EventColumn[] {
  const unknown = names.filter((n) => !(EVENT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the events table has ${EVENT_COLUMNS.join(', ')}`);
  return EVENT_COLUMNS.filter((c) => names.includes(c));
}

interface ColumnBuilder { readonly type: DataType; flush(mode: DictionaryMode): Data }

/**
 * Builds record batches of the events table from a stream of events, one
 * row per `append`; `flush` hands out the rows so far as a RecordBatch.
 * Dictionaries are kept for the whole export, so every batch shares them.
 * With `columns`, only those are built (the costly ones, `args` and
 * `params`, are then not even computed).
 *
 * ```ts
 * const table = new EventsTableBuilder();
 * await insp.run((ev) => { table.append(ev, insp.fieldContext); if (table.full) sink.write(table.flush('delta')); });
 * if (table.length > 0) sink.write(table.flush('delta'));
 * ```
 */
export class EventsTableBuilder {
  readonly schema: Schema;
  private rows = 0;
  private readonly num: Int64Column<Uint64>;
  private readonly ts: Int64Column<Timestamp>;
  private readonly cpu: Uint16Column;
  private readonly typeId: Uint16Column;
  private readonly type: DictionaryColumn;
  private readonly dir: DictionaryColumn;
  private readonly category: DictionaryColumn;
  private readonly tid: Int64Column<Int64>;
  private readonly pid: Int64Column<Int64>;
  private readonly ppid: Int64Column<Int64>;
  private readonly vpid: Int64Column<Int64>;
  private readonly procName: DictionaryColumn;
  private readonly exepath: DictionaryColumn;
  private readonly cmdline: DictionaryColumn;
  private readonly userName: DictionaryColumn;
  private readonly fdNum: Int64Column<Int64>;
  private readonly fdType: DictionaryColumn;
  private readonly fdName: Utf8Column;
  private readonly res: Int64Column<Int64>;
  private readonly errno: DictionaryColumn;
  private readonly args: Utf8Column;
  private readonly params: BinaryListColumn;
  private readonly extract = {
    dir: compile('evt.dir'), args: compile('evt.args'), cmdline: compile('proc.cmdline'),
    user: compile('user.name'), vpid: compile('proc.vpid'),
  };
  /** The selected columns' builders, in schema order. */
  private readonly selected: ColumnBuilder[];
  /** Which groups of columns to compute at all. */
  private readonly want: Readonly<Record<EventColumn, boolean>>;

  constructor(readonly batchRows = DEFAULT_BATCH_ROWS, columns: readonly EventColumn[] = EVENT_COLUMNS) {
    this.num = new Int64Column(new Uint64(), batchRows);
    this.ts = new Int64Column(new Timestamp(TimeUnit.NANOSECOND), batchRows);
    this.cpu = new Uint16Column(batchRows);
    this.typeId = new Uint16Column(batchRows);
    this.type = new DictionaryColumn(batchRows);
    this.dir = new DictionaryColumn(batchRows);
    this.category = new DictionaryColumn(batchRows);
    this.tid = new Int64Column(new Int64(), batchRows);
    this.pid = new Int64Column(new Int64(), batchRows);
    this.ppid = new Int64Column(new Int64(), batchRows);
    this.vpid = new Int64Column(new Int64(), batchRows);
    this.procName = new DictionaryColumn(batchRows);
    this.exepath = new DictionaryColumn(batchRows);
    this.cmdline = new DictionaryColumn(batchRows);
    this.userName = new DictionaryColumn(batchRows);
    this.fdNum = new Int64Column(new Int64(), batchRows);
    this.fdType = new DictionaryColumn(batchRows);
    this.fdName = new Utf8Column(batchRows);
    this.res = new Int64Column(new Int64(), batchRows);
    this.errno = new DictionaryColumn(batchRows);
    this.args = new Utf8Column(batchRows);
    this.params = new BinaryListColumn(new Field('item', new Binary(), false), batchRows);
    const builders: Record<EventColumn, ColumnBuilder> = {
      num: this.num, ts: this.ts, cpu: this.cpu, type_id: this.typeId, type: this.type, dir: this.dir,
      category: this.category, tid: this.tid, pid: this.pid, ppid: this.ppid, vpid: this.vpid,
      proc_name: this.procName, exepath: this.exepath, cmdline: this.cmdline, user_name: this.userName,
      fd_num: this.fdNum, fd_type: this.fdType, fd_name: this.fdName, res: this.res, errno: this.errno,
      args: this.args, params: this.params,
    };
    const notNull = new Set<EventColumn>(['num', 'ts', 'cpu', 'type_id', 'type', 'dir', 'category', 'tid', 'args', 'params']);
    const chosen = EVENT_COLUMNS.filter((c) => columns.includes(c));
    if (chosen.length === 0) throw new Error('the events table needs at least one column');
    this.want = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, chosen.includes(c)])) as Record<EventColumn, boolean>;
    this.selected = chosen.map((c) => builders[c]);
    this.schema = new Schema(
      chosen.map((c) => new Field(c, builders[c].type, !notNull.has(c))),
      new Map([['scapkit.table', 'events'], ['scapkit.version', '1']]),
    );
  }

  /** Rows appended since the last flush. */
  get length(): number { return this.rows; }
  /** Whether a batch is complete; append no more before flushing. */
  get full(): boolean { return this.rows >= this.batchRows; }

  /** Appends the event under the cursor, reading state through `ctx` as it is now. */
  append(ev: EventCursor, ctx: FieldContext): void {
    const w = this.want;
    const type = ev.type;
    const state = ctx.state;
    const tid = ev.tid;
    if (w.num) this.num.push(ev.num);
    if (w.ts) this.ts.pushWords(ev.tsLo, ev.tsHi);
    if (w.cpu) this.cpu.push(ev.cpu);
    if (w.type_id) this.typeId.push(type);
    if (w.type) this.type.push(eventTypeName(ev));
    if (w.dir) this.dir.push(this.extract.dir(ev, ctx) ?? '');
    if (w.category) this.category.push(CATEGORY_NAMES[type] ?? 'unknown');
    if (w.tid) this.tid.push(tid);

    if (w.pid || w.proc_name || w.exepath || w.user_name) {
      const t = state.thread(tid);
      if (t === undefined) {
        if (w.pid) this.pid.pushNull();
        if (w.proc_name) this.procName.push(undefined);
        if (w.exepath) this.exepath.push(undefined);
        if (w.user_name) this.userName.push(undefined);
      } else {
        if (w.pid) this.pid.push(t.pid);
        if (w.proc_name) this.procName.push(t.comm);
        if (w.exepath) this.exepath.push(t.exepath);
        if (w.user_name) this.userName.push(this.extract.user(ev, ctx));
      }
    }
    if (w.ppid) {
      const ppid = state.parentPid(tid);
      if (ppid === undefined) this.ppid.pushNull(); else this.ppid.push(ppid);
    }
    if (w.vpid) {
      const vpid = this.extract.vpid(ev, ctx);
      if (vpid === undefined) this.vpid.pushNull(); else this.vpid.push(Number(vpid));
    }
    if (w.cmdline) this.cmdline.push(this.extract.cmdline(ev, ctx));

    if (w.fd_num || w.fd_type || w.fd_name) {
      const fd = state.eventFd(ev);
      if (w.fd_num) { if (fd.num === undefined) this.fdNum.pushNull(); else this.fdNum.push(fd.num); }
      if (w.fd_type) this.fdType.push(fd.type);
      if (w.fd_name) this.fdName.push(fd.name);
    }

    if (w.res || w.errno) {
      const resAt = RES_PARAM[type]!;
      const res = resAt >= 0 && resAt < ev.nparams ? paramInt(ev, resAt) : NaN;
      if (Number.isNaN(res)) {
        if (w.res) this.res.pushNull();
        if (w.errno) this.errno.push(undefined);
      } else {
        if (w.res) this.res.push(res);
        if (w.errno) this.errno.push(res < 0 ? errnoResultName(res) : undefined);
      }
    }

    if (w.args) this.args.push(this.extract.args(ev, ctx));
    if (w.params) {
      const nparams = ev.nparams;
      for (let k = 0; k < nparams; k++) this.params.pushItem(paramBytes(ev, k));
      this.params.endRow();
    }
    this.rows++;
  }

  /**
   * The rows so far as one record batch; resets for the next. `mode` says how
   * dictionaries travel: 'delta' for the Arrow IPC writers (which send only
   * new values), 'whole' for one-off consumers such as the Parquet sink.
   */
  flush(mode: DictionaryMode): RecordBatch {
    const length = this.rows;
    this.rows = 0;
    const children = this.selected.map((c) => c.flush(mode));
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
