// The `events` table: one row per event libsinsp returns, with the state
// (process, fd) as it is after that event, as convert/README.md describes.

import { Binary, Field, Int64, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Uint64, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
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

/**
 * Builds record batches of the events table from a stream of events, one
 * row per `append`; `flush` hands out the rows so far as a RecordBatch.
 * Dictionaries are kept for the whole export, so every batch shares them.
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

  constructor(readonly batchRows = DEFAULT_BATCH_ROWS) {
    const n = batchRows;
    this.num = new Int64Column(new Uint64(), n);
    this.ts = new Int64Column(new Timestamp(TimeUnit.NANOSECOND, 'UTC'), n);
    this.cpu = new Uint16Column(n);
    this.typeId = new Uint16Column(n);
    this.type = new DictionaryColumn(n);
    this.dir = new DictionaryColumn(n);
    this.category = new DictionaryColumn(n);
    this.tid = new Int64Column(new Int64(), n);
    this.pid = new Int64Column(new Int64(), n);
    this.ppid = new Int64Column(new Int64(), n);
    this.vpid = new Int64Column(new Int64(), n);
    this.procName = new DictionaryColumn(n);
    this.exepath = new DictionaryColumn(n);
    this.cmdline = new DictionaryColumn(n);
    this.userName = new DictionaryColumn(n);
    this.fdNum = new Int64Column(new Int64(), n);
    this.fdType = new DictionaryColumn(n);
    this.fdName = new Utf8Column(n);
    this.res = new Int64Column(new Int64(), n);
    this.errno = new DictionaryColumn(n);
    this.args = new Utf8Column(n);
    this.params = new BinaryListColumn(new Field('item', new Binary(), false), n);
    const f = (name: string, type: Field['type'], nullable = true): Field => new Field(name, type, nullable);
    this.schema = new Schema([
      f('num', this.num.type, false), f('ts', this.ts.type, false), f('cpu', this.cpu.type, false),
      f('type_id', this.typeId.type, false), f('type', this.type.type, false), f('dir', this.dir.type, false),
      f('category', this.category.type, false), f('tid', this.tid.type, false),
      f('pid', this.pid.type), f('ppid', this.ppid.type), f('vpid', this.vpid.type),
      f('proc_name', this.procName.type), f('exepath', this.exepath.type), f('cmdline', this.cmdline.type),
      f('user_name', this.userName.type),
      f('fd_num', this.fdNum.type), f('fd_type', this.fdType.type), f('fd_name', this.fdName.type),
      f('res', this.res.type), f('errno', this.errno.type),
      f('args', this.args.type), f('params', this.params.type, false),
    ], new Map([['scapkit.table', 'events'], ['scapkit.version', '1']]));
  }

  /** Rows appended since the last flush. */
  get length(): number { return this.rows; }
  /** Whether a batch is complete; append no more before flushing. */
  get full(): boolean { return this.rows >= this.batchRows; }

  /** Appends the event under the cursor, reading state through `ctx` as it is now. */
  append(ev: EventCursor, ctx: FieldContext): void {
    const type = ev.type;
    const state = ctx.state;
    const tid = ev.tid;
    this.num.push(ev.num);
    this.ts.pushWords(ev.tsLo, ev.tsHi);
    this.cpu.push(ev.cpu);
    this.typeId.push(type);
    this.type.push(eventTypeName(ev));
    this.dir.push(this.extract.dir(ev, ctx) ?? '');
    this.category.push(CATEGORY_NAMES[type] ?? 'unknown');
    this.tid.push(tid);

    const t = state.thread(tid);
    if (t === undefined) {
      this.pid.pushNull(); this.procName.push(undefined); this.exepath.push(undefined);
    } else {
      this.pid.push(t.pid); this.procName.push(t.comm); this.exepath.push(t.exepath);
    }
    const ppid = state.parentPid(tid);
    if (ppid === undefined) this.ppid.pushNull(); else this.ppid.push(ppid);
    const vpid = this.extract.vpid(ev, ctx);
    if (vpid === undefined) this.vpid.pushNull(); else this.vpid.push(Number(vpid));
    this.cmdline.push(this.extract.cmdline(ev, ctx));
    this.userName.push(t === undefined ? undefined : this.extract.user(ev, ctx));

    const fd = state.eventFd(ev);
    if (fd.num === undefined) this.fdNum.pushNull(); else this.fdNum.push(fd.num);
    this.fdType.push(fd.type);
    this.fdName.push(fd.name);

    const resAt = RES_PARAM[type]!;
    const res = resAt >= 0 && resAt < ev.nparams ? paramInt(ev, resAt) : NaN;
    if (Number.isNaN(res)) { this.res.pushNull(); this.errno.push(undefined); } else {
      this.res.push(res);
      this.errno.push(res < 0 ? errnoResultName(res) : undefined);
    }

    this.args.push(this.extract.args(ev, ctx));
    const nparams = ev.nparams;
    for (let k = 0; k < nparams; k++) this.params.pushItem(paramBytes(ev, k));
    this.params.endRow();
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
    const children: Data[] = [
      this.num.flush(), this.ts.flush(), this.cpu.flush(), this.typeId.flush(),
      this.type.flush(mode), this.dir.flush(mode), this.category.flush(mode), this.tid.flush(),
      this.pid.flush(), this.ppid.flush(), this.vpid.flush(),
      this.procName.flush(mode), this.exepath.flush(mode), this.cmdline.flush(mode), this.userName.flush(mode),
      this.fdNum.flush(), this.fdType.flush(mode), this.fdName.flush(),
      this.res.flush(), this.errno.flush(mode), this.args.flush(), this.params.flush(),
    ];
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
