import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SinspSelection } from '../../inspect/sinsp-selection.js';
import { ScapFormatError } from '../../scapfile/errors.js';
import type { EventBatch } from '../../scapfile/event-batch.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { EVENTS, EventType as T } from '../../scapfile/schema/events.js';
import { EventFlag } from '../../scapfile/schema/types.js';
import { formatRawNs } from '../../scapfile/timestamp.js';
import { CONVERSIONS, LayoutConverter, conversionFor } from '../../scapfile/upgrade/index.js';
import { asSinspShows, captureOf, encodeEvent, rawDump, sinspEventName, type SyntheticEvent } from '../helpers/sinsp-raw.js';

// ---- synthetic events ----

type Ev = SyntheticEvent;

/** A batch as the reader builds it: events separated by 16 bytes of block framing, numbered from `firstNum`. */
function batchOf(events: (Ev | Buffer)[], firstNum = 1, flags: number[] = []): EventBatch {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const e of events) {
    parts.push(Buffer.alloc(16, 0xee));
    at += 16;
    const bytes = Buffer.isBuffer(e) ? e : encodeEvent(e);
    offsets.push(at);
    parts.push(bytes);
    at += bytes.length;
  }
  const n = events.length;
  return {
    buf: Buffer.concat(parts), count: n, offsets: Int32Array.from(offsets), cpus: new Uint16Array(n).fill(3),
    flags: Uint32Array.from({ length: n }, (_, i) => flags[i] ?? 0),
    nums: Float64Array.from({ length: n }, (_, i) => firstNum + i),
    blockOffsets: Float64Array.from({ length: n }, (_, i) => 1000 + i * 100),
  };
}

/** The events of a batch: type, tid and every parameter's bytes. */
function eventsOf(batch: EventBatch): { type: number; tid: number; num: number; params: Buffer[] }[] {
  const ev = new EventCursor();
  const out = [];
  for (let i = 0; i < batch.count; i++) {
    ev.moveTo(batch, i);
    const params = [];
    for (let k = 0; k < ev.nparams; k++) params.push(Buffer.from(ev.bytes.subarray(ev.paramStart(k), ev.paramStart(k) + ev.paramLen(k))));
    expect(ev.lenBytes).toBe(ev.paramStart(ev.nparams) - ev.offset);
    out.push({ type: ev.type, tid: ev.tid, num: ev.num, params });
  }
  return out;
}

const u64 = (v: number | bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const EMPTY = Buffer.alloc(0);
const nparamsOf = (type: number) => EVENTS[type]!.params.length;

describe('LayoutConverter on synthetic events', () => {
  it('returns a batch of current exit-only events untouched', () => {
    const openat = { type: T.SYSCALL_OPENAT_2_X, params: Array.from({ length: nparamsOf(T.SYSCALL_OPENAT_2_X) }, () => EMPTY) };
    const batch = batchOf([openat, { type: T.SYSCALL_READ_X, params: [u64(3), Buffer.from('hi'), u64(3), u32(2)] }, openat]);
    expect(nparamsOf(T.SYSCALL_READ_X)).toBe(4);
    const conv = new LayoutConverter();
    expect(conv.convert(batch)).toBe(batch);
    expect(conv.eventCount).toBe(3);
  });

  it('stores an enter event and appends its parameters to the exit event (STORE, ADD_PARAMS, FROM_ENTER)', () => {
    const conv = new LayoutConverter();
    const out = conv.convert(batchOf([{ type: T.SYSCALL_CLOSE_E, params: [7] }, { type: T.SYSCALL_CLOSE_X, params: [0] }]));
    expect(eventsOf(out)).toEqual([{ type: T.SYSCALL_CLOSE_X, tid: 42, num: 1, params: [u64(0), u64(7)] }]);
    expect(out.cpus[0]).toBe(3);
    expect(out.blockOffsets[0]).toBe(1100);
    expect(conv.storage.tids).toBe(0); // consumed by the exit event
  });

  it('falls back to the default value, or to an empty parameter, when the enter event is missing', () => {
    const conv = new LayoutConverter();
    const out = eventsOf(conv.convert(batchOf([
      { type: T.SYSCALL_CLOSE_X, params: [0] }, // enter(0): FD default = 8 zero bytes
      { type: T.SYSCALL_SETUID_X, params: [0] }, // enterOrEmpty(0)
    ])));
    expect(out[0]!.params).toEqual([u64(0), u64(0)]);
    expect(out[1]!.params).toEqual([u64(0), EMPTY]);
  });

  it('changes the type and takes parameters from the old event (CHANGE_TYPE, FROM_OLD)', () => {
    const out = eventsOf(new LayoutConverter().convert(batchOf([{ type: T.SYSCALL_NEWSELECT_X, params: [5] }])));
    expect(out).toEqual([{ type: T.SYSCALL_SELECT_X, tid: 42, num: 1, params: [u64(5)] }]);
  });

  it('chains conversions until the layout is current (open exit 4 -> 5 -> 6 parameters, FROM_EMPTY)', () => {
    const p = [u64(3), Buffer.from('/etc/x\0'), u32(1), u32(0)];
    const out = eventsOf(new LayoutConverter().convert(batchOf([{ type: T.SYSCALL_OPEN_X, params: p }])));
    expect(out[0]!.params).toEqual([...p, EMPTY, EMPTY]);
  });

  it('pushes the default of the parameter type (FROM_DEFAULT) and keeps trailing bytes as libscap does', () => {
    const out = eventsOf(new LayoutConverter().convert(batchOf([{ type: T.SYSCALL_FCNTL_X, params: [0, 3, Buffer.from([1])] }])));
    expect(out[0]!.params[3]).toEqual(u64(0)); // arg: INT64, default 0
  });

  it('passes an enter event it also stores (STORE_AND_PASS) and falls back once the stored event is used', () => {
    const conv = new LayoutConverter();
    // A 1-parameter connect enter gains a default addr and is stored and passed.
    const first = eventsOf(conv.convert(batchOf([{ type: T.SOCKET_CONNECT_E, params: [9] }])));
    expect(first[0]!.params).toEqual([u64(9), EMPTY]);
    // A 2-parameter connect exit takes fd (enter(0)), which consumes the enter
    // event, so the next step's enter(1) finds nothing and addr is lost, as in
    // libscap (sinsp-example prints addr=[] for this input).
    const addr = Buffer.from([2, 0x1f, 0x90, 127, 0, 0, 1]);
    const out = eventsOf(conv.convert(batchOf([
      { type: T.SOCKET_CONNECT_E, params: [3, addr] }, { type: T.SOCKET_CONNECT_X, params: [0, EMPTY] },
    ])));
    expect(out.map((e) => [e.type, e.num])).toEqual([[T.SOCKET_CONNECT_E, 2], [T.SOCKET_CONNECT_X, 3]]);
    expect(out[1]!.params).toEqual([u64(0), EMPTY, u64(3), EMPTY]);
  });

  it('cuts a copied value to the size of the new parameter type', () => {
    const out = eventsOf(new LayoutConverter().convert(batchOf([
      { type: T.SYSCALL_BPF_E, params: [0x1122334455] }, { type: T.SYSCALL_BPF_X, params: [0] },
    ])));
    expect(out[0]!.type).toBe(T.SYSCALL_BPF_2_X);
    expect(out[0]!.params[1]).toEqual(u32(0x22334455));
  });

  it('keeps libscap\'s bpf quirk: the DYN index byte of res_or_fd shifts into the new fd', () => {
    // sinsp-example prints fd=1280 for this input (checked on libs 48dfd53).
    const resOrFd = Buffer.concat([Buffer.from([0]), u64(5)]);
    const out = eventsOf(new LayoutConverter().convert(batchOf([
      { type: T.SYSCALL_BPF_E, params: [3] }, { type: T.SYSCALL_BPF_X, params: [resOrFd] },
    ])));
    expect(out[0]!.params[0]).toEqual(u64(1280));
  });

  it('builds the container JSON with a callback, and falls back to empty when it cannot', () => {
    const conv = new LayoutConverter();
    const out = eventsOf(conv.convert(batchOf([
      { type: T.CONTAINER_E, params: ['abc', u32(2), 'web', 'nginx:1'] },
      { type: T.CONTAINER_E, params: [EMPTY, u32(2), 'web', 'nginx:1'] },
    ])));
    expect(out[0]!.type).toBe(T.CONTAINER_JSON_2_E);
    expect(out[0]!.params).toEqual([Buffer.from('{"id":"abc","type":2,"name":"web","image":"nginx:1"}\0')]);
    expect(out[1]!.params).toEqual([EMPTY]);
  });

  it('drops unused events and old enter events it does not manage, and numbers what it returns', () => {
    const unusedType = EVENTS.find((e) => e.flags & EventFlag.UNUSED)!.id;
    const oldEnter = EVENTS.find((e) => e.dir === 'enter' && e.flags & EventFlag.OLD_VERSION && !(e.flags & EventFlag.CONVERTER_MANAGED))!.id;
    const procinfo = { type: T.PROCINFO_E, params: [1, 2] };
    const conv = new LayoutConverter();
    const input = batchOf([procinfo, { type: unusedType }, { type: oldEnter }, procinfo], 1);
    const a = conv.convert(input);
    expect(a.buf === input.buf).toBe(true); // nothing was rewritten: only new offsets and numbers
    expect(Array.from(a.nums.subarray(0, a.count))).toEqual([1, 2]);
    expect(conv.returnedBeforeFirstFilter).toBe(1);
    const b = conv.convert(batchOf([procinfo, procinfo], 5));
    expect(Array.from(b.nums.subarray(0, b.count))).toEqual([3, 4]);
  });

  it('copies unchanged events in runs next to rewritten ones', () => {
    const procinfo = (ts: number) => ({ type: T.PROCINFO_E, ts, params: [ts, ts] });
    const input = batchOf([procinfo(1), procinfo(2), { type: T.SYSCALL_CLOSE_X, params: [0] }, procinfo(3), procinfo(4)]);
    const out = new LayoutConverter().convert(input);
    expect(out.buf === input.buf).toBe(false);
    const got = eventsOf(out);
    expect(got.map((e) => e.type)).toEqual([T.PROCINFO_E, T.PROCINFO_E, T.SYSCALL_CLOSE_X, T.PROCINFO_E, T.PROCINFO_E]);
    expect(got[3]!.params).toEqual([u64(3), u64(3)]);
  });

  it('gives every rewritten batch its own buffer, so earlier batches stay valid', () => {
    const conv = new LayoutConverter();
    const first = conv.convert(batchOf([{ type: T.SYSCALL_CLOSE_X, params: [0] }]));
    const second = conv.convert(batchOf([{ type: T.SYSCALL_CLOSE_X, params: [7] }]));
    // (identity compared as booleans: vitest would format 64 KiB buffers)
    expect(second.buf === first.buf).toBe(false);
    expect(eventsOf(first)[0]!.params).toEqual([u64(0), u64(0)]);
    expect(eventsOf(second)[0]!.params).toEqual([u64(7), u64(0)]);
  });

  it('keeps unchanged events at their offsets when few of the batch are rewritten', () => {
    const procinfo = { type: T.PROCINFO_E, params: [1, 2] };
    const input = batchOf([procinfo, { type: T.SYSCALL_CLOSE_X, params: [0] }, ...Array.from({ length: 14 }, () => procinfo)]);
    const out = conv2(input);
    expect(out.offsets[0]).toBe(input.offsets[0]);
    expect(out.offsets[2]).toBe(input.offsets[2]);
    expect(out.offsets[15]).toBe(input.offsets[15]);
    expect(out.offsets[1]! >= input.buf.length).toBe(true);
    expect(eventsOf(out).map((e) => e.type)).toEqual([T.PROCINFO_E, T.SYSCALL_CLOSE_X, ...Array.from({ length: 14 }, () => T.PROCINFO_E)]);
  });

  it('moves the per-event facts of unchanged runs down past a dropped event, keeping their offsets', () => {
    const procinfo = (ts: number) => ({ type: T.PROCINFO_E, ts, params: [ts, ts] });
    const events = [procinfo(1), procinfo(2), { type: T.SYSCALL_CLOSE_E, params: [7] },
      ...Array.from({ length: 10 }, (_, k) => procinfo(10 + k)), { type: T.SYSCALL_CLOSE_X, params: [0] },
      ...Array.from({ length: 5 }, (_, k) => procinfo(30 + k))];
    const input = batchOf(events, 1, events.map((_, i) => i * 16));
    input.cpus.forEach((_, i) => { input.cpus[i] = i; });
    const out = conv2(input);
    // Every event but the dropped enter event (index 2), in order.
    const keptFrom = [0, 1, ...Array.from({ length: 16 }, (_, k) => k + 3)];
    expect(out.count).toBe(keptFrom.length);
    expect(Array.from(out.cpus.subarray(0, out.count))).toEqual(keptFrom);
    expect(Array.from(out.flags.subarray(0, out.count))).toEqual(keptFrom.map((i) => i * 16));
    expect(Array.from(out.blockOffsets.subarray(0, out.count))).toEqual(keptFrom.map((i) => 1000 + i * 100));
    expect(Array.from(out.nums.subarray(0, out.count))).toEqual(keptFrom.map((_, k) => k + 1));
    for (const [k, i] of keptFrom.entries()) if (i !== 13) expect(out.offsets[k]).toBe(input.offsets[i]);
    const evs = eventsOf(out);
    expect(evs[12]!.type).toBe(T.SYSCALL_CLOSE_X);
    expect(evs[12]!.params).toEqual([u64(0), u64(7)]);
    expect(evs[13]!.params).toEqual([u64(30), u64(30)]);
  });

  it('reuses the buffer of a batch handed back with recycle, and only then', () => {
    const conv = new LayoutConverter();
    const untouched = conv.convert(batchOf([{ type: T.PROCINFO_E, params: [1, 2] }]));
    conv.recycle(untouched); // the reader's buffer, not the converter's: nothing to reuse
    const first = conv.convert(batchOf([{ type: T.SYSCALL_CLOSE_X, params: [0] }]));
    expect(first.buf === untouched.buf).toBe(false);
    conv.recycle(first);
    const second = conv.convert(batchOf([{ type: T.SYSCALL_CLOSE_X, params: [7] }]));
    expect(second.buf === first.buf).toBe(true);
    expect(eventsOf(second)[0]!.params).toEqual([u64(7), u64(0)]);
    expect(Array.from(second.nums.subarray(0, second.count))).toEqual([3]);
    // Its per-event arrays too, rewritten for the new batch.
    expect(second.offsets === first.offsets).toBe(true);
    const third = conv.convert(batchOf([{ type: T.SYSCALL_CLOSE_X, params: [9] }]));
    expect(third.buf === second.buf).toBe(false);
    expect(third.offsets === second.offsets).toBe(false);
    expect(eventsOf(second)[0]!.params).toEqual([u64(7), u64(0)]);
  });

  it('builds a rewritten batch in memory offered with offerMemory, and leaves memory too small unused', () => {
    const conv = new LayoutConverter();
    const events = [
      { type: T.PROCINFO_E, params: [1, 2] }, { type: T.SYSCALL_CLOSE_E, params: [7] },
      { type: T.SYSCALL_CLOSE_X, params: [0] }, { type: T.PROCINFO_E, params: [3, 4] },
    ];
    const arrays = (n: number) => ({
      offsets: new Int32Array(n), nums: new Float64Array(n), cpus: new Uint16Array(n), flags: new Uint32Array(n), blockOffsets: new Float64Array(n),
    });
    const memory = Buffer.alloc(256 * 1024);
    const offered = arrays(8);
    conv.offerMemory(memory, offered);
    const input = batchOf(events, 1, [1, 2, 3, 4]);
    const out = conv.convert(input);
    expect(out.buf === memory).toBe(true);
    for (const key of ['offsets', 'nums', 'cpus', 'flags', 'blockOffsets'] as const) expect([key, out[key] === offered[key]]).toEqual([key, true]);
    expect(Array.from(out.flags.subarray(0, out.count))).toEqual([1, 3, 4]);
    expect(eventsOf(out)[1]!.params).toEqual([u64(0), u64(7)]);
    // A buffer without room for the batch and a converted event is not used.
    const small = Buffer.alloc(1024);
    conv.offerMemory(small, arrays(8));
    const next = conv.convert(batchOf(events, 5));
    expect(next.buf === small).toBe(false);
    expect(eventsOf(next).map((e) => e.type)).toEqual([T.PROCINFO_E, T.SYSCALL_CLOSE_X, T.PROCINFO_E]);
  });

  it('builds a new buffer event by event when most of the batch is rewritten', () => {
    const input = batchOf([
      { type: T.PROCINFO_E, params: [1, 2] }, { type: T.SYSCALL_CLOSE_E, params: [7] },
      { type: T.SYSCALL_CLOSE_X, params: [0] }, { type: T.PROCINFO_E, params: [3, 4] },
    ]);
    const out = conv2(input);
    expect(out.buf).not.toBe(input.buf);
    // One copy of the input at most (plus the conversion room and the recycling slack), not two.
    expect(out.buf.length).toBeLessThan(2 * input.buf.length + 3 * 64 * 1024);
    expect(Array.from(out.offsets.subarray(0, out.count))).toEqual([0, 46, 92]); // packed: 46 bytes each
    const evs = eventsOf(out);
    expect(evs.map((e) => e.type)).toEqual([T.PROCINFO_E, T.SYSCALL_CLOSE_X, T.PROCINFO_E]);
    expect(evs[1]!.params).toEqual([u64(0), u64(7)]);
  });

  it('keeps at most maxStoredTids enter events, forgetting the thread seen first', () => {
    const conv = new LayoutConverter({ maxStoredTids: 2 });
    const out = eventsOf(conv.convert(batchOf([
      { type: T.SYSCALL_CLOSE_E, tid: 1, params: [11] },
      { type: T.SYSCALL_CLOSE_E, tid: 2, params: [12] },
      { type: T.SYSCALL_CLOSE_E, tid: 3, params: [13] },
      { type: T.SYSCALL_CLOSE_X, tid: 1, params: [0] },
      { type: T.SYSCALL_CLOSE_X, tid: 3, params: [0] },
    ])));
    expect(out.map((e) => e.params[1])).toEqual([u64(0), u64(13)]);
    // tid 1's close exit asked for the enter event forgotten: one exit event defaulted.
    expect(conv.storage).toEqual({ tids: 1, bytes: expect.any(Number), evictions: 1, defaultedExits: 1, unfollowed: 0 });
  });

  it('keeps the stored bytes under maxStoredBytes', () => {
    const conv = new LayoutConverter({ maxStoredBytes: 1 }); // raised to one maximal event (64 KiB)
    const big = Buffer.alloc(40000);
    conv.convert(batchOf([
      { type: T.SYSCALL_EXECVE_19_E, tid: 1, params: [big] }, { type: T.SYSCALL_EXECVE_19_E, tid: 2, params: [big] },
    ]));
    expect(conv.storage.tids).toBe(1);
    expect(conv.storage.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('rejects an exit event whose stored enter event is of another type, or skips it with onError', () => {
    const events = [{ type: T.SYSCALL_READ_E, params: [3, u32(10)] }, { type: T.SYSCALL_CLOSE_X, params: [0] }, { type: T.PROCINFO_E, params: [1, 2] }];
    const strict = new LayoutConverter();
    expect(strict.convert(batchOf(events)).count).toBe(0);
    expect(() => strict.throwIfFailed()).toThrow(ScapFormatError);
    const errors: ScapFormatError[] = [];
    const out = new LayoutConverter({ onError: (e) => errors.push(e) }).convert(batchOf(events));
    expect(eventsOf(out).map((e) => [e.type, e.num])).toEqual([[T.PROCINFO_E, 1]]);
    expect(errors[0]!.message).toMatch(/stored enter event of SYSCALL_CLOSE_X \(close\) is a SYSCALL_READ_E/);
  });

  it('rejects events whose parameter lengths run past the event', () => {
    const bad = encodeEvent({ type: T.SYSCALL_CLOSE_X, params: [0] });
    bad.writeUInt16LE(200, 26);
    const conv = new LayoutConverter();
    conv.convert(batchOf([bad]));
    expect(() => conv.throwIfFailed()).toThrow(/parameter lengths add up to 200 bytes/);
    const more = encodeEvent({ type: T.SYSCALL_OPENAT_2_X, params: Array.from({ length: nparamsOf(T.SYSCALL_OPENAT_2_X) + 1 }, () => EMPTY) });
    const conv2 = new LayoutConverter();
    conv2.convert(batchOf([more]));
    expect(() => conv2.throwIfFailed()).toThrow(ScapFormatError);
  });

  it('hands out the events before one it fails on, then its error with the offset (they were lost with the batch)', () => {
    const procinfo = (n: number): Ev => ({ type: T.PROCINFO_E, params: [n, n] });
    const failing = { type: T.SYSCALL_CLOSE_X, params: [0] };
    // The failing event after events that pass unchanged (the batch's first rewrite)...
    const a = new LayoutConverter();
    expect(a.convert(batchOf([{ type: T.SYSCALL_READ_E, params: [3, u32(10)] }])).count).toBe(0);
    const outA = a.convert(batchOf([procinfo(1), procinfo(2), failing, procinfo(3)], 2));
    expect(eventsOf(outA).map((e) => [e.type, e.num])).toEqual([[T.PROCINFO_E, 1], [T.PROCINFO_E, 2]]);
    expect(() => a.throwIfFailed()).toThrow(/^scap: event #4 fails libscap's upgrade of old layouts \(the stored enter event .*\), at offset \d+$/);
    // ...and after an event left out (the compacting path).
    const b = new LayoutConverter();
    const outB = b.convert(batchOf([procinfo(1), { type: T.SYSCALL_READ_E, params: [3, u32(10)] }, procinfo(2), failing, procinfo(3)]));
    expect(eventsOf(outB).map((e) => [e.type, e.num])).toEqual([[T.PROCINFO_E, 1], [T.PROCINFO_E, 2]]);
    expect(() => b.throwIfFailed()).toThrow(ScapFormatError);
    // Once failed, it converts nothing more.
    expect(() => b.convert(batchOf([procinfo(4)]))).toThrow(ScapFormatError);
  });

  it('has one table entry per key, naming only known events, looked up with an 8-bit count', () => {
    expect(conversionFor(T.SYSCALL_CLOSE_E, 257)).toBe(conversionFor(T.SYSCALL_CLOSE_E, 1));
    for (const c of CONVERSIONS) {
      expect(EVENTS[c.type]!.flags & EventFlag.CONVERTER_MANAGED).toBeTruthy();
      if (c.targetType >= 0) expect(EVENTS[c.targetType]).toBeDefined();
    }
  });
});

describe('SinspSelection on synthetic events', () => {
  it('drops the enter events sinsp only parses and state-only events, keeping nums', () => {
    const batch = batchOf([
      { type: T.SYSCALL_OPEN_E, params: ['/x', u32(0), u32(0)] }, { type: T.PROCINFO_E, params: [1, 2] },
      { type: T.SOCKET_CONNECT_E, params: [3, EMPTY] }, { type: T.PROCINFO_E, params: [1, 2] },
    ], 7, [0, 0, 0, 1]);
    const out = new SinspSelection().select(batch);
    expect(Array.from(out.nums.subarray(0, out.count))).toEqual([8]);
    const internal = new SinspSelection({ internalEvents: true }).select(batch);
    expect(Array.from(internal.nums.subarray(0, internal.count))).toEqual([8, 10]); // procinfo is INTERNAL
  });

  it('consumes initial state events at the start, until another event or libscap\'s first drop', () => {
    const user = { type: T.USER_ADDED_E, params: [u32(0), u32(0), 'root', '/root', '/bin/sh', EMPTY] };
    const proc = { type: T.PROCINFO_E, params: [1, 2] };
    const sel = new SinspSelection();
    expect(Array.from(sel.select(batchOf([user, user, proc, user])).nums.slice(0, 2))).toEqual([3, 4]);
    const afterDrop = new SinspSelection({ converter: { returnedBeforeFirstFilter: 1 } });
    expect(afterDrop.select(batchOf([user, user])).count).toBe(1);
  });
});

// ---- the fixtures against libs' own tools ----

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const CAPTURES = ['curl_google', 'curl_google_comments', 'single_ipv6_conn', 'test_ipv6_client'];

function golden(name: string, file: string): string {
  return readFileSync(`${FIXTURES}golden/${name}/${file}`, 'utf8');
}

/** Decodes sinsp-example's raw parameter dump (hexdump in libsinsp/examples/test.cpp): hex bytes and "quoted" printable runs. */
function parseHexdump(text: string): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') { i++; continue; }
    if (text[i] !== '"') {
      out.push(parseInt(text.slice(i, i + 2), 16));
      i += 2;
      continue;
    }
    // A printable run may itself hold quotes and spaces: it ends at the quote
    // followed by the end of the dump or by " xx" (a hex byte).
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] !== '"') continue;
      if (j === text.length - 1 || /^ [0-9a-f]{2}( |$)/.test(text.slice(j + 1, j + 5))) break;
    }
    for (let k = i + 1; k < j; k++) out.push(text.charCodeAt(k));
    i = j + 1;
  }
  return Buffer.from(out);
}

describe.each(CAPTURES)('fixture %s against the reference', (name) => {
  it('returns what scap-open and sinsp-example return, event by event and byte by byte', async () => {
    const counts = Object.fromEntries(golden(name, 'count.txt').split('\n').filter((l) => l.includes('=')).map((l) => l.split('=')));
    const eventLines = golden(name, 'events.txt').trimEnd().split('\n');
    const rawLines = golden(name, 'raw.txt').trimEnd().split('\n');
    const conv = new LayoutConverter();
    const sel = new SinspSelection({ converter: conv });
    const ev = new EventCursor();
    let libscap = 0;
    let line = 0;
    const mismatches: string[] = [];
    for await (const raw of await openCapture(`${FIXTURES}captures/${name}.scap`)) {
      const converted = conv.convert(raw);
      libscap += converted.count;
      const selected = sel.select(converted);
      for (let i = 0; i < selected.count; i++, line++) {
        ev.moveTo(selected, i);
        const info = EVENTS[ev.type]!;
        const dir = info.dir === 'enter' ? '>' : '<';
        const name = sinspEventName(ev);
        const ours = `${ev.num} ${formatRawNs(ev.tsHi, ev.tsLo)} ${ev.cpu} ${name} ${dir} ${ev.tid}`;
        const theirs = (eventLines[line] ?? '').split(' ').slice(0, 6).join(' ');
        if (ours !== theirs) mismatches.push(`events.txt line ${line + 1}: ours "${ours}", reference "${theirs}"`);
        const rawLine = rawLines[line] ?? '';
        const head = ` tid=${ev.tid} type=${dir}${name} `;
        if (!rawLine.includes(head) || !rawLine.includes(` nparams=${ev.nparams} `.trimEnd())) {
          mismatches.push(`raw.txt line ${line + 1}: header differs from${head}nparams=${ev.nparams}`);
          continue;
        }
        let pos = rawLine.indexOf(' nparams=');
        for (let k = 0; k < ev.nparams; k++) {
          const p = info.params[k]!;
          const open = ` ${k}:${p.name}=[`;
          const start = rawLine.indexOf(open, pos) + open.length;
          const next = k + 1 < ev.nparams ? rawLine.indexOf(`] ${k + 1}:${info.params[k + 1]!.name}=[`, start) : rawLine.length - 1;
          const expected = parseHexdump(rawLine.slice(start, next));
          const got = asSinspShows(p.type, ev.bytes.subarray(ev.paramStart(k), ev.paramStart(k) + ev.paramLen(k)));
          if (!got.equals(expected)) {
            mismatches.push(`raw.txt line ${line + 1} param ${k} ${p.name}: ours ${got.toString('hex')}, reference ${expected.toString('hex')}`);
          }
          pos = next;
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(libscap).toBe(Number(counts.scap_open_events));
    expect(line).toBe(Number(counts.sinsp_example_all_threads_retrieved));
    expect(line).toBe(eventLines.length);
  });
});

// ---- synthetic captures, checked against sinsp-example -a -r of libs 48dfd53 ----

describe('synthetic captures against the reference', () => {
  const user = (uid: number, name: string) => ({ type: T.USER_ADDED_E, params: [u32(uid), u32(uid), name, `/${name}`, '/bin/sh', EMPTY] });

  it('converts, drops and fills parameters as libs does', async () => {
    const lines = await rawDump(captureOf([
      user(0, 'root'), { type: T.PROCINFO_E, params: [1, 2] }, user(5, 'x'),
      { type: T.SYSCALL_BPF_E, params: [0x1122334455] }, { type: T.SYSCALL_BPF_X, params: [0] },
      { type: T.SYSCALL_OPEN_X, params: [3, '/etc/x', u32(1), u32(0)] },
      { type: T.SYSCALL_FCNTL_X, params: [0, 3, Buffer.from([1])] },
      { type: T.CONTAINER_E, params: ['abc', u32(2), 'web', 'nginx:1'] },
      { type: T.CONTAINER_E, params: [EMPTY, u32(2), 'web', 'nginx:1'] },
      { type: T.SOCKET_CONNECT_E, params: [9] }, { type: T.SOCKET_CONNECT_X, params: [0, Buffer.from([1, 2])] },
      { type: T.SYSCALL_CLOSE_X, params: [0] }, { type: T.SYSCALL_SETUID_X, params: [0] },
      { type: T.PROCINFO_E, params: [3, 4], flags: 1 }, { type: T.PROCINFO_E, params: [5, 6], flags: 0 },
      { type: T.SYSCALL_NEWSELECT_X, params: [5] },
    ]));
    expect(lines).toEqual([
      'tid=100 type=>procinfo nparams=2 0:cpu_usr=[01 00 00 00 00 00 00 00] 1:cpu_sys=[02 00 00 00 00 00 00 00]',
      'tid=100 type=>useradded nparams=6 0:uid=[05 00 00 00] 1:gid=[05 00 00 00] 2:name=["x" 00] 3:home=["/x" 00] 4:shell=["/bin/sh" 00] 5:container_id=["<NA>" 00]',
      'tid=100 type=<bpf nparams=2 0:fd=[00 00 00 00 00 00 00 00] 1:cmd=["UD3""]',
      'tid=100 type=<open nparams=6 0:fd=[03 00 00 00 00 00 00 00] 1:name=["/etc/x" 00] 2:flags=[01 00 00 00] 3:mode=[00 00 00 00] 4:dev=[] 5:ino=[]',
      'tid=100 type=<fcntl nparams=4 0:res=[00 00 00 00 00 00 00 00] 1:fd=[03 00 00 00 00 00 00 00] 2:cmd=[01] 3:arg=[00 00 00 00 00 00 00 00]',
      'tid=100 type=>container nparams=1 0:json=["{"id":"abc","type":2,"name":"web","image":"nginx:1"}" 00]',
      'tid=100 type=>container nparams=1 0:json=["<NA>" 00]',
      'tid=100 type=<connect nparams=4 0:res=[00 00 00 00 00 00 00 00] 1:tuple=[01 02] 2:fd=[09 00 00 00 00 00 00 00] 3:addr=[]',
      'tid=100 type=<close nparams=2 0:res=[00 00 00 00 00 00 00 00] 1:fd=[00 00 00 00 00 00 00 00]',
      'tid=100 type=<setuid nparams=2 0:res=[00 00 00 00 00 00 00 00] 1:uid=[]',
      'tid=100 type=>procinfo nparams=2 0:cpu_usr=[05 00 00 00 00 00 00 00] 1:cpu_sys=[06 00 00 00 00 00 00 00]',
      'tid=100 type=<select nparams=1 0:res=[05 00 00 00 00 00 00 00]',
    ]);
  });

  it('skips an event libscap fails to convert and goes on', async () => {
    const errors: ScapFormatError[] = [];
    const lines = await rawDump(captureOf([
      { type: T.PROCINFO_E, params: [1, 2] }, { type: T.SYSCALL_READ_E, params: [3, u32(10)] },
      { type: T.SYSCALL_CLOSE_X, params: [0] }, { type: T.PROCINFO_E, params: [3, 4] },
    ]), (e) => errors.push(e));
    expect(lines.map((l) => l.slice(0, 22))).toEqual(['tid=100 type=>procinfo', 'tid=100 type=>procinfo']);
    expect(errors).toHaveLength(1);
  });

  it('ends the initial state phase at the first event libscap drops', async () => {
    const lines = await rawDump(captureOf([
      { type: T.SYSCALL_CLOSE_E, params: [7] }, user(0, 'root'), { type: T.PROCINFO_E, params: [1, 2] },
    ]));
    expect(lines.map((l) => l.slice(0, 23))).toEqual(['tid=100 type=>useradded', 'tid=100 type=>procinfo ']);
  });
});

function conv2(batch: ReturnType<typeof batchOf>): ReturnType<LayoutConverter['convert']> {
  return new LayoutConverter().convert(batch);
}
