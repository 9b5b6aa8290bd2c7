import { isUtf8 } from 'node:buffer';

/**
 * Copies `src[start, end)` to `dst[at]`. Events are short (tens of bytes),
 * and Buffer#copy costs a native call plus a view allocation in Node 20 —
 * more than a plain loop up to about 64 bytes — so short copies loop.
 */
export function copyBytes(src: Buffer, start: number, end: number, dst: Buffer, at: number): void {
  if (end - start > 64) {
    src.copy(dst, at, start, end);
    return;
  }
  for (let i = start; i < end; i++) dst[at++] = src[i]!;
}

/**
 * Copies `src[start, end)` to `dst[at]` through DataViews, four bytes per
 * access: in Node 20 a byte-indexed loop costs several ns per byte, which
 * dominated converting old captures (every event's bytes are copied once).
 * Little-endian on both sides, so the bytes land unchanged.
 */
export function copyView(src: DataView, start: number, end: number, dst: DataView, at: number): void {
  let i = start;
  for (const last = end - 4; i <= last; i += 4, at += 4) dst.setInt32(at, src.getInt32(i, true), true);
  for (; i < end; i++, at++) dst.setUint8(at, src.getUint8(i));
}

/**
 * A DataView over a Buffer's bytes. Hot paths read through it: in Node 20,
 * `buf.readUInt32LE(i)` costs about 15 ns and `view.getUint32(i, true)`
 * about 2 ns on this machine kind (bench numbers in bench/README.md).
 */
export function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

// Little-endian reads and writes for hot paths that hold a Buffer rather
// than a view: byte indexing costs about 3 ns where Buffer#readUInt32LE
// costs about 15 ns in Node 20. No bounds check beyond the typed array's:
// callers read only inside events the reader has validated.

/** u16 at `at`. */
export function u16(b: Buffer, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

/** u32 at `at`. */
export function u32(b: Buffer, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 16777216;
}

/** i32 at `at`. */
export function i32(b: Buffer, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
}

/** Writes u16 `v` at `at`. */
export function w16(b: Buffer, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
}

/** Writes u32 `v` at `at`. */
export function w32(b: Buffer, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

/**
 * Splits the NUL-separated list in `buf[s, e)` the way sinsp does (libsinsp
 * threadinfo.cpp set_args/set_env/set_cgroups with sinsp_split): drop one
 * trailing NUL, then split on every NUL, keeping empty items; no bytes means
 * no items. Items are latin1 like every capture string here. Decoded with
 * one native call and split as a string: a call per item (an execve's
 * environment has dozens) cost most of replaying execve and clone events.
 */
export function splitNulList(buf: Buffer, s: number, e: number): string[] {
  if (e > s && buf[e - 1] === 0) e--;
  if (e <= s) return [];
  return buf.toString('latin1', s, e).split('\0');
}

/**
 * Text a user typed (a filter value, a format's literal text: UTF-8 on the
 * command line) in the form capture strings take here, one char per byte
 * (latin1): "café" then compares with, and prints as, the bytes c3 a9 that
 * a capture records, as sinsp compares and prints bytes.
 */
export function userTextAsCaptureText(s: string): string {
  return isAsciiText(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

const ASCII = /^[\x00-\x7f]*$/;

/** Whether every char of `s` is ASCII: such text is the same bytes whatever the encoding. */
export function isAsciiText(s: string): boolean {
  return ASCII.test(s);
}

/**
 * The bytes a string column holds for a capture string (one char per byte):
 * the capture's bytes themselves when they are UTF-8, as paths and names
 * mostly are, so "café" reads back as "café"; otherwise each byte as the
 * character of that code (its UTF-8 encoding), which keeps the column valid
 * UTF-8 and loses nothing. Partition paths use the same bytes.
 */
export function utf8ColumnBytes(s: string): Buffer {
  let wide = false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) { wide = true; break; }
  if (!wide) {
    const raw = Buffer.from(s, 'latin1');
    if (isUtf8(raw)) return raw;
  }
  return Buffer.from(s, 'utf8');
}

/**
 * A capture's text as the JavaScript string whose UTF-8 encoding is
 * utf8ColumnBytes' bytes: for builders (apache-arrow's vectorFromArray) that
 * encode strings themselves, which would otherwise encode each byte of a
 * UTF-8 name as a character of its own (café as cafÃ©).
 */
export function columnText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return s;
    if (c >= 0x80) {
      const raw = Buffer.from(s, 'latin1');
      return isUtf8(raw) ? raw.toString('utf8') : s;
    }
  }
  return s;
}
