// A bounds-checked little-endian cursor over one state block body. Every read
// checks the bytes left in the current window (the block body, or one entry of
// it when the entry declares its length) before touching the buffer, so a bad
// length ends in a ScapFormatError that names the field and its absolute
// offset, never in a RangeError, an over-read into the next block, or an
// allocation sized by an unchecked number.

import { splitNulList } from '../bytes.js';
import { ScapFormatError, entryTooLong, scapMessage, stringTooLong, truncatedField } from '../errors.js';
import type { StateBlockContext } from './types.js';

/** Bytes of the block header (type, total length) before the body. */
const BLOCK_HEADER_LEN = 8;

/** Cursor over `buf[start, end)`; `limit` narrows to an entry with `enterEntry`. */
export class BodyReader {
  pos: number;
  /** End of the current window: the body end, or the end of the current entry. */
  limit: number;
  /** `stringList`'s arrays by their bytes (as latin1). */
  private readonly lists = new Map<string, string[]>();

  constructor(
    readonly buf: Buffer,
    readonly start: number,
    readonly end: number,
    readonly ctx: StateBlockContext,
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new RangeError(`state block body [${start}, ${end}) is outside the buffer of ${buf.length} bytes`);
    }
    this.pos = start;
    this.limit = end;
  }

  /** Bytes left in the current window. */
  get left(): number {
    return this.limit - this.pos;
  }

  /** Bytes left in the whole body, ignoring any entry window. */
  get leftInBody(): number {
    return this.end - this.pos;
  }

  /** Absolute file offset of buffer position `p`. */
  offsetOf(p: number): number {
    return this.ctx.blockOffset + BLOCK_HEADER_LEN + (p - this.start);
  }

  /** Throws a ScapFormatError located at buffer position `at`. */
  fail(detail: string, at: number = this.pos): never {
    const position = { offset: this.offsetOf(at), blockType: this.ctx.blockType, blockOffset: this.ctx.blockOffset };
    throw new ScapFormatError(scapMessage(detail, position), position);
  }

  /** Ensures `n` more bytes are in the window. */
  need(n: number, what: string): void {
    if (this.limit - this.pos < n) this.fail(truncatedField(what, n, this.limit - this.pos));
  }

  /**
   * Narrows the window to an entry of `len` bytes starting at `entryStart`
   * (which may be before `pos` when the length field counts itself). The
   * length is checked against the body before anything uses it.
   */
  enterEntry(what: string, entryStart: number, len: number, lenAt: number): void {
    const left = this.end - entryStart;
    if (len > left) this.fail(entryTooLong(what, len, left), lenAt);
    this.limit = entryStart + len;
  }

  /** Moves to the end of the current entry window and widens it back to the body. */
  leaveEntry(): void {
    this.pos = this.limit;
    this.limit = this.end;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Signed 64-bit as a number (exact within ±2^53; -1 stays -1). */
  i64(what: string): number {
    this.need(8, what);
    const v = this.buf.readInt32LE(this.pos + 4) * 4294967296 + this.buf.readUInt32LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned 64-bit as a number (exact below 2^53). */
  u64n(what: string): number {
    this.need(8, what);
    const v = this.buf.readUInt32LE(this.pos + 4) * 4294967296 + this.buf.readUInt32LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Unsigned 64-bit as a bigint. */
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /**
   * A `u16 length` + bytes string. `max` is the largest length libscap
   * accepts for that field; the bytes must also fit the window. Returns the
   * byte range so callers can decode or split it.
   */
  lengthPrefixed(what: string, max: number): [number, number] {
    const lenAt = this.pos;
    const len = this.u16(`${what} length`);
    if (len > max) this.fail(stringTooLong(what, len, max), lenAt);
    if (len > this.limit - this.pos) this.fail(entryTooLong(what, len, this.limit - this.pos), lenAt);
    const s = this.pos;
    this.pos += len;
    return [s, this.pos];
  }

  /** A length-prefixed C string: decoded up to its first NUL. */
  string(what: string, max: number): string {
    const [s, e] = this.lengthPrefixed(what, max);
    return cString(this.buf, s, e);
  }

  /**
   * A length-prefixed NUL-separated list (args, env, cgroups), one array for
   * equal bytes within this block: the threads of a process, and processes
   * started alike, repeat their environment, arguments and cgroups (a
   * process list of 5,113 threads held 27 MB of them, copy after copy). The
   * arrays are shared: nobody may change them.
   */
  stringList(what: string, max: number): string[] {
    const [s, e] = this.lengthPrefixed(what, max);
    if (s === e) return [];
    const key = this.buf.toString('latin1', s, e);
    let list = this.lists.get(key);
    if (list === undefined) {
      list = splitNulList(this.buf, s, e);
      this.lists.set(key, list);
    }
    return list;
  }

  /** Fixed-size C string field (e.g. a char[128]). */
  fixedString(len: number, what: string): string {
    this.need(len, what);
    const s = cString(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** An IPv4 address stored in network byte order. */
  ipv4(what: string): string {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
  }

  /** An IPv6 address (16 bytes, network byte order). */
  ipv6(what: string): string {
    this.need(16, what);
    const s = formatIpv6(this.buf, this.pos);
    this.pos += 16;
    return s;
  }
}

/** Decodes `buf[s, e)` up to the first NUL, one char per byte (latin1), so output puts back the exact bytes. */
export function cString(buf: Buffer, s: number, e: number): string {
  const nul = buf.indexOf(0, s);
  return buf.toString('latin1', s, nul >= 0 && nul < e ? nul : e);
}

/**
 * Formats 16 bytes as inet_ntop(AF_INET6) does (glibc): lowercase hex groups,
 * the first longest run of two or more zero groups as `::`, and the last 32
 * bits as a dotted quad for IPv4-mapped (`::ffff:a.b.c.d`) and
 * IPv4-compatible (`::a.b.c.d`) addresses.
 */
export function formatIpv6(buf: Uint8Array, p: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((buf[p + 2 * i]! << 8) | buf[p + 2 * i + 1]!);
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    const embedsIpv4 = i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff));
    if (embedsIpv4) {
      out += `${buf[p + 12]}.${buf[p + 13]}.${buf[p + 14]}.${buf[p + 15]}`;
      return out;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}
