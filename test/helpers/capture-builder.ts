// A small writer of synthetic scap captures for the reader's tests: a section
// header (with or without pcapng options), any block framed with padding to 4
// bytes and a trailer, event blocks of every kind (pre-1.2 EV/EV_INT/EVF with
// the 22-byte event header; EV_V2/EVF_V2/EV_V2_LARGE/EVF_V2_LARGE with the
// 26-byte one), and output as plain, gzip or zstd. Layouts follow the writer
// side of falcosecurity/libs 48dfd53 (userspace/libscap/scap_savefile.c:
// scap_write_section_header, scap_write_event) and the pre-1.2 reader path of
// engine/savefile/scap_savefile.c (next_event_from_file).
//
// ```ts
// const cap = new CaptureBuilder().sectionHeader();
// cap.block(BlockType.MACHINE_INFO, machineInfoBody(mi));
// cap.event(BlockType.EVENT_V2, { type: EventType.SYSCALL_OPEN_X, params: [i64(3), str('/etc')] });
// const bytes = cap.build();
// ```

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress } from 'zstd-napi';
import { EventCursor } from '../../scapfile/event-cursor.js';
import type { EventBatch } from '../../scapfile/event-batch.js';
import { openCapture } from '../../scapfile/open-capture.js';
import type { Capture, OpenCaptureOptions } from '../../scapfile/open-capture.js';
import { BlockType, eventBlockHasFlags, eventBlockKind, EventBlockKind, SECTION_MAGIC } from '../../scapfile/block-types.js';
import { encodeEvent } from './event-builder.js';
import type { EventSpec } from './event-builder.js';
import { frameBlock } from './state-block-builders.js';

export { frameBlock };
export type { EventSpec };

/** Fields of a section header block; defaults are what libscap writes today. */
export interface SectionHeaderSpec {
  magic?: number;
  major?: number;
  minor?: number;
  /** -1 when unknown (libscap's writer always stores -1). */
  sectionLength?: bigint;
  /** pcapng options after the fixed fields (libscap skips them). */
  options?: Buffer;
}

/** A framed section header block. */
export function sectionHeaderBlock(spec: SectionHeaderSpec = {}): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE((spec.magic ?? SECTION_MAGIC) >>> 0, 0);
  fixed.writeUInt16LE(spec.major ?? 1, 4);
  fixed.writeUInt16LE(spec.minor ?? 2, 6);
  fixed.writeBigInt64LE(spec.sectionLength ?? -1n, 8);
  return frameBlock(BlockType.SECTION_HEADER, Buffer.concat([fixed, spec.options ?? Buffer.alloc(0)]));
}

/** pcapng options: (u16 code, u16 length, value padded to 4)…, then opt_endofopt. */
export function pcapngOptions(options: ReadonlyArray<readonly [number, Buffer | string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [code, v] of options) {
    const value = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    const head = Buffer.alloc(4);
    head.writeUInt16LE(code, 0);
    head.writeUInt16LE(value.length, 2);
    parts.push(head, value, Buffer.alloc((4 - (value.length % 4)) % 4));
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

/** How a pre-1.2 event is written: the header has no nparams field. */
export interface V1EventOptions {
  /** Added to the stored event length (old writers stored NOTIFICATION_E lengths 3 bytes too long). */
  lenDelta?: number;
}

/** The bytes of a pre-1.2 event: u64 ts, u64 tid, u32 len, u16 type, u16 lengths, parameter bytes. */
export function encodeV1Event(spec: EventSpec, opts: V1EventOptions = {}): Buffer {
  const n = spec.params.length;
  const dataLen = spec.params.reduce((a, p) => a + p.length, 0);
  const total = 22 + n * 2 + dataLen;
  const b = Buffer.alloc(total);
  b.writeBigUInt64LE(spec.ts ?? 1_000_000_000n, 0);
  b.writeBigInt64LE(BigInt(spec.tid ?? 1), 8);
  b.writeUInt32LE(total + (opts.lenDelta ?? 0), 16);
  b.writeUInt16LE(spec.type, 20);
  let at = 22;
  for (const p of spec.params) { b.writeUInt16LE(p.length, at); at += 2; }
  for (const p of spec.params) { p.copy(b, at); at += p.length; }
  return b;
}

/** Block-level facts of an event block. */
export interface EventBlockOptions {
  cpu?: number;
  /** Flags of EVF blocks (ignored for blocks without flags). */
  flags?: number;
  /** Bytes after the event inside the block body (libscap ignores them). */
  trailing?: Buffer;
}

/** Frames already-encoded event bytes as an event block of `blockType`. */
export function eventBlockFromBytes(blockType: number, event: Buffer, opts: EventBlockOptions = {}): Buffer {
  const flagged = eventBlockHasFlags(blockType);
  const head = Buffer.alloc(flagged ? 6 : 2);
  head.writeUInt16LE(opts.cpu ?? 0, 0);
  if (flagged) head.writeUInt32LE((opts.flags ?? 0) >>> 0, 2);
  return frameBlock(blockType, Buffer.concat([head, event, opts.trailing ?? Buffer.alloc(0)]));
}

/** The event bytes `blockType` stores for `spec` (pre-1.2 or current header). */
export function encodeEventFor(blockType: number, spec: EventSpec, v1?: V1EventOptions): Buffer {
  return eventBlockKind(blockType) === EventBlockKind.V1 ? encodeV1Event(spec, v1) : encodeEvent(spec);
}

/** A framed event block holding `spec`. */
export function eventBlock(blockType: number, spec: EventSpec, opts: EventBlockOptions & V1EventOptions = {}): Buffer {
  return eventBlockFromBytes(blockType, encodeEventFor(blockType, spec, opts), opts);
}

/** Where a block landed in the built capture. */
export interface PlacedBlock {
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

/** Appends blocks in order and remembers where each one starts. */
export class CaptureBuilder {
  readonly blocks: PlacedBlock[] = [];
  private readonly parts: Buffer[] = [];
  private len = 0;

  /** Bytes so far (the offset of the next block). */
  get length(): number { return this.len; }

  /** Appends bytes as they are; returns their offset. */
  raw(bytes: Buffer): number {
    const at = this.len;
    this.parts.push(bytes);
    this.len += bytes.length;
    return at;
  }

  /** Appends a framed block (its type is read from its first 4 bytes); returns its offset. */
  framed(block: Buffer): number {
    const at = this.raw(block);
    this.blocks.push({ type: block.readUInt32LE(0), offset: at, length: block.length });
    return at;
  }

  sectionHeader(spec: SectionHeaderSpec = {}): this {
    this.framed(sectionHeaderBlock(spec));
    return this;
  }

  /** Appends a block of `type` around `body` (padded to 4); returns its offset. */
  block(type: number, body: Buffer): number {
    return this.framed(frameBlock(type, body));
  }

  /** Appends an event block holding `spec`; returns its offset. */
  event(blockType: number, spec: EventSpec, opts: EventBlockOptions & V1EventOptions = {}): number {
    return this.framed(eventBlock(blockType, spec, opts));
  }

  /** Offsets of the event blocks, in file order. */
  eventBlockOffsets(): number[] {
    return this.blocks.filter((b) => eventBlockKind(b.type) !== EventBlockKind.None).map((b) => b.offset);
  }

  build(): Buffer {
    return Buffer.concat(this.parts, this.len);
  }
}

export type OutputCompression = 'none' | 'gzip' | 'zstd';

/** The capture bytes as stored with `compression`. */
export function compressCapture(raw: Buffer, compression: OutputCompression): Buffer {
  switch (compression) {
    case 'none': return raw;
    case 'gzip': return gzipSync(raw);
    case 'zstd': return zstdCompress(raw);
  }
}

/** A readable that hands out `bytes` in chunks of `chunkSize` (e.g. 7, to cut every block). */
export function chunkedStream(bytes: Buffer, chunkSize: number): Readable {
  let at = 0;
  return new Readable({
    highWaterMark: Math.max(chunkSize, 1),
    read() {
      if (at >= bytes.length) { this.push(null); return; }
      const end = Math.min(at + chunkSize, bytes.length);
      // A copy, so the reader cannot rely on chunks being views of one buffer.
      this.push(Buffer.from(bytes.subarray(at, end)));
      at = end;
    },
  });
}

/** A temporary directory, removed by the returned `cleanup`. */
export function tempDir(prefix = 'scapkit-test-'): { dir: string; file(name: string, bytes: Buffer): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name: string, bytes: Buffer): string {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
    cleanup(): void { rmSync(dir, { recursive: true, force: true }); },
  };
}

// ---- reading back ----

/** Everything the reader says about one event, as plain data (parameter bytes in hex). */
export interface ReadEvent {
  ts: bigint;
  tid: number;
  type: number;
  len: number;
  nparams: number;
  params: string[];
  cpu: number;
  flags: number;
  num: number;
  blockOffset: number;
}

/** Plain-data copies of the events of a batch. */
export function eventsOf(batch: EventBatch): ReadEvent[] {
  const ev = new EventCursor();
  const out: ReadEvent[] = [];
  for (let i = 0; i < batch.count; i++) {
    ev.moveTo(batch, i);
    const params: string[] = [];
    for (let k = 0; k < ev.nparams; k++) {
      params.push(batch.buf.subarray(ev.paramStart(k), ev.paramStart(k) + ev.paramLen(k)).toString('hex'));
    }
    out.push({
      ts: ev.tsNs, tid: ev.tid, type: ev.type, len: ev.lenBytes, nparams: ev.nparams, params,
      cpu: ev.cpu, flags: ev.eventFlags, num: ev.num, blockOffset: ev.blockOffset,
    });
  }
  return out;
}

/** A capture read to its end. */
export interface ReadBack {
  capture: Capture;
  events: ReadEvent[];
  batches: number;
}

/** Opens `input` and reads every event (throws what the reader throws). */
export async function readCapture(input: string | Readable | Buffer, options: OpenCaptureOptions = {}): Promise<ReadBack> {
  const capture = await openCapture(Buffer.isBuffer(input) ? Readable.from([input]) : input, options);
  const events: ReadEvent[] = [];
  let batches = 0;
  for await (const batch of capture) {
    batches++;
    for (const e of eventsOf(batch)) events.push(e);
  }
  return { capture, events, batches };
}

/**
 * Reads `input` as far as it goes: the events delivered before anything was
 * thrown, the capture's warnings, and what was thrown (undefined if nothing).
 */
export async function readUntilError(input: string | Readable | Buffer, options: OpenCaptureOptions = {}): Promise<{
  events: ReadEvent[];
  warnings: readonly { offset: number; message: string }[];
  error: unknown;
}> {
  const events: ReadEvent[] = [];
  let capture: Capture | undefined;
  try {
    capture = await openCapture(Buffer.isBuffer(input) ? Readable.from([input]) : input, options);
    for await (const batch of capture) for (const e of eventsOf(batch)) events.push(e);
  } catch (error) {
    return { events, warnings: capture?.warnings ?? [], error };
  }
  return { events, warnings: capture.warnings, error: undefined };
}
