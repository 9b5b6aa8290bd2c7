// The block reader on synthetic captures with every block type and version
// of the format (falcosecurity/libs 48dfd53, userspace/libscap/scap_savefile.h
// and engine/savefile/scap_savefile.c), and on the real fixtures.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BlockType, eventBlockHasFlags, eventBlockKind, EventBlockKind } from '../../scapfile/block-types.js';
import { EventType, PPM_EVENT_MAX } from '../../scapfile/schema/events.js';
import { FdType, InterfaceType, L4Proto } from '../../scapfile/state-blocks/index.js';
import {
  CaptureBuilder, encodeV1Event, pcapngOptions, readCapture,
} from '../helpers/capture-builder.js';
import type { EventSpec, ReadEvent } from '../helpers/capture-builder.js';
import { i64, str, u16, u32, u64 } from '../helpers/event-builder.js';
import {
  Bytes, fdEntry, fdListBody, groupEntry, interfaceEntry, machineInfoBody, sampleThread, threadEntry, userEntry,
} from '../helpers/state-block-builders.js';

const FIXTURES = new URL('../../fixtures/captures/', import.meta.url);
const fixture = (name: string): Buffer => gunzipSync(readFileSync(new URL(`${name}.scap`, FIXTURES)));

const MI = {
  numCpus: 8, memorySizeBytes: 33_554_432_000, maxPid: 4_194_304, hostname: 'build-host-01',
  bootTsEpochNs: 1_700_000_000_123_456_789n, flags: 1n, reserved3: 3n, reserved4: 4n,
};

/** OPEN_X parameters: fd, name, flags, mode, dev, ino (the schema's 6). */
const OPEN_PARAMS = [i64(3), str('/etc/passwd'), u32(0x8000), u32(0o644), u32(0x801), u64(123456)];
const hex = (params: readonly Buffer[]): string[] => params.map((p) => p.toString('hex'));

/** Test rows with the block type (last column) also given in hex first, for test names. */
function hexRows<T extends readonly unknown[]>(rows: readonly T[]): Array<[string, ...T]> {
  return rows.map((r) => ['0x' + (r[r.length - 1] as number).toString(16), ...r] as [string, ...T]);
}

/** A capture with a section header, then `add`'s blocks. */
function capture(add: (c: CaptureBuilder) => void): CaptureBuilder {
  const c = new CaptureBuilder().sectionHeader();
  add(c);
  return c;
}

describe('section header', () => {
  it('reads the version and an unknown (-1) section length', async () => {
    const c = capture((c) => c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(1), u16(2)] }));
    const { capture: cap, events } = await readCapture(c.build());
    expect(cap.info.header).toEqual({ majorVersion: 1, minorVersion: 2, sectionLength: -1n, optionBytes: 0 });
    expect(events).toHaveLength(1);
  });

  it('skips pcapng options after the fixed fields and keeps a real section length', async () => {
    const options = pcapngOptions([[1, 'a comment on this capture'], [2, 'x86_64']]);
    const c = new CaptureBuilder().sectionHeader({ sectionLength: 4096n, minor: 1, options });
    c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(1), u16(2)] });
    const { capture: cap, events } = await readCapture(c.build());
    expect(cap.info.header).toEqual({ majorVersion: 1, minorVersion: 1, sectionLength: 4096n, optionBytes: options.length });
    expect(events.map((e) => e.blockOffset)).toEqual(c.eventBlockOffsets());
  });
});

describe('state blocks land in capture.info', () => {
  it.each(hexRows([[BlockType.MACHINE_INFO], [BlockType.MACHINE_INFO_INT]] as const))('machine info %s', async (_, type) => {
    const c = capture((c) => c.block(type, machineInfoBody(MI)));
    const { capture: cap } = await readCapture(c.build());
    expect(cap.info.machine).toEqual(MI);
    expect(cap.info.stateBlocks.map((b) => b.kind)).toEqual(['machine-info']);
    expect(cap.stats.blockCounts.get(type)).toBe(1);
  });

  it('keeps the last of two machine info blocks', async () => {
    const c = capture((c) => {
      c.block(BlockType.MACHINE_INFO, machineInfoBody(MI));
      c.block(BlockType.MACHINE_INFO_INT, machineInfoBody({ ...MI, hostname: 'second', numCpus: 2 }));
    });
    expect((await readCapture(c.build())).capture.info.machine).toMatchObject({ hostname: 'second', numCpus: 2 });
  });

  const PL: Array<[number, number]> = [
    [1, BlockType.PROCESS_LIST_V1], [1, BlockType.PROCESS_LIST_V1_INT],
    [2, BlockType.PROCESS_LIST_V2], [2, BlockType.PROCESS_LIST_V2_INT],
    [3, BlockType.PROCESS_LIST_V3], [3, BlockType.PROCESS_LIST_V3_INT],
    [4, BlockType.PROCESS_LIST_V4], [5, BlockType.PROCESS_LIST_V5], [6, BlockType.PROCESS_LIST_V6],
    [7, BlockType.PROCESS_LIST_V7], [8, BlockType.PROCESS_LIST_V8], [9, BlockType.PROCESS_LIST_V9],
  ];
  it.each(hexRows(PL))('process list %s (V%i)', async (_, version, type) => {
    const t = sampleThread(4242);
    const c = capture((c) => {
      c.block(type, Buffer.concat([threadEntry(version, t), threadEntry(version, { ...sampleThread(99), comm: 'second' })]));
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(1), u16(2)] });
    });
    const { capture: cap, events } = await readCapture(c.build());
    expect(cap.info.threads.map((x) => [x.tid, x.comm])).toEqual([[4242, 'worker'], [99, 'second']]);
    const [th] = cap.info.threads;
    // A field each version adds, and one it does not have yet.
    expect(th!.cwd).toBe('/srv');
    expect(th!.vmrssKb).toBe(version >= 2 ? t.vmrssKb : 0);
    expect(th!.env).toEqual(version >= 3 ? t.env : []);
    expect(th!.vpid).toBe(version >= 4 ? t.vpid : -1);
    expect(th!.root).toBe(version >= 5 ? t.root : '');
    expect(th!.sid).toBe(version >= 6 ? t.sid : -1);
    expect(th!.exepath).toBe(version >= 7 ? t.exepath : '');
    expect(th!.vpgid).toBe(version >= 8 ? t.vpgid : -1);
    expect(th!.loginuid).toBe(version >= 9 ? t.loginuid : 4294967295);
    const block = cap.info.stateBlocks[0]!;
    expect(block.kind === 'process-list' && block.processList.version).toBe(version);
    expect(events).toHaveLength(1);
  });

  it.each(hexRows([[1, BlockType.FD_LIST], [1, BlockType.FD_LIST_INT], [2, BlockType.FD_LIST_V2]] as const))(
    'fd list %s (V%i)',
    async (_, version, type) => {
      const c = capture((c) => c.block(type, fdListBody(4242, [
        fdEntry(version, 3, 11n, FdType.IPV4_SOCK, new Bytes().ipv4('10.0.0.79').ipv4('8.8.8.8').u16(41000).u16(53).u8(L4Proto.UDP).build()),
        fdEntry(version, 8, 12n, FdType.FILE, new Bytes().str16('/etc/passwd').build()),
      ])));
      const { capture: cap } = await readCapture(c.build());
      expect(cap.info.fds.map((f) => [f.tid, f.fd, f.ino, f.info])).toEqual([
        [4242, 3, 11n, { kind: 'ipv4', sip: '10.0.0.79', dip: '8.8.8.8', sport: 41000, dport: 53, l4proto: L4Proto.UDP }],
        [4242, 8, 12n, { kind: 'name', name: '/etc/passwd' }],
      ]);
    },
  );

  it.each(hexRows([[1, BlockType.INTERFACE_LIST], [1, BlockType.INTERFACE_LIST_INT], [2, BlockType.INTERFACE_LIST_V2]] as const))(
    'interface list %s (V%i)',
    async (_, version, type) => {
      const v4 = new Bytes().ipv4('10.0.0.79').ipv4('255.255.255.0').ipv4('10.0.0.255').build();
      const v6 = new Bytes().ipv6hex('00000000000000000000000000000001').ipv6hex('ffffffffffffffffffffffffffffffff')
        .ipv6hex('00000000000000000000000000000000').build();
      const c = capture((c) => c.block(type, Buffer.concat([
        interfaceEntry(version, InterfaceType.IPV6_NOLINKSPEED, 'lo', v6, undefined),
        interfaceEntry(version, InterfaceType.IPV4, 'eth0', v4, 1000n),
      ])));
      const { capture: cap } = await readCapture(c.build());
      expect(cap.info.interfaces.map((i) => [i.name, i.addr, i.linkspeed])).toEqual([['eth0', '10.0.0.79', 1000], ['lo', '::1', 0]]);
    },
  );

  it.each(hexRows([[1, BlockType.USER_LIST], [1, BlockType.USER_LIST_INT], [2, BlockType.USER_LIST_V2]] as const))(
    'user list %s (V%i)',
    async (_, version, type) => {
      const root = { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' };
      const c = capture((c) => c.block(type, Buffer.concat([userEntry(version, root), groupEntry(version, { gid: 4, name: 'adm' })])));
      const { capture: cap } = await readCapture(c.build());
      expect(cap.info.users).toEqual([root]);
      expect(cap.info.groups).toEqual([{ gid: 4, name: 'adm' }]);
    },
  );

  it('keeps state blocks met after the first event block apart, in lateStateBlocks', async () => {
    const c = capture((c) => {
      c.block(BlockType.USER_LIST, userEntry(1, { uid: 1, gid: 1, name: 'early', homedir: '/', shell: '' }));
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(1), u16(2)] });
      c.block(BlockType.USER_LIST_V2, userEntry(2, { uid: 2, gid: 2, name: 'late', homedir: '/', shell: '' }));
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(3), u16(4)] });
    });
    const { capture: cap, events } = await readCapture(c.build());
    expect(cap.info.users.map((u) => u.name)).toEqual(['early']);
    expect(cap.lateStateBlocks.map((b) => b.kind === 'user-list' && b.userList.users[0]!.name)).toEqual(['late']);
    expect(events.map((e) => e.num)).toEqual([1, 2]);
  });
});

describe('pre-1.2 event blocks (EV 0x204, EV_INT 0x8010abcd, EVF 0x208)', () => {
  const V1_TYPES = hexRows([[BlockType.EVENT], [BlockType.EVENT_INT], [BlockType.EVENT_FLAGS]] as const);

  it.each(V1_TYPES)('%s: inserts nparams, inferred from the schema count downwards', async (_, blockType) => {
    const specs: EventSpec[] = [
      { type: EventType.SYSCALL_OPEN_X, ts: 10n, tid: 7, params: OPEN_PARAMS }, // all 6 of the schema
      { type: EventType.SYSCALL_OPEN_X, ts: 11n, tid: 7, params: OPEN_PARAMS.slice(0, 4) }, // an older layout
      { type: EventType.SYSCALL_OPEN_X, ts: 12n, tid: 7, params: [] },
      { type: EventType.GENERIC_E, ts: 13n, tid: -1, params: [u16(1), u16(257)] },
    ];
    const c = capture((c) => specs.forEach((s, i) => c.event(blockType, s, { cpu: i + 1, flags: 0x100 + i })));
    const { events } = await readCapture(c.build());
    expect(events.map((e) => [e.ts, e.tid, e.type, e.nparams, e.params, e.len])).toEqual(
      specs.map((s) => [s.ts, s.tid, s.type, s.params.length, hex(s.params), encodeV1Event(s).length + 4]),
    );
    expect(events.map((e) => e.cpu)).toEqual([1, 2, 3, 4]);
    expect(events.map((e) => e.flags)).toEqual(blockType === BlockType.EVENT_FLAGS ? [0x100, 0x101, 0x102, 0x103] : [0, 0, 0, 0]);
  });

  it('drops the 3 bytes old writers added to NOTIFICATION_E lengths', async () => {
    const spec = { type: EventType.NOTIFICATION_E, params: [u64(5), str('hello')] };
    const c = capture((c) => c.event(BlockType.EVENT, spec, { lenDelta: 3, trailing: Buffer.alloc(3) }));
    const [e] = (await readCapture(c.build())).events;
    expect(e).toMatchObject({ nparams: 2, params: hex(spec.params), len: encodeV1Event(spec).length + 4 });
  });

  it('mixes with 1.2 event blocks in one batch, in file order', async () => {
    const c = capture((c) => {
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, ts: 1n, params: [u16(1), u16(2)] });
      c.event(BlockType.EVENT, { type: EventType.SYSCALL_OPEN_X, ts: 2n, params: OPEN_PARAMS.slice(0, 5) });
      c.event(BlockType.EVENT_FLAGS_V2, { type: EventType.GENERIC_E, ts: 3n, params: [u16(3), u16(4)] }, { flags: 9 });
    });
    const { events, batches } = await readCapture(c.build());
    expect(batches).toBe(1);
    expect(events.map((e) => [e.ts, e.nparams, e.flags, e.num, e.blockOffset])).toEqual([
      [1n, 2, 0, 1, c.blocks[1]!.offset], [2n, 5, 0, 2, c.blocks[2]!.offset], [3n, 2, 9, 3, c.blocks[3]!.offset],
    ]);
    expect(events[1]!.params).toEqual(hex(OPEN_PARAMS.slice(0, 5)));
  });
});

describe('1.2 event blocks (EV_V2 0x216, EVF_V2 0x217, EV_V2_LARGE 0x221, EVF_V2_LARGE 0x222)', () => {
  it.each(hexRows([[BlockType.EVENT_V2], [BlockType.EVENT_FLAGS_V2], [BlockType.EVENT_V2_LARGE], [BlockType.EVENT_FLAGS_V2_LARGE]] as const))(
    '%s: events come through unchanged, with cpu and flags',
    async (_, blockType) => {
      const specs: EventSpec[] = [
        { type: EventType.SYSCALL_OPEN_X, ts: 1_700_000_000_000_000_001n, tid: 4242, params: OPEN_PARAMS },
        { type: EventType.SYSCALL_OPEN_X, ts: 1_700_000_000_000_000_002n, tid: 4243, params: OPEN_PARAMS.slice(0, 3) },
        { type: EventType.GENERIC_X, ts: 1_700_000_000_000_000_003n, tid: 1, params: [u16(1)] }, // odd length: padded
      ];
      const c = capture((c) => specs.forEach((s, i) => c.event(blockType, s, { cpu: 40 + i, flags: 0xdead0000 + i })));
      const { events } = await readCapture(c.build());
      const flagged = blockType === BlockType.EVENT_FLAGS_V2 || blockType === BlockType.EVENT_FLAGS_V2_LARGE;
      expect(events.map((e) => [e.ts, e.tid, e.type, e.nparams, e.params, e.cpu, e.flags])).toEqual(
        specs.map((s, i) => [s.ts, s.tid, s.type, s.params.length, hex(s.params), 40 + i, flagged ? 0xdead0000 + i : 0]),
      );
    },
  );

  it.each(hexRows([[BlockType.EVENT_V2_LARGE], [BlockType.EVENT_FLAGS_V2_LARGE]] as const))(
    '%s: a LARGE_PAYLOAD event has u32 parameter lengths and may exceed 64 KiB',
    async (_, blockType) => {
      const data = Buffer.alloc(200_000);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
      const spec = { type: EventType.PLUGINEVENT_E, params: [u32(999), data] };
      const c = capture((c) => c.event(blockType, spec, { flags: 1 }));
      const { events } = await readCapture(c.build());
      expect(events).toHaveLength(1);
      expect(events[0]!.len).toBe(26 + 2 * 4 + 4 + 200_000);
      expect(events[0]!.params).toEqual(hex(spec.params));
    },
  );
});

describe('what the reader skips and counts', () => {
  it('skips unknown block types wherever they are, and counts them', async () => {
    const c = capture((c) => {
      c.block(0x300, Buffer.from('future state'));
      c.block(BlockType.MACHINE_INFO, machineInfoBody(MI));
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(1), u16(2)] });
      c.block(0x8888abcd, Buffer.alloc(0));
      c.block(0x300, Buffer.alloc(101, 0xff));
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(3), u16(4)] });
    });
    const { capture: cap, events } = await readCapture(c.build());
    expect(cap.stats.unknownBlocks).toBe(3);
    expect(cap.stats.blockCounts.get(0x300)).toBe(2);
    expect(cap.stats.blockCounts.get(0x8888abcd)).toBe(1);
    expect(cap.info.machine).toEqual(MI);
    expect(events.map((e) => e.params)).toEqual([hex([u16(1), u16(2)]), hex([u16(3), u16(4)])]);
  });

  it('skips events whose type id is PPM_EVENT_MAX or more, counts them, and numbers only the others', async () => {
    const ok = (ts: bigint): EventSpec => ({ type: EventType.GENERIC_E, ts, params: [u16(1), u16(2)] });
    const c = capture((c) => {
      c.event(BlockType.EVENT_V2, ok(1n));
      c.event(BlockType.EVENT_V2, { type: PPM_EVENT_MAX, params: [Buffer.alloc(10_000)] });
      c.event(BlockType.EVENT_V2_LARGE, { type: 0xffff, params: [] });
      c.event(BlockType.EVENT, { type: PPM_EVENT_MAX + 1, params: [u16(9)] }); // pre-1.2: no nparams inference either
      c.event(BlockType.EVENT_FLAGS_V2, ok(2n));
    });
    const { capture: cap, events } = await readCapture(c.build());
    expect(cap.stats.unknownEventTypes).toBe(3);
    expect(cap.stats.eventBlocks).toBe(5);
    expect(events.map((e) => [e.ts, e.num, e.blockOffset])).toEqual([[1n, 1, c.blocks[1]!.offset], [2n, 2, c.blocks[5]!.offset]]);
  });

  it('counts blocks per type, numbers events from 1 in file order and reports each block offset', async () => {
    const types = [
      BlockType.EVENT_V2, BlockType.EVENT_V2, BlockType.EVENT, BlockType.EVENT_FLAGS_V2, BlockType.EVENT_V2_LARGE,
      BlockType.EVENT_INT, BlockType.EVENT_FLAGS, BlockType.EVENT_FLAGS_V2_LARGE, BlockType.EVENT_V2,
    ];
    const c = capture((c) => {
      c.block(BlockType.MACHINE_INFO, machineInfoBody(MI));
      c.block(BlockType.PROCESS_LIST_V9, threadEntry(9, sampleThread()));
      types.forEach((t, i) => c.event(t, { type: EventType.SYSCALL_OPEN_X, ts: BigInt(100 + i), params: OPEN_PARAMS.slice(0, 1 + (i % 6)) }));
    });
    const { capture: cap, events } = await readCapture(c.build());
    const want = new Map<number, number>();
    for (const b of c.blocks) want.set(b.type, (want.get(b.type) ?? 0) + 1);
    expect(new Map(cap.stats.blockCounts)).toEqual(want);
    expect(events.map((e) => e.num)).toEqual(types.map((_, i) => i + 1));
    expect(events.map((e) => e.blockOffset)).toEqual(c.eventBlockOffsets());
    expect(events.map((e) => e.ts)).toEqual(types.map((_, i) => BigInt(100 + i)));
    expect(cap.stats.bytesRead).toBe(c.length);
  });

  it('warns about a second section header before the events and reads on', async () => {
    const c = capture((c) => {
      c.sectionHeader();
      c.event(BlockType.EVENT_V2, { type: EventType.GENERIC_E, params: [u16(1), u16(2)] });
    });
    const { capture: cap, events } = await readCapture(c.build());
    expect(events).toHaveLength(1);
    expect(cap.warnings).toEqual([{ offset: c.blocks[1]!.offset, message: expect.stringMatching(/second section header/) }]);
    expect(cap.stats.blockCounts.get(BlockType.SECTION_HEADER)).toBe(2);
  });

  it('ignores bytes after the event inside its block', async () => {
    const spec = { type: EventType.GENERIC_E, params: [u16(1), u16(2)] };
    const c = capture((c) => {
      c.event(BlockType.EVENT_V2, spec, { trailing: Buffer.from('pcapng comment option') });
      c.event(BlockType.EVENT, spec, { trailing: Buffer.alloc(11, 0xee) });
    });
    const { events } = await readCapture(c.build());
    expect(events.map((e) => [e.nparams, e.params, e.len])).toEqual([[2, hex(spec.params), 34], [2, hex(spec.params), 34]]);
  });
});

describe('real captures', () => {
  it.each([['curl_google'], ['curl_google_comments'], ['single_ipv6_conn'], ['test_ipv6_client']])(
    '%s: block counts, event offsets and numbers match a walk of its blocks',
    async (name) => {
      const raw = fixture(name);
      const blocks: Array<{ type: number; offset: number }> = [];
      for (let off = 0; off < raw.length; off += raw.readUInt32LE(off + 4)) blocks.push({ type: raw.readUInt32LE(off), offset: off });
      const eventBlocks = blocks.filter((b) => eventBlockKind(b.type) !== EventBlockKind.None);
      const { capture: cap, events } = await readCapture(raw);
      const want = new Map<number, number>();
      for (const b of blocks) want.set(b.type, (want.get(b.type) ?? 0) + 1);
      expect(new Map(cap.stats.blockCounts)).toEqual(want);
      expect(cap.stats.unknownEventTypes).toBe(0);
      expect(cap.stats.eventBlocks).toBe(eventBlocks.length);
      expect(events.map((e: ReadEvent) => e.blockOffset)).toEqual(eventBlocks.map((b) => b.offset));
      expect(events.map((e) => e.num)).toEqual(events.map((_, i) => i + 1));
      expect(cap.warnings).toEqual([]);
      const firstEvent = eventBlocks[0]!.offset;
      expect(cap.info.stateBlocks).toHaveLength(blocks.filter((b) => b.offset > 0 && b.offset < firstEvent).length);
    },
  );

  it('curl_google holds 1536 events, each the bytes of the block it names', async () => {
    const raw = fixture('curl_google');
    const { events } = await readCapture(raw);
    expect(events).toHaveLength(1536);
    for (const e of events) {
      const at = e.blockOffset;
      const type = raw.readUInt32LE(at);
      const evAt = at + 8 + (eventBlockHasFlags(type) ? 6 : 2);
      expect(raw.readBigUInt64LE(evAt)).toBe(e.ts);
      // Pre-1.2 events grow by the 4-byte nparams field the reader inserts.
      expect(raw.readUInt32LE(evAt + 16) + (eventBlockKind(type) === EventBlockKind.V1 ? 4 : 0)).toBe(e.len);
      expect(raw.readUInt16LE(at + 8)).toBe(e.cpu);
    }
  });
});
