// Column builders for the events table: plain typed arrays filled row by row
// and wrapped as Arrow `Data` on flush, so the hot path allocates no objects
// per row (arrow-js's generic builders box every value). Each builder is
// reused across batches: `flush()` hands out the rows so far and resets.
// A column has room for the rows it was made with (`capacity`) and more
// after `reserve`. The events table builder starts its columns small
// (INITIAL_ROWS) and doubles them as rows arrive, up to what a batch holds,
// then reuses them: a partitioned export keeps dozens of builders, most
// with a few rows, and a builder sized for its whole batch up front cost
// 26 MiB each at 65,536 rows. Fixed-width columns take values up to their
// room without looking (a look per value cost the export 5%; the builder
// looks once per row, for all of its columns); variable-width ones and null
// bitmaps grow by themselves.

import { Binary, Data, Dictionary, Int32, List, Uint16, Utf8, Vector, makeData } from 'apache-arrow';
import type { DataType, Field } from 'apache-arrow';
import { isUtf8 } from 'node:buffer';
import { columnText, copyBytes, isAsciiText, utf8ColumnBytes } from '../scapfile/bytes.js';

export { columnText, utf8ColumnBytes };

const INITIAL_BYTES = 1 << 16;
/** Rows a column has room for before it first grows. */
const INITIAL_ROWS = 1024;

/** `a` with room for at least `need` items: itself, or a copy twice as large (or more). */
function grown<A extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: A, need: number): A {
  if (need <= a.length) return a;
  let size = Math.max(16, a.length * 2);
  while (size < need) size *= 2;
  const next = new (a.constructor as new (n: number) => A)(size);
  next.set(a);
  return next;
}

/** The room a table builder gives its columns at first, for batches of up to `batchRows`. */
export function initialRows(batchRows: number): number {
  return Math.max(1, Math.min(batchRows, INITIAL_ROWS));
}

/** Rows of room for a column made with `capacity` (at least one). */
const roomFor = (capacity: number): number => Math.max(1, capacity);

/** Strings up to this length are UTF-8-encoded in JavaScript rather than by Buffer#write. */
const SHORT_STRING = 64;

/** Validity bits, one per row; all valid until `setNull` (rows past the bitmap's end are valid). */
class Validity {
  bits: Uint8Array;
  nullCount = 0;
  constructor(capacity: number) { this.bits = new Uint8Array((roomFor(capacity) + 7) >> 3).fill(0xff); }
  setNull(row: number): void {
    if ((row >> 3) >= this.bits.length) {
      const old = this.bits.length;
      this.bits = grown(this.bits, (row >> 3) + 1);
      this.bits.fill(0xff, old);
    }
    this.bits[row >> 3]! &= ~(1 << (row & 7));
    this.nullCount++;
  }
  /** The bitmap for `length` rows, or undefined when there are no nulls; then resets (read `nullCount` first). */
  take(length: number): Uint8Array | undefined {
    if (this.nullCount === 0) return undefined;
    const out = new Uint8Array((length + 7) >> 3).fill(0xff);
    out.set(this.bits.subarray(0, out.length));
    this.bits.fill(0xff);
    this.nullCount = 0;
    return out;
  }
}

/** Growable bytes plus Arrow offsets: the body of a utf8 or binary column. */
class ByteRows {
  bytes: Buffer;
  offsets: Int32Array;
  used = 0;
  rows = 0;
  /** The chars `appendText` gave the open row, OR-ed: 0x80 set when one is not ASCII. */
  private rowBits = 0;
  /** The open row's value as a string, once a piece held a char above 0xff. */
  private wideRow: string | undefined;
  constructor(capacity: number) {
    const rows = roomFor(capacity);
    this.offsets = new Int32Array(rows + 1);
    this.bytes = Buffer.allocUnsafe(Math.min(INITIAL_BYTES, rows * 64));
  }

  private reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }


  /**
   * Appends one value (strings here are latin1 decodings of the capture's
   * bytes) as `utf8ColumnBytes` says. ASCII, nearly every value, is copied in
   * a loop: Buffer#write is a native call costing more than the loop below
   * ~64 characters, and most values (names, paths, arguments) are that short.
   */
  pushString(s: string): void {
    const n = s.length;
    this.reserve(n * 3);
    let at = this.used;
    if (n <= SHORT_STRING) {
      const bytes = this.bytes;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) { at = this.writeEncoded(s); break; }
        bytes[at++] = c;
      }
    } else if (isAsciiText(s)) {
      at += this.bytes.write(s, at, 'latin1');
    } else {
      at = this.writeEncoded(s);
    }
    this.used = at;
    this.endRow();
  }

  /**
   * Appends a piece of the open row's value; `endText` closes the row. The
   * row's bytes are then those `pushString` gives the pieces joined (the
   * UTF-8 rule applies to the whole value), without joining them: pieces
   * are written as bytes, and only a row holding a byte of 0x80 or above is
   * looked at again.
   */
  appendText(s: string): void {
    if (this.wideRow !== undefined) { this.wideRow += s; return; }
    const n = s.length;
    this.reserve(n);
    const bytes = this.bytes;
    let at = this.used;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      bits |= c;
      bytes[at++] = c;
    }
    if (bits > 0xff) {
      // A char that is no byte (not from a capture): the rest of the row is joined as a string.
      const start = this.offsets[this.rows]!;
      this.wideRow = bytes.toString('latin1', start, this.used) + s;
      this.used = start;
      return;
    }
    this.used = at;
    this.rowBits |= bits;
  }

  /** Closes the row `appendText` filled. */
  endText(): void {
    const bits = this.rowBits;
    this.rowBits = 0;
    if (this.wideRow !== undefined) {
      const s = this.wideRow;
      this.wideRow = undefined;
      this.pushString(s);
      return;
    }
    const start = this.offsets[this.rows]!;
    if (bits >= 0x80 && !isUtf8(this.bytes.subarray(start, this.used))) {
      // Not UTF-8: the row again, written as utf8ColumnBytes writes such a value.
      const s = this.bytes.toString('latin1', start, this.used);
      this.used = start;
      this.reserve(s.length * 3);
      this.used = this.writeEncoded(s);
    }
    this.endRow();
  }

  /** Writes a non-ASCII value at `used` as `utf8ColumnBytes`; returns where it ends. */
  private writeEncoded(s: string): number {
    const encoded = utf8ColumnBytes(s);
    encoded.copy(this.bytes, this.used);
    return this.used + encoded.length;
  }

  pushBytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.bytes.set(b, this.used);
    this.used += b.length;
    this.endRow();
  }

  /** Appends `src[start, end)` without making a view of it (short copies loop, see copyBytes). */
  pushRange(src: Buffer, start: number, end: number): void {
    this.reserve(end - start);
    copyBytes(src, start, end, this.bytes, this.used);
    this.used += end - start;
    this.endRow();
  }

  /** Closes a row that received no bytes (empty or null). */
  pushEmpty(): void { this.endRow(); }

  private endRow(): void {
    if (this.rows + 1 >= this.offsets.length) this.offsets = grown(this.offsets, this.rows + 2);
    this.offsets[++this.rows] = this.used;
  }

  /** Forgets every row (keeping the memory). */
  clear(): void {
    this.used = 0;
    this.rows = 0;
  }

  /** Copies out the rows so far and resets. */
  take(): { offsets: Int32Array; bytes: Uint8Array; rows: number } {
    const out = { offsets: this.offsets.slice(0, this.rows + 1), bytes: new Uint8Array(this.bytes.subarray(0, this.used)), rows: this.rows };
    this.used = 0;
    this.rows = 0;
    return out;
  }
}

/** A 64-bit integer column written as (lo, hi) u32 pairs, so no BigInt is made per row. */
export class Int64Column<T extends DataType> {
  private words: Uint32Array;
  private readonly validity: Validity;
  private rows = 0;
  constructor(readonly type: T, capacity: number) {
    this.words = new Uint32Array(roomFor(capacity) * 2);
    this.validity = new Validity(capacity);
  }
  /** Makes room for `rows` rows in all (push writes past the room are lost). */
  reserve(rows: number): void { this.words = grown(this.words, rows * 2); }
  /** Appends a number (exact within ±2^53). */
  push(v: number): void {
    const i = this.rows++ * 2;
    this.words[i] = v >>> 0;
    this.words[i + 1] = Math.floor(v / 4294967296) >>> 0;
  }
  /** Appends a value a number cannot hold exactly (past ±2^53: a damaged capture's fd, an lseek far out). */
  pushBigInt(v: bigint): void {
    this.pushWords(Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n)));
  }
  /** Appends the raw (lo, hi) words, e.g. a timestamp straight from the event header. */
  pushWords(lo: number, hi: number): void {
    const i = this.rows++ * 2;
    this.words[i] = lo;
    this.words[i + 1] = hi;
  }
  pushNull(): void {
    this.validity.setNull(this.rows);
    const i = this.rows++ * 2;
    this.words[i] = 0;
    this.words[i + 1] = 0;
  }
  flush(): Data<T> {
    const length = this.rows;
    const words = this.words.slice(0, length * 2);
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    this.rows = 0;
    const isUnsigned = 'isSigned' in this.type && this.type.isSigned === false;
    const data = isUnsigned ? new BigUint64Array(words.buffer) : new BigInt64Array(words.buffer);
    // makeData's overloads are per concrete type; this column serves Int64, Uint64 and Timestamp alike.
    const make = makeData as unknown as (props: object) => Data<T>;
    return make({ type: this.type, length, nullCount, nullBitmap, data });
  }
}

/** A u16 column. */
export class Uint16Column {
  readonly type = new Uint16();
  private values: Uint16Array;
  private rows = 0;
  constructor(capacity: number) { this.values = new Uint16Array(roomFor(capacity)); }
  /** Makes room for `rows` rows in all (push writes past the room are lost). */
  reserve(rows: number): void { this.values = grown(this.values, rows); }
  push(v: number): void { this.values[this.rows++] = v; }
  flush(): Data<Uint16> {
    const length = this.rows;
    this.rows = 0;
    return makeData({ type: this.type, length, nullCount: 0, data: this.values.slice(0, length) });
  }
}

/** Variable-length values with a validity bitmap: what utf8 and binary columns share. */
abstract class NullableBytesColumn<T extends Utf8 | Binary> {
  protected readonly body: ByteRows;
  private readonly validity: Validity;
  constructor(readonly type: T, capacity: number) {
    this.body = new ByteRows(capacity);
    this.validity = new Validity(capacity);
  }
  pushNull(): void { this.validity.setNull(this.body.rows); this.body.pushEmpty(); }
  /** Nothing to do: the values and the null bitmap grow by themselves (there for the table builder). */
  reserve(_rows: number): void {}
  /** The rows so far as makeData's fields (less the type), starting a new batch. */
  protected takeParts(): { length: number; nullCount: number; nullBitmap: Uint8Array | undefined; valueOffsets: Int32Array; data: Uint8Array } {
    const { offsets, bytes, rows } = this.body.take();
    const nullCount = this.validity.nullCount;
    return { length: rows, nullCount, nullBitmap: this.validity.take(rows), valueOffsets: offsets, data: bytes };
  }
}

/** A utf8 column (values with few repeats, e.g. fd names and rendered arguments). */
export class Utf8Column extends NullableBytesColumn<Utf8> {
  constructor(capacity: number) { super(new Utf8(), capacity); }
  push(s: string | undefined): void {
    if (s === undefined) this.pushNull(); else this.body.pushString(s);
  }
  /** Appends a piece of the next value (ArgsFormatter.argsTo's sink); `endText` ends the value. */
  text(s: string): void { this.body.appendText(s); }
  endText(): void { this.body.endText(); }
  flush(): Data<Utf8> { return makeData({ type: this.type, ...this.takeParts() }); }
}

/** A binary column (an event's I/O buffer): bytes copied in as stored, null when absent. */
export class BinaryColumn extends NullableBytesColumn<Binary> {
  constructor(capacity: number) { super(new Binary(), capacity); }
  push(b: Uint8Array | undefined): void {
    if (b === undefined) this.pushNull(); else this.body.pushBytes(b);
  }
  /** Appends `src[start, end)`, e.g. a parameter in place in the reader's batch. */
  pushRange(src: Buffer, start: number, end: number): void { this.body.pushRange(src, start, end); }
  flush(): Data<Binary> { return makeData({ type: this.type, ...this.takeParts() }); }
}

/** A list<binary> column: each row a list of byte strings (an event's raw parameters). */
export class BinaryListColumn {
  readonly type: List<Binary>;
  private readonly items: ByteRows;
  private listOffsets: Int32Array;
  private rows = 0;
  constructor(itemField: Field<Binary>, capacity: number) {
    this.type = new List(itemField);
    this.items = new ByteRows(capacity * 4);
    this.listOffsets = new Int32Array(roomFor(capacity) + 1);
  }
  pushItem(b: Uint8Array): void { this.items.pushBytes(b); }
  /** Appends `src[start, end)` as the next item of the current row. */
  pushItemRange(src: Buffer, start: number, end: number): void { this.items.pushRange(src, start, end); }
  /** Ends the current row after its items were pushed. */
  /** Makes room for `rows` rows in all (rows ended past the room are lost); items grow by themselves. */
  reserve(rows: number): void { this.listOffsets = grown(this.listOffsets, rows + 1); }
  endRow(): void { this.listOffsets[++this.rows] = this.items.rows; }
  flush(): Data<List<Binary>> {
    const length = this.rows;
    const valueOffsets = this.listOffsets.slice(0, length + 1);
    const { offsets, bytes, rows } = this.items.take();
    const child = makeData({ type: this.type.children[0]!.type, length: rows, nullCount: 0, valueOffsets: offsets, data: bytes });
    this.rows = 0;
    this.listOffsets[0] = 0;
    return makeData({ type: this.type, length, nullCount: 0, valueOffsets, child });
  }
}

/** How a flushed dictionary column carries its dictionary. */
export type DictionaryMode =
  /** The same first chunk every time plus one chunk per batch of new values (IPC delta dictionaries). */
  | 'delta'
  /** One chunk holding every value so far (for consumers that reject delta dictionaries). */
  | 'whole'
  /** 'delta' that starts afresh past `DICTIONARY_RESTART_LIMIT` values: the IPC stream format takes a replacement dictionary, the file format does not. */
  | 'replace';

/**
 * In 'whole' and 'replace' mode, a dictionary that reached this many values
 * starts afresh after the batch that reached it. In 'whole' mode each batch
 * carries its whole dictionary, so one kept for the whole export made every
 * batch cost more than the one before: 2M distinct command lines over 120
 * batches took 22 s and 6.9 GB of IPC for that column alone. In both, its
 * memory (and a stream reader's) grew without bound.
 */
export const DICTIONARY_RESTART_LIMIT = 1 << 16;

/**
 * A dictionary<int32, utf8> column whose dictionary lives across batches:
 * values are interned once for the whole export, so index i means the same
 * string in every batch and the IPC writers only send the new values
 * (dictionary replacement would be rejected by the Arrow file format).
 * In 'whole' and 'replace' mode it lives until it reaches `DICTIONARY_RESTART_LIMIT` values.
 */
export class DictionaryColumn {
  readonly type: Dictionary<Utf8, Int32>;
  private readonly ids = new Map<string, number>();
  private indices: Int32Array;
  private readonly validity: Validity;
  private rows = 0;
  /** Every value so far, in index order. */
  private readonly values = new ByteRows(64);
  /** Delta chunks already handed out, and how many values they cover. */
  private readonly chunks: Data<Utf8>[] = [];
  private covered = 0;
  private lastValue: string | undefined;
  private lastId = 0;
  /** The last whole dictionary handed out, reused while no value was added. */
  private whole: Vector<Utf8> | undefined;
  private restarts = 0;

  /**
   * `id` numbers the dictionary within its table: left to apache-arrow, ids
   * came from a counter global to the process, so a second export of the
   * same capture in one process wrote a different file.
   */
  constructor(capacity: number, id: number) {
    this.type = new Dictionary(new Utf8(), new Int32(), id);
    this.indices = new Int32Array(roomFor(capacity));
    this.validity = new Validity(capacity);
  }

  push(s: string | undefined): void {
    if (s === undefined) this.pushNull(); else this.indices[this.rows++] = this.idOf(s);
  }

  pushNull(): void {
    this.validity.setNull(this.rows);
    this.indices[this.rows++] = 0;
  }

  /** Makes room for `rows` rows in all (values pushed past the room are lost). */
  reserve(rows: number): void { this.indices = grown(this.indices, rows); }

  /** Appends a value by the index `idOf` gave it (callers that cache indices per event type or thread). */
  pushId(id: number): void { this.indices[this.rows++] = id; }

  /**
   * The dictionary index of `s`, interning it if new. The last answer is kept:
   * consecutive rows often repeat a value (the same thread, the same object),
   * and comparing with it is cheaper than hashing a string that was just built.
   */
  idOf(s: string): number {
    if (s === this.lastValue) return this.lastId;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(s, id);
      this.values.pushString(s);
    }
    this.lastValue = s;
    this.lastId = id;
    return id;
  }

  /** Number of distinct values so far. */
  get size(): number { return this.ids.size; }

  /** Changes when the dictionary starts afresh: indices `idOf` gave before are void. */
  get generation(): number { return this.restarts; }

  flush(mode: DictionaryMode): Data<Dictionary<Utf8, Int32>> {
    const length = this.rows;
    this.rows = 0;
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    const dictionary = mode === 'whole' ? this.wholeDictionary() : this.deltaDictionary();
    const data = makeData({
      type: this.type, length, nullCount, nullBitmap,
      data: this.indices.slice(0, length), dictionary,
    });
    if (mode !== 'delta' && this.ids.size >= DICTIONARY_RESTART_LIMIT) this.restart();
    return data;
  }

  /**
   * Forgets every value (the batches handed out keep their own dictionaries).
   * The next delta dictionary has a new first chunk: the IPC stream writer
   * sends it as a replacement.
   */
  private restart(): void {
    this.ids.clear();
    this.values.clear();
    this.whole = undefined;
    this.chunks.length = 0;
    this.covered = 0;
    this.lastValue = undefined;
    this.restarts++;
  }

  private valueData(from: number, to: number): Data<Utf8> {
    const all = this.values.offsets;
    const base = all[from]!;
    const offsets = new Int32Array(to - from + 1);
    for (let i = from; i <= to; i++) offsets[i - from] = all[i]! - base;
    return makeData({ type: new Utf8(), length: to - from, nullCount: 0, valueOffsets: offsets, data: new Uint8Array(this.values.bytes.subarray(base, all[to]!)) });
  }

  private deltaDictionary(): Vector<Utf8> {
    const n = this.ids.size;
    // The first chunk always exists (possibly empty) so the writers see the same data[0].
    if (this.chunks.length === 0 || n > this.covered) {
      this.chunks.push(this.valueData(this.covered, n));
      this.covered = n;
    }
    return new Vector(this.chunks.slice());
  }

  private wholeDictionary(): Vector<Utf8> {
    if (this.whole === undefined || this.whole.length !== this.ids.size) this.whole = new Vector([this.valueData(0, this.ids.size)]);
    return this.whole;
  }
}
