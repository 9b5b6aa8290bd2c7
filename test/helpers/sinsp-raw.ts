// Synthetic captures of hand-made events, and our reading of a capture in
// the forms sinsp-example prints: raw (-a -r, every parameter hexdumped after
// libscap's conversion of old layouts, userspace/libsinsp/examples/test.cpp)
// and formatted (-a -o FORMAT), so that the converter, the state and the
// fields can be checked against the reference byte by byte.

import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SinspSelection } from '../../inspect/sinsp-selection.js';
import type { ScapFormatError } from '../../scapfile/errors.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { EVENTS, EventType } from '../../scapfile/schema/events.js';
import { genericSyscallName } from '../../scapfile/schema/syscalls.js';
import { ParamType } from '../../scapfile/schema/types.js';
import { BlockType } from '../../scapfile/block-types.js';
import { LayoutConverter } from '../../scapfile/upgrade/index.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { afterAll, expect, it } from 'vitest';
import { HAVE_SINSP, sinspEventLines } from './sinsp.js';
import { eventBlockFromBytes, tempDir } from './capture-builder.js';
import { encodeEvent as encodeSpec } from './event-builder.js';
import { capturePath, type CaptureName } from './fixtures.js';

/** An event to encode: params as bytes, a string (NUL-terminated) or a number (u64). */
export interface SyntheticEvent { type: number; tid?: number; ts?: number; params?: readonly (Buffer | string | number)[]; flags?: number }

function paramBytes(v: Buffer | string | number): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v + '\0');
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(v));
  return b;
}

/** The bytes of one event (u32 parameter lengths for large-payload types). */
export function encodeEvent(e: SyntheticEvent): Buffer {
  return encodeSpec({ type: e.type, tid: e.tid ?? 42, ts: BigInt(e.ts ?? 1000), params: (e.params ?? []).map(paramBytes) });
}

/**
 * A capture made of a real preamble (single_ipv6_conn's state blocks) and the
 * given events in V2 blocks (flagged ones in EVF blocks), a microsecond
 * apart, on thread 100 unless they name another.
 */
export function captureBytes(events: readonly SyntheticEvent[]): Buffer {
  const src = gunzipSync(readFileSync(capturePath('single_ipv6_conn')));
  let at = 0;
  while (src.readUInt32LE(at) !== BlockType.EVENT_V2) at += src.readUInt32LE(at + 4);
  const blocks = events.map((e, i) => eventBlockFromBytes(e.flags !== undefined ? BlockType.EVENT_FLAGS_V2 : BlockType.EVENT_V2,
    encodeEvent({ ts: 1534527343000000000 + i * 1000, tid: 100, ...e }), { flags: e.flags }));
  return Buffer.concat([src.subarray(0, at), ...blocks]);
}

/** `captureBytes` written to a file of a temporary directory the test file removes when done. */
export function syntheticCaptureFile(name: string, events: readonly SyntheticEvent[]): string {
  const tmp = tempDir(`scapkit-${name}-`);
  afterAll(() => tmp.cleanup());
  return tmp.file(`${name}.scap`, captureBytes(events));
}

/**
 * A test that the bundled capture `name` is what `captureBytes(events)`
 * makes, so that its goldens stay those of its generator;
 * SCAPKIT_REGEN_SYNTHETIC=1 writes it again first (gzip'd).
 */
export function itMatchesItsGenerator(name: CaptureName, events: readonly SyntheticEvent[]): void {
  it(`${name}.scap is what its generator makes`, () => {
    const bytes = captureBytes(events);
    if (process.env.SCAPKIT_REGEN_SYNTHETIC === '1') writeFileSync(capturePath(name), gzipSync(bytes, { level: 9 }));
    expect(gunzipSync(readFileSync(capturePath(name))).equals(bytes)).toBe(true);
  });
}

/** `captureBytes` as a stream. */
export function captureOf(events: readonly SyntheticEvent[]): Readable {
  return Readable.from([captureBytes(events)]);
}

/** sinsp-example's hexdump (libsinsp/examples/test.cpp): printable runs quoted, other bytes in hex. */
export function formatHexdump(bytes: Buffer): string {
  let s = '';
  let inText = false;
  bytes.forEach((c, i) => {
    if (c >= 0x20 && c < 0x7f) {
      if (!inText) { inText = true; s += (i > 0 ? ' ' : '') + '"'; }
      s += String.fromCharCode(c);
    } else {
      s += inText ? '" ' : i > 0 ? ' ' : '';
      inText = false;
      s += c.toString(16).padStart(2, '0');
    }
  });
  return s + (inText ? '"' : '');
}

/** What sinsp shows for an empty or "(NULL)" string parameter (sinsp_evt_param::data_and_len_with_legacy_null_encoding). */
export function asSinspShows(type: number, bytes: Buffer): Buffer {
  const stringLike = type === ParamType.CHARBUF || type === ParamType.FSPATH || type === ParamType.FSRELPATH;
  if (stringLike && (bytes.length === 0 || bytes.equals(Buffer.from('(NULL)\0')))) return Buffer.from('<NA>\0');
  return bytes;
}

/** The name sinsp gives an event: generic ones are named after their syscall (ID, or nativeID when ID is 0). */
export function sinspEventName(ev: EventCursor): string {
  if (ev.type !== EventType.GENERIC_E && ev.type !== EventType.GENERIC_X) return EVENTS[ev.type]!.name;
  const id = ev.bytes.readUInt16LE(ev.paramStart(0));
  return genericSyscallName(id, ev.nparams > 1 ? ev.bytes.readUInt16LE(ev.paramStart(1)) : undefined) ?? 'syscall';
}

/** Our events in sinsp-example's raw format, without the timestamp and category. */
export async function rawDump(input: Readable | string, onError?: (e: ScapFormatError) => void): Promise<string[]> {
  const conv = new LayoutConverter(onError ? { onError } : {});
  const sel = new SinspSelection({ converter: conv });
  const ev = new EventCursor();
  const lines: string[] = [];
  for await (const raw of await openCapture(input)) {
    const batch = sel.select(conv.convert(raw));
    for (let i = 0; i < batch.count; i++) {
      ev.moveTo(batch, i);
      const info = EVENTS[ev.type]!;
      let line = `tid=${ev.tid} type=${info.dir === 'enter' ? '>' : '<'}${sinspEventName(ev)} nparams=${ev.nparams}`;
      for (let k = 0; k < ev.nparams; k++) {
        const bytes = asSinspShows(info.params[k]!.type, ev.bytes.subarray(ev.paramStart(k), ev.paramStart(k) + ev.paramLen(k)));
        line += ` ${k}:${info.params[k]!.name}=[${formatHexdump(bytes)}]`;
      }
      lines.push(line);
    }
  }
  return lines;
}

/**
 * Our lines for `file` in `format` (`*` formats: one per event), split at
 * line ends inside values as sinsp-example's output is read.
 */
export async function formattedLines(file: string, format: string): Promise<string[]> {
  const render = compileFormat(format, FIELDS);
  const insp = await Inspector.open(file);
  const out: string[] = [];
  await insp.run((ev) => { out.push(...render(ev, insp.fieldContext)!.split('\n')); });
  return out;
}

/**
 * Two tests of a synthetic capture: our lines equal `expected` (what
 * sinsp-example printed for the same bytes, committed), and, when the
 * reference is built, it still prints them.
 */
export function itPrintsAsReference(title: string, file: string, format: string, expected: readonly string[]): void {
  it(title, async () => {
    expect(await formattedLines(file, format)).toEqual(expected);
  });
  it.skipIf(!HAVE_SINSP)('the reference prints the same for the same bytes', () => {
    expect(sinspEventLines(file, format)).toEqual(expected);
  });
}

