// Builders for synthetic state block bodies, written from the writer side of
// the format (falcosecurity/libs 48dfd53 userspace/libscap/scap_savefile.c:
// scap_write_proclist_entry_bufs, scap_fd_write_to_disk, scap_write_iflist,
// scap_write_userlist) and, for older versions, from the field lists of
// engine/savefile/scap_savefile.c. Also a tiny walker over real captures.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';
import type { ThreadInfo } from '../../scapfile/state-blocks/index.js';

/** Appends little-endian values; `build()` joins them. */
export class Bytes {
  private readonly parts: Buffer[] = [];
  length = 0;

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  u8(v: number): this { const b = Buffer.alloc(1); b.writeUInt8(v); return this.push(b); }
  u16(v: number): this { const b = Buffer.alloc(2); b.writeUInt16LE(v); return this.push(b); }
  u32(v: number): this { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return this.push(b); }
  i64(v: number | bigint): this { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return this.push(b); }
  u64(v: number | bigint): this { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return this.push(b); }
  raw(v: Buffer | string | number[]): this {
    return this.push(typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v));
  }
  /** u16 length, then the bytes (no NUL), as libscap writes strings. */
  str16(v: Buffer | string): this {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    return this.u16(b.length).push(b);
  }
  /** IPv4 dotted quad in network byte order. */
  ipv4(s: string): this { return this.raw(s.split('.').map(Number)); }
  /** 16 raw bytes given as hex (32 digits). */
  ipv6hex(hex: string): this { return this.raw(Buffer.from(hex, 'hex')); }
  build(): Buffer { return Buffer.concat(this.parts, this.length); }
}

/** NUL-separated list as /proc and the writers store it: every item NUL-terminated. */
export function nulList(items: string[]): Buffer {
  return Buffer.from(items.map((s) => s + '\0').join(''), 'utf8');
}

/** A full block (header, body, zero padding to 4, trailer). */
export function frameBlock(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 8 + body.length + pad + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type >>> 0, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/**
 * Places a framed block at `prefix` bytes into a buffer, as a reader holding
 * part of a file would, and returns what a state block parser is given. The
 * body range ends before the trailer, so it includes the padding.
 */
export function placeBlock(type: number, body: Buffer, prefix = 13): { buf: Buffer; start: number; end: number } {
  const block = frameBlock(type, body);
  const buf = Buffer.concat([Buffer.alloc(prefix, 0xee), block, Buffer.alloc(7, 0xee)]);
  return { buf, start: prefix + 8, end: prefix + block.length - 4 };
}

/** The trailing V9 fields, in the order writers emit them. */
export const V9_TRAILING_FIELDS = [
  'pidnsInitStartTsNs', 'tty', 'loginuid', 'exeWritable', 'capInheritable', 'capPermitted', 'capEffective',
  'exeUpperLayer', 'exeIno', 'exeInoCtimeNs', 'exeInoMtimeNs', 'exeFromMemfd', 'exeLowerLayer', 'pgid',
] as const;
export type V9TrailingField = (typeof V9_TRAILING_FIELDS)[number];

function writeTrailing(b: Bytes, t: ThreadInfo, f: V9TrailingField): void {
  switch (f) {
    case 'pidnsInitStartTsNs': b.u64(t.pidnsInitStartTsNs); break;
    case 'tty': b.u32(t.tty); break;
    case 'loginuid': b.u32(t.loginuid); break;
    case 'exeWritable': b.u8(t.exeWritable ? 1 : 0); break;
    case 'capInheritable': b.u64(t.capInheritable); break;
    case 'capPermitted': b.u64(t.capPermitted); break;
    case 'capEffective': b.u64(t.capEffective); break;
    case 'exeUpperLayer': b.u8(t.exeUpperLayer ? 1 : 0); break;
    case 'exeIno': b.u64(t.exeIno); break;
    case 'exeInoCtimeNs': b.u64(t.exeInoCtimeNs); break;
    case 'exeInoMtimeNs': b.u64(t.exeInoMtimeNs); break;
    case 'exeFromMemfd': b.u8(t.exeFromMemfd ? 1 : 0); break;
    case 'exeLowerLayer': b.u8(t.exeLowerLayer ? 1 : 0); break;
    case 'pgid': b.i64(t.pgid); break;
  }
}

export interface ThreadEntryOptions {
  /** V9: which trailing fields to write (default: all, as current writers do). */
  trailing?: readonly V9TrailingField[];
  /** V9: bytes appended after the known fields (a newer writer's fields). */
  extra?: Buffer;
  /** V9: the entry length to declare instead of the real one. */
  declaredLen?: number;
  /** Raw args bytes instead of `nulList(t.args)`. */
  argsRaw?: Buffer;
}

/** One process list entry of layout `version` (1..9) holding `t`. */
export function threadEntry(version: number, t: ThreadInfo, opts: ThreadEntryOptions = {}): Buffer {
  const b = new Bytes();
  b.i64(t.tid).i64(t.pid).i64(t.ptid);
  if (version >= 6) b.i64(t.sid);
  if (version >= 8) b.i64(t.vpgid);
  b.str16(t.comm).str16(t.exe);
  if (version >= 7) b.str16(t.exepath);
  b.str16(opts.argsRaw ?? nulList(t.args)).str16(t.cwd);
  b.i64(t.fdlimit).u32(t.flags).u32(t.uid).u32(t.gid);
  if (version >= 2) b.u32(t.vmsizeKb).u32(t.vmrssKb).u32(t.vmswapKb).u64(t.pfmajor).u64(t.pfminor);
  if (version >= 3) b.str16(nulList(t.env));
  if (version >= 4) b.i64(t.vtid).i64(t.vpid).str16(nulList(t.cgroups));
  if (version >= 5) b.str16(t.root);
  if (version < 9) return b.build();
  for (const f of opts.trailing ?? V9_TRAILING_FIELDS) writeTrailing(b, t, f);
  if (opts.extra) b.raw(opts.extra);
  const body = b.build();
  const len = new Bytes().u32(opts.declaredLen ?? body.length + 4).build();
  return Buffer.concat([len, body]);
}

/** A thread with a non-default value in every field, so tests see each one land. */
export function sampleThread(tid = 4242): ThreadInfo {
  return {
    tid, pid: tid - 1, ptid: 77, sid: 1001, vpgid: 1002, pgid: 1003,
    comm: 'worker', exe: '/usr/bin/worker', exepath: '/opt/worker/bin/worker',
    args: ['-x', 'two words', ''], env: ['HOME=/root', 'LANG=C'], cwd: '/srv',
    fdlimit: 65536, flags: 0x2001, uid: 1000, gid: 1001, loginuid: 1000,
    vmsizeKb: 12345, vmrssKb: 2345, vmswapKb: 5, pfmajor: 17, pfminor: 9999,
    vtid: 12, vpid: 11, cgroups: ['cpu=/docker/abc', 'memory=/docker/abc'], root: '/var/lib/root', tty: 34816,
    pidnsInitStartTsNs: 1_534_500_000_123_456_789n, cloneTsNs: 0n,
    exeWritable: true, exeUpperLayer: true, exeLowerLayer: true, exeFromMemfd: true,
    capInheritable: 0x1n, capPermitted: 0x1ffffffffffn, capEffective: 0xa80425fbn,
    exeIno: 0x1_0000_0001n, exeInoCtimeNs: 1_700_000_000_000_000_001n, exeInoMtimeNs: 1_700_000_000_000_000_002n,
  };
}

/** An fd list entry head: [V2 length] fd, ino, type; the caller appends the payload. */
export function fdEntry(version: 1 | 2, fd: number, ino: bigint, type: number, payload: Buffer, declaredLen?: number): Buffer {
  const head = new Bytes().i64(fd).u64(ino).u8(type).raw(payload).build();
  if (version === 1) return head;
  return Buffer.concat([new Bytes().u32(declaredLen ?? head.length + 4).build(), head]);
}

/** An fd list body: tid, then the entries. */
export function fdListBody(tid: number, entries: Buffer[]): Buffer {
  return Buffer.concat([new Bytes().i64(tid).build(), ...entries]);
}

/** An interface list entry; `v2Extra` adds bytes a newer writer might append (V2 only). */
export function interfaceEntry(
  version: 1 | 2,
  type: number,
  name: string,
  addrs: Buffer,
  linkspeed: bigint | undefined,
  v2Extra?: Buffer,
): Buffer {
  const b = new Bytes().u16(type).u16(Buffer.byteLength(name)).raw(addrs);
  if (linkspeed !== undefined) b.u64(linkspeed);
  b.raw(name);
  if (v2Extra) b.raw(v2Extra);
  const body = b.build();
  // IL_V2 lengths do not count the length field itself (scap_write_iflist).
  return version === 1 ? body : Buffer.concat([new Bytes().u32(body.length).build(), body]);
}

/** A user list entry (kind 0) or group entry (any other kind). */
export function userEntry(version: 1 | 2, user: { uid: number; gid: number; name: string; homedir: string; shell: string }, extra?: Buffer): Buffer {
  const b = new Bytes().u8(0).u32(user.uid).u32(user.gid).str16(user.name).str16(user.homedir).str16(user.shell);
  if (extra) b.raw(extra);
  return sized(version, b.build());
}

export function groupEntry(version: 1 | 2, group: { gid: number; name: string }, kind = 1, extra?: Buffer): Buffer {
  const b = new Bytes().u8(kind).u32(group.gid).str16(group.name);
  if (extra) b.raw(extra);
  return sized(version, b.build());
}

/** UL_V2 lengths count the length field itself (scap_write_userlist). */
function sized(version: 1 | 2, body: Buffer): Buffer {
  return version === 1 ? body : Buffer.concat([new Bytes().u32(body.length + 4).build(), body]);
}

/** A machine info body (180 bytes) plus optional trailing bytes. */
export function machineInfoBody(
  m: { numCpus: number; memorySizeBytes: number; maxPid: number; hostname: string; bootTsEpochNs: bigint; flags: bigint; reserved3: bigint; reserved4: bigint },
  extra?: Buffer,
): Buffer {
  const host = Buffer.alloc(128);
  host.write(m.hostname, 'utf8');
  const b = new Bytes().u32(m.numCpus).u64(m.memorySizeBytes).u64(m.maxPid).raw(host)
    .u64(m.bootTsEpochNs).u64(m.flags).u64(m.reserved3).u64(m.reserved4);
  if (extra) b.raw(extra);
  return b.build();
}

// ---- real captures ----

// The project's own copies (fixtures/README.md): tests must not need ../shared.
export const CAPTURES_DIR = join(ROOT, 'fixtures', 'captures');
export const GOLDEN_DIR = join(ROOT, 'fixtures', 'golden');

/** The decompressed bytes of a fixture capture. */
export function loadCapture(name: string): Buffer {
  return gunzipSync(readFileSync(`${CAPTURES_DIR}/${name}.scap`));
}

export interface RawBlock {
  type: number;
  offset: number;
  len: number;
  /** Body start and end (end excludes the trailer, includes any padding). */
  start: number;
  end: number;
}

/** Every block of a decompressed capture, in order (no validation beyond framing). */
export function walkBlocks(raw: Buffer): RawBlock[] {
  const out: RawBlock[] = [];
  let off = 0;
  while (off + 12 <= raw.length) {
    const type = raw.readUInt32LE(off);
    const len = raw.readUInt32LE(off + 4);
    if (len < 12 || off + len > raw.length) throw new Error(`bad block framing at ${off}`);
    out.push({ type, offset: off, len, start: off + 8, end: off + len - 4 });
    off += len;
  }
  return out;
}
