// The `events` table: one row per event libsinsp returns, with the state
// (process, fd) as it is after that event, as convert/README.md describes.

import { Binary, Field, Int64, RecordBatch, Schema, Struct, TimeUnit, Timestamp, Uint64, makeData } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import type { EventCursor } from '../scapfile/event-cursor.js';
import { paramText, paramUint } from '../scapfile/params/decode.js';
import { EVENTS, EventType, errnoResultName, eventTypeTable } from '../scapfile/schema/index.js';
import { EventFlag, ParamType } from '../scapfile/schema/types.js';
import type { FieldContext, FieldExtractor } from '../inspect/fields/index.js';
import { FIELDS, eventCategory } from '../inspect/fields/index.js';
import { hasReturnValue, returnValue } from '../inspect/format/return-value.js';
import { eventTypeName } from '../inspect/format/event-name.js';
import { cmdline } from '../inspect/fields/proc-fields.js';
import { exactFdText } from '../inspect/fields/thread-fields.js';
import { rawArgNumber } from '../inspect/fields/rawarg.js';
import { ArgsFormatter } from '../inspect/format/args.js';
import type { StateLookup } from '../inspect/state/lookup.js';
import { BinaryColumn, BinaryListColumn, DictionaryColumn, initialRows, Int64Column, Uint16Column, Utf8Column } from './columns.js';
import type { DictionaryMode } from './columns.js';

/** Rows per record batch unless the caller asks otherwise. */
export const DEFAULT_BATCH_ROWS = 65536;
/** The largest batch a builder takes: a batch is held in memory whole until it is written. */
export const MAX_BATCH_ROWS = 1 << 20;


/** Index of the parameter named `name` in each event type, or -1 (from the schema). */
function paramNamed(name: string): Int8Array {
  return eventTypeTable(Int8Array, (e) => e.params.findIndex((p) => p.name === name), -1);
}
/** The first file-system path parameter of each type (FSPATH/FSRELPATH: name, path, pathname, oldpath…), or -1. */
const PATH_PARAM = eventTypeTable(Int8Array, (e) =>
  e.params.findIndex((p) => p.type === ParamType.FSPATH || p.type === ParamType.FSRELPATH), -1);
/** Index of the `flags` parameter of each type, or -1. */
export const FLAGS_PARAM = paramNamed('flags');
const MODE_PARAM = paramNamed('mode');

/**
 * The parameter `index[type]` of the event as a number, as `evt.rawarg.NAME`
 * reads it where libsinsp has a rule for its type (an empty parameter is 0,
 * a signed type is signed: rawArgNumber), else its bytes as an unsigned
 * integer (modes); undefined when the type has no such parameter, or it
 * has no integer size (only damaged captures).
 */
export function rawArgAt(ev: EventCursor, index: Int8Array): number | undefined {
  const type = ev.type;
  const k = index[type]!;
  if (k < 0 || k >= ev.nparams) return undefined;
  const v = rawArgNumber(ev, k, EVENTS[type]!.params[k]!) ?? paramUint(ev, k);
  return Number.isNaN(v) ? undefined : v;
}
/** Index of each type's I/O buffer: the BYTEBUF parameter named `data` (read, write, sendto, recvfrom…), or -1. */
const DATA_PARAM = eventTypeTable(Int8Array, (e) =>
  e.params.findIndex((p) => p.name === 'data' && p.type === ParamType.BYTEBUF), -1);
/**
 * Types whose non-negative `res` is a byte count: those that read from or
 * write to their fd, sinsp's evt.is_io (EF_READS_FROM_FD, EF_WRITES_TO_FD),
 * the rule of the files and connections tables' byte counts too. (The io
 * categories differ: libs puts sendfile in io_write without the flag, and
 * copy_file_range in file with both.)
 */
const IO_TYPE = eventTypeTable(Uint8Array, (e) =>
  ((e.flags & (EventFlag.READS_FROM_FD | EventFlag.WRITES_TO_FD)) !== 0 ? 1 : 0));


/** Types whose `evt.type` depends on the event, not only its type: generic syscalls and async events. */
const NAME_IN_EVENT = eventTypeTable(Uint8Array, (e) => (e.id === EventType.GENERIC_X || e.id === EventType.ASYNCEVENT_E ? 1 : 0));

/** The extractor of a field of inspect/fields, without argument (the tables read fields as sinsp shows them). */
export function compileField(name: string): FieldExtractor {
  const def = FIELDS.get(name);
  if (def === undefined) throw new Error(`convert: field ${name} is not defined in inspect/fields`);
  return def.compile(undefined);
}

function pushNumber(col: Int64Column<Int64>, text: string | undefined): void {
  if (text === undefined) col.pushNull(); else col.push(Number(text));
}

/** Every column of the events table, in schema order (convert/README.md). */
export const EVENT_COLUMNS = [
  'num', 'ts', 'cpu', 'type_id', 'type', 'dir', 'category', 'tid', 'pid', 'ppid', 'vpid',
  'proc_name', 'exepath', 'cmdline', 'user_name', 'container_id', 'fd_num', 'fd_type', 'fd_name', 'res', 'errno',
  'path', 'flags', 'mode', 'bytes', 'cip', 'cport', 'sip', 'sport', 'l4proto',
  'args', 'params', 'data',
] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** Checks a `--columns` list against the table's columns; throws naming the unknown ones. */
export function eventColumns(names: readonly string[]): EventColumn[] {
  const unknown = names.filter((n) => !(EVENT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the events table has ${EVENT_COLUMNS.join(', ')}`);
  return EVENT_COLUMNS.filter((c) => names.includes(c));
}

interface ColumnBuilder { readonly type: DataType; reserve(rows: number): void; flush(mode: DictionaryMode): Data }

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
  private readonly containerId: DictionaryColumn;
  private readonly fdNum: Int64Column<Int64>;
  private readonly fdType: DictionaryColumn;
  private readonly fdName: Utf8Column;
  private readonly res: Int64Column<Int64>;
  private readonly errno: DictionaryColumn;
  private readonly path: Utf8Column;
  private readonly flags: Int64Column<Int64>;
  private readonly mode: Int64Column<Int64>;
  private readonly bytes: Int64Column<Int64>;
  private readonly cip: DictionaryColumn;
  private readonly cport: Int64Column<Int64>;
  private readonly sip: DictionaryColumn;
  private readonly sport: Int64Column<Int64>;
  private readonly l4proto: DictionaryColumn;
  private readonly args: Utf8Column;
  private readonly params: BinaryListColumn;
  private readonly data: BinaryColumn;
  private readonly extract = {
    dir: compileField('evt.dir'), cmdline: compileField('proc.cmdline'),
    user: compileField('user.name'),
    cip: compileField('fd.cip'), cport: compileField('fd.cport'), sip: compileField('fd.sip'), sport: compileField('fd.sport'),
    l4proto: compileField('fd.l4proto'), containerId: compileField('container.id'),
  };
  /** Dictionary indices per event type of the columns that depend on the type alone (-1: not yet seen). */
  private readonly typeIds: Int32Array;
  private readonly dirIds: Int32Array;
  /** The comm and args the last cmdline index was made from. */
  private cmdComm: string | undefined;
  private cmdArgs: readonly string[] | undefined;
  private cmdId = 0;
  /** The generations of the dictionaries whose indices are cached above. */
  private readonly cachedGenerations = [0, 0, 0];
  private argsFormat: ArgsFormatter | undefined;
  private argsState: StateLookup | undefined;
  /** The selected columns' builders, in schema order. */
  private readonly selected: ColumnBuilder[];
  /** Rows the selected columns have room for (they start small and grow, see columns.ts). */
  private room: number;
  /** Which groups of columns to compute at all. */
  private readonly want: Readonly<Record<EventColumn, boolean>>;

  constructor(readonly batchRows = DEFAULT_BATCH_ROWS, columns: readonly EventColumn[] = EVENT_COLUMNS) {
    // Columns not chosen are never written: no room for rows.
    const rows = (c: EventColumn): number => (columns.includes(c) ? initialRows(batchRows) : 0);
    this.typeIds = new Int32Array(columns.includes('type') ? 65536 : 0).fill(-1);
    this.dirIds = new Int32Array(columns.includes('dir') ? 65536 : 0).fill(-1);
    this.num = new Int64Column(new Uint64(), rows('num'));
    this.ts = new Int64Column(new Timestamp(TimeUnit.NANOSECOND), rows('ts'));
    this.cpu = new Uint16Column(rows('cpu'));
    this.typeId = new Uint16Column(rows('type_id'));
    this.type = new DictionaryColumn(rows('type'), 0);
    this.dir = new DictionaryColumn(rows('dir'), 1);
    this.category = new DictionaryColumn(rows('category'), 2);
    this.tid = new Int64Column(new Int64(), rows('tid'));
    this.pid = new Int64Column(new Int64(), rows('pid'));
    this.ppid = new Int64Column(new Int64(), rows('ppid'));
    this.vpid = new Int64Column(new Int64(), rows('vpid'));
    this.procName = new DictionaryColumn(rows('proc_name'), 3);
    this.exepath = new DictionaryColumn(rows('exepath'), 4);
    this.cmdline = new DictionaryColumn(rows('cmdline'), 5);
    this.userName = new DictionaryColumn(rows('user_name'), 6);
    this.containerId = new DictionaryColumn(rows('container_id'), 7);
    this.fdNum = new Int64Column(new Int64(), rows('fd_num'));
    this.fdType = new DictionaryColumn(rows('fd_type'), 8);
    this.fdName = new Utf8Column(rows('fd_name'));
    this.res = new Int64Column(new Int64(), rows('res'));
    this.errno = new DictionaryColumn(rows('errno'), 9);
    this.path = new Utf8Column(rows('path'));
    this.flags = new Int64Column(new Int64(), rows('flags'));
    this.mode = new Int64Column(new Int64(), rows('mode'));
    this.bytes = new Int64Column(new Int64(), rows('bytes'));
    this.cip = new DictionaryColumn(rows('cip'), 10);
    this.cport = new Int64Column(new Int64(), rows('cport'));
    this.sip = new DictionaryColumn(rows('sip'), 11);
    this.sport = new Int64Column(new Int64(), rows('sport'));
    this.l4proto = new DictionaryColumn(rows('l4proto'), 12);
    this.args = new Utf8Column(rows('args'));
    this.params = new BinaryListColumn(new Field('item', new Binary(), false), rows('params'));
    this.data = new BinaryColumn(rows('data'));
    const builders: Record<EventColumn, ColumnBuilder> = {
      num: this.num, ts: this.ts, cpu: this.cpu, type_id: this.typeId, type: this.type, dir: this.dir,
      category: this.category, tid: this.tid, pid: this.pid, ppid: this.ppid, vpid: this.vpid,
      proc_name: this.procName, exepath: this.exepath, cmdline: this.cmdline, user_name: this.userName,
      container_id: this.containerId,
      fd_num: this.fdNum, fd_type: this.fdType, fd_name: this.fdName, res: this.res, errno: this.errno,
      path: this.path, flags: this.flags, mode: this.mode, bytes: this.bytes,
      cip: this.cip, cport: this.cport, sip: this.sip, sport: this.sport, l4proto: this.l4proto,
      args: this.args, params: this.params, data: this.data,
    };
    const notNull = new Set<EventColumn>(['num', 'ts', 'cpu', 'type_id', 'type', 'dir', 'category', 'tid', 'args', 'params']);
    const chosen = EVENT_COLUMNS.filter((c) => columns.includes(c));
    if (chosen.length === 0) throw new Error('the events table needs at least one column');
    this.want = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, chosen.includes(c)])) as Record<EventColumn, boolean>;
    this.selected = chosen.map((c) => builders[c]);
    this.room = initialRows(batchRows);
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
    if (this.rows === this.room) this.grow();
    const w = this.want;
    const type = ev.type;
    const state = ctx.state;
    const tid = ev.tid;
    if (w.num) this.num.push(ev.num);
    if (w.ts) this.ts.pushWords(ev.tsLo, ev.tsHi);
    if (w.cpu) this.cpu.push(ev.cpu);
    if (w.type_id) this.typeId.push(type);
    if (w.type) {
      if (NAME_IN_EVENT[type] === 1) this.type.push(eventTypeName(ev));
      else {
        let id = this.typeIds[type]!;
        if (id < 0) this.typeIds[type] = id = this.type.idOf(eventTypeName(ev));
        this.type.pushId(id);
      }
    }
    if (w.dir) {
      let id = this.dirIds[type]!;
      if (id < 0) this.dirIds[type] = id = this.dir.idOf(this.extract.dir(ev, ctx) ?? '');
      this.dir.pushId(id);
    }
    // evt.category: I/O events are named after their fd's kind, so it is per event.
    if (w.category) this.category.pushId(this.category.idOf(eventCategory(ev, ctx)));
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
      // proc.vpid without its text round trip.
      const t = state.threadDetail?.(tid);
      if (t === undefined || t.vpid === -1) this.vpid.pushNull(); else this.vpid.push(t.vpid);
    }
    if (w.cmdline) {
      // proc.cmdline is comm and args joined: built and hashed only when the
      // thread's comm or args changed since the row before (both are replaced
      // on exec, never edited in place).
      const t = state.threadDetail?.(tid);
      if (t === undefined) this.cmdline.pushNull();
      else {
        if (t.comm !== this.cmdComm || t.args !== this.cmdArgs) {
          this.cmdComm = t.comm;
          this.cmdArgs = t.args;
          this.cmdId = this.cmdline.idOf(cmdline(t));
        }
        this.cmdline.pushId(this.cmdId);
      }
    }
    if (w.container_id) this.containerId.push(this.extract.containerId(ev, ctx));

    if (w.fd_num || w.fd_type || w.fd_name) {
      const fd = state.eventFd(ev);
      if (w.fd_num) {
        if (fd.num === undefined) this.fdNum.pushNull();
        else if (Number.isSafeInteger(fd.num)) this.fdNum.push(fd.num);
        else this.fdNum.pushBigInt(BigInt(exactFdText(ev, fd.num)));
      }
      if (w.fd_type) this.fdType.push(fd.type);
      if (w.fd_name) this.fdName.push(fd.name);
    }

    if (w.res || w.errno || w.bytes) {
      // evt.rawres: the first parameter of a syscall exit, whatever its name (open's is fd).
      const res = hasReturnValue(ev) ? returnValue(ev) : NaN;
      if (Number.isNaN(res)) {
        if (w.res) this.res.pushNull();
        if (w.errno) this.errno.push(undefined);
        if (w.bytes) this.bytes.pushNull();
      } else if (Number.isSafeInteger(res)) {
        if (w.res) this.res.push(res);
        if (w.errno) this.errno.push(res < 0 ? errnoResultName(res) : undefined);
        if (w.bytes) { if (res >= 0 && IO_TYPE[type] === 1) this.bytes.push(res); else this.bytes.pushNull(); }
      } else {
        // Past 2^53 (an lseek far out): every bit from the 8-byte parameter.
        const exact = ev.bytes.readBigInt64LE(ev.paramStart(0));
        if (w.res) this.res.pushBigInt(exact);
        if (w.errno) this.errno.push(res < 0 ? errnoResultName(res) : undefined);
        if (w.bytes) { if (res >= 0 && IO_TYPE[type] === 1) this.bytes.pushBigInt(exact); else this.bytes.pushNull(); }
      }
    }
    if (w.path) {
      const k = PATH_PARAM[type]!;
      this.path.push(k >= 0 && k < ev.nparams ? paramText(ev, k) : undefined);
    }
    if (w.flags) {
      const v = rawArgAt(ev, FLAGS_PARAM);
      if (v === undefined) this.flags.pushNull(); else this.flags.push(v);
    }
    if (w.mode) {
      const v = rawArgAt(ev, MODE_PARAM);
      if (v === undefined) this.mode.pushNull(); else this.mode.push(v);
    }
    if (w.cip || w.cport || w.sip || w.sport || w.l4proto) {
      const x = this.extract;
      if (w.cip) this.cip.push(x.cip(ev, ctx));
      if (w.cport) pushNumber(this.cport, x.cport(ev, ctx));
      if (w.sip) this.sip.push(x.sip(ev, ctx));
      if (w.sport) pushNumber(this.sport, x.sport(ev, ctx));
      if (w.l4proto) this.l4proto.push(x.l4proto(ev, ctx));
    }

    if (w.args) {
      // One formatter for the export (the evt.args field makes one per call).
      if (this.argsState !== state) { this.argsState = state; this.argsFormat = new ArgsFormatter(state); }
      this.argsFormat!.argsTo(ev, this.args);
      this.args.endText();
    }
    if (w.params || w.data) {
      // Copied from the batch buffer in place (as paramBytes bounds them), no view per parameter.
      const buf = ev.bytes;
      const size = buf.length;
      const nparams = ev.nparams;
      if (w.params) {
        for (let k = 0; k < nparams; k++) {
          const at = ev.paramStart(k);
          this.params.pushItemRange(buf, Math.min(at, size), Math.min(size, at + ev.paramLen(k)));
        }
        this.params.endRow();
      }
      if (w.data) {
        const k = DATA_PARAM[type]!;
        if (k >= 0 && k < nparams) {
          const at = ev.paramStart(k);
          this.data.pushRange(buf, Math.min(at, size), Math.min(size, at + ev.paramLen(k)));
        } else this.data.pushNull();
      }
    }
    this.rows++;
  }

  /** Doubles the room of every selected column (once per doubling, not a look per value). */
  private grow(): void {
    this.room *= 2;
    for (const c of this.selected) c.reserve(this.room);
  }

  /**
   * The rows so far as one record batch; resets for the next. `mode` says how
   * dictionaries travel: 'delta' for the Arrow IPC file writer (which sends
   * only new values), 'replace' for the stream writer (deltas, and a fresh
   * dictionary past a bound), 'whole' for one-off consumers such as the
   * Parquet sink.
   */
  flush(mode: DictionaryMode): RecordBatch {
    const length = this.rows;
    this.rows = 0;
    const children = this.selected.map((c) => c.flush(mode));
    this.dropStaleIds();
    const data = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }

  /** Forgets the cached indices of a dictionary that started afresh (`DictionaryColumn.generation`). */
  private dropStaleIds(): void {
    const g = this.cachedGenerations;
    if (this.type.generation !== g[0]) { this.typeIds.fill(-1); g[0] = this.type.generation; }
    if (this.dir.generation !== g[1]) { this.dirIds.fill(-1); g[1] = this.dir.generation; }
    if (this.cmdline.generation !== g[2]) { this.cmdComm = undefined; this.cmdArgs = undefined; g[2] = this.cmdline.generation; }
  }
}
