import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockTypeName, ScapFormatError } from '../../scapfile/errors.js';
import {
  collectState, FdType, formatIpv6, InterfaceType, isStateBlockType, L4Proto, parseFdList, parseInterfaceList, parseMachineInfo,
  parseProcessList, parseStateBlock, parseUserList, stateBlockKind,
} from '../../scapfile/state-blocks/index.js';
import type { StateBlock, StateBlockContext, ThreadInfo } from '../../scapfile/state-blocks/index.js';
import {
  Bytes, fdEntry, fdListBody, GOLDEN_DIR, groupEntry, interfaceEntry, loadCapture, machineInfoBody, placeBlock,
  sampleThread, threadEntry, userEntry, V9_TRAILING_FIELDS, walkBlocks,
} from '../helpers/state-block-builders.js';

const BLOCK_OFFSET = 1_048_520;
type Parser<T> = (buf: Buffer, start: number, end: number, ctx: StateBlockContext) => T;

/** Frames `body` as a block of `type` at BLOCK_OFFSET and runs `parse` on it. */
function parseBody<T>(parse: Parser<T>, type: number, body: Buffer): T {
  const { buf, start, end } = placeBlock(type, body);
  return parse(buf, start, end, { blockType: type, blockOffset: BLOCK_OFFSET });
}

/** The ScapFormatError `fn` throws (fails the test if it throws anything else or nothing). */
function formatError(fn: () => unknown): ScapFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScapFormatError);
    return err as ScapFormatError;
  }
  throw new Error('expected a ScapFormatError');
}

/** Absolute offset of body byte `i`. */
const bodyAt = (i: number): number => BLOCK_OFFSET + 8 + i;

describe('machine info blocks', () => {
  const mi = {
    numCpus: 8, memorySizeBytes: 33_554_432_000, maxPid: 4_194_304, hostname: 'build-host-01',
    bootTsEpochNs: 1_700_000_000_123_456_789n, flags: 1n, reserved3: 3n, reserved4: 0xffff_ffff_ffff_ffffn,
  };

  it.each([0x201, 0x8002abcd])('reads every field of block 0x%s', (type) => {
    expect(parseBody(parseMachineInfo, type, machineInfoBody(mi))).toEqual(mi);
  });

  it('ignores bytes after the 180-byte struct', () => {
    expect(parseBody(parseMachineInfo, 0x201, machineInfoBody(mi, Buffer.alloc(20, 7)))).toEqual(mi);
  });

  it('rejects a body shorter than the struct, at the body start', () => {
    const err = formatError(() => parseBody(parseMachineInfo, 0x201, machineInfoBody(mi).subarray(0, 100)));
    expect(err.offset).toBe(bodyAt(0));
    expect(err.message).toBe(
      `scap: machine info body length 100 is less than the 180 bytes it must hold, at offset ${bodyAt(0)} (machine info block 0x201 starting at ${BLOCK_OFFSET})`,
    );
  });
});

// Which process list version first carries each field (engine/savefile/scap_savefile.c scap_read_proclist).
const FIRST_VERSION: Record<keyof ThreadInfo, number> = {
  tid: 1, pid: 1, ptid: 1, comm: 1, exe: 1, args: 1, cwd: 1, fdlimit: 1, flags: 1, uid: 1, gid: 1,
  vmsizeKb: 2, vmrssKb: 2, vmswapKb: 2, pfmajor: 2, pfminor: 2, env: 3, vtid: 4, vpid: 4, cgroups: 4,
  root: 5, sid: 6, exepath: 7, vpgid: 8,
  pidnsInitStartTsNs: 9, tty: 9, loginuid: 9, exeWritable: 9, capInheritable: 9, capPermitted: 9, capEffective: 9,
  exeUpperLayer: 9, exeIno: 9, exeInoCtimeNs: 9, exeInoMtimeNs: 9, exeFromMemfd: 9, exeLowerLayer: 9, pgid: 9,
  cloneTsNs: 99,
};
// libscap's values for fields a version lacks.
const LIBSCAP_DEFAULTS: ThreadInfo = {
  tid: 0, pid: 0, ptid: 0, sid: -1, vpgid: -1, pgid: -1, comm: '', exe: '', exepath: '', args: [], env: [], cwd: '',
  fdlimit: 0, flags: 0, uid: 0, gid: 0, loginuid: 4294967295, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0,
  pfminor: 0, vtid: -1, vpid: -1, cgroups: [], root: '', tty: 0, pidnsInitStartTsNs: 0n, cloneTsNs: 0n,
  exeWritable: false, exeUpperLayer: false, exeLowerLayer: false, exeFromMemfd: false,
  capInheritable: 0n, capPermitted: 0n, capEffective: 0n, exeIno: 0n, exeInoCtimeNs: 0n, exeInoMtimeNs: 0n,
};

/** What a thread looks like after a round trip through layout `version` keeping only `present` trailing fields. */
function expectedThread(version: number, t: ThreadInfo, present: readonly string[] = V9_TRAILING_FIELDS): ThreadInfo {
  const out = { ...LIBSCAP_DEFAULTS } as Record<string, unknown>;
  for (const key of Object.keys(FIRST_VERSION) as (keyof ThreadInfo)[]) {
    const first = FIRST_VERSION[key];
    if (version >= first && (first < 9 || present.includes(key))) out[key] = t[key];
  }
  return out as unknown as ThreadInfo;
}

const PL_TYPES: Array<[number, number]> = [
  [1, 0x202], [1, 0x8000abcd], [2, 0x207], [2, 0x8013abcd], [3, 0x209], [3, 0x8014abcd],
  [4, 0x210], [5, 0x211], [6, 0x212], [7, 0x213], [8, 0x214], [9, 0x215],
];

describe('process list blocks', () => {
  it.each(PL_TYPES)('V%i (block 0x%s) carries its fields and leaves the rest at libscap defaults', (version, type) => {
    const a = sampleThread(4242);
    const b = { ...sampleThread(77), comm: 'other', args: [], env: [], cgroups: [] };
    const body = Buffer.concat([threadEntry(version, a), threadEntry(version, b)]);
    const pl = parseBody(parseProcessList, type, body);
    expect(pl.version).toBe(version);
    expect(pl.threads).toEqual([expectedThread(version, a), expectedThread(version, b)]);
  });

  it('V9 reads only the trailing fields an entry has room for', () => {
    const t = sampleThread();
    for (let n = 0; n <= V9_TRAILING_FIELDS.length; n++) {
      const present = V9_TRAILING_FIELDS.slice(0, n);
      // Fewer than 29 bytes of trailer look like a pre-0.10.0 entry to libscap, so
      // only entries of at least pidns_init_start_ts + tty + 29 bytes keep the order.
      const trailerBytes = [8, 4, 4, 1, 8, 8, 8, 1, 8, 8, 8, 1, 1, 8].slice(0, n).reduce((s, x) => s + x, 0);
      if (trailerBytes > 0 && trailerBytes <= 29) continue;
      const [thread] = parseBody(parseProcessList, 0x215, threadEntry(9, t, { trailing: present })).threads;
      expect(thread, `${n} trailing fields`).toEqual(expectedThread(9, t, present));
    }
  });

  it('V9 treats a 29-byte trailer as a pre-0.10.0 entry (no pidns_init_start_ts, no tty)', () => {
    const t = sampleThread();
    const pre = ['loginuid', 'exeWritable', 'capInheritable', 'capPermitted', 'capEffective'] as const;
    const [thread] = parseBody(parseProcessList, 0x215, threadEntry(9, t, { trailing: pre })).threads;
    expect(thread).toEqual(expectedThread(9, t, pre));
  });

  it('V9 skips fields appended by newer writers', () => {
    const t = sampleThread();
    const body = Buffer.concat([threadEntry(9, t, { extra: Buffer.alloc(37, 0xab) }), threadEntry(9, sampleThread(5))]);
    const pl = parseBody(parseProcessList, 0x215, body);
    expect(pl.threads.map((x) => x.tid)).toEqual([4242, 5]);
    expect(pl.threads[0]).toEqual(expectedThread(9, t));
  });

  it('V9 with entry length 0 reads the fields every V9 entry has, and nothing after', () => {
    const t = sampleThread();
    const [thread] = parseBody(parseProcessList, 0x215, threadEntry(9, t, { trailing: [], declaredLen: 0 })).threads;
    expect(thread).toEqual(expectedThread(9, t, []));
  });

  it('splits args, env and cgroups on NUL like sinsp', () => {
    const cases: Array<[string, string[]]> = [
      ['', []], ['a', ['a']], ['a\0', ['a']], ['a\0b', ['a', 'b']], ['a\0\0', ['a', '']], ['\0\0', ['', '']],
      ['x\0 y\0', ['x', ' y']],
    ];
    for (const [raw, want] of cases) {
      const [thread] = parseBody(parseProcessList, 0x211, threadEntry(5, sampleThread(), { argsRaw: Buffer.from(raw) })).threads;
      expect(thread!.args, JSON.stringify(raw)).toEqual(want);
    }
  });

  it('gives threads with the same args, env or cgroups bytes one array each, and others their own', () => {
    // A process list of 5,113 threads held 27 MB of copies of the same lists.
    const a = sampleThread(1);
    const b = { ...sampleThread(2), args: ['other'] };
    const c = { ...sampleThread(3), env: [...a.env, 'X=1'] };
    const body = Buffer.concat([a, b, c, a].map((t) => threadEntry(9, t)));
    const [ta, tb, tc, ta2] = parseBody(parseProcessList, 0x215, body).threads;
    expect([ta, tb, tc, ta2]).toEqual([a, b, c, a].map((t) => expectedThread(9, t)));
    expect(tb!.env).toBe(ta!.env);
    expect(tc!.env).not.toBe(ta!.env);
    expect(tb!.args).not.toBe(ta!.args);
    expect(ta2!.args).toBe(ta!.args);
    expect(ta2!.cgroups).toBe(ta!.cgroups);
  });

  it('cuts strings at their first NUL, as the C strings libscap builds', () => {
    const t = { ...sampleThread(), comm: 'ab\0cd' };
    expect(parseBody(parseProcessList, 0x211, threadEntry(5, t)).threads[0]!.comm).toBe('ab');
  });

  it('rejects an entry length beyond the block, at the length field', () => {
    const first = threadEntry(9, sampleThread());
    const body = Buffer.concat([first, new Bytes().u32(9999).build(), Buffer.alloc(60)]);
    const { buf, start, end } = placeBlock(0x215, body);
    const err = formatError(() => parseProcessList(buf, start, end, { blockType: 0x215, blockOffset: BLOCK_OFFSET }));
    const left = end - (start + first.length);
    expect(err.offset).toBe(bodyAt(first.length));
    expect(err.blockType).toBe(0x215);
    expect(err.blockOffset).toBe(BLOCK_OFFSET);
    expect(err.message).toBe(
      `scap: process list entry length 9999 exceeds the ${left} bytes left, at offset ${bodyAt(first.length)} (process list block 0x215 starting at ${BLOCK_OFFSET})`,
    );
  });

  it('rejects a V9 entry length smaller than its fields, inside the entry', () => {
    const entry = threadEntry(9, sampleThread(), { declaredLen: 40 });
    const err = formatError(() => parseBody(parseProcessList, 0x215, entry));
    expect(err.offset).toBeGreaterThan(bodyAt(0));
    expect(err.offset).toBeLessThanOrEqual(bodyAt(40));
  });

  it('rejects a string longer than what is left, at its length field', () => {
    // comm length at body offset 24 (after tid, pid, ptid) in V5.
    const entry = threadEntry(5, sampleThread());
    entry.writeUInt16LE(1000, 24);
    const err = formatError(() => parseBody(parseProcessList, 0x211, entry.subarray(0, 100)));
    expect(err.offset).toBe(bodyAt(24));
    expect(err.message).toMatch(/^scap: comm length 1000 exceeds the \d+ bytes left, at offset /);
  });

  it('rejects strings over the limits libscap enforces', () => {
    const t = { ...sampleThread(), comm: 'c'.repeat(1025) };
    const err = formatError(() => parseBody(parseProcessList, 0x211, threadEntry(5, t)));
    expect(err.message).toMatch(/^scap: comm length 1025 exceeds the limit of 1024 bytes/);
    expect(parseBody(parseProcessList, 0x211, threadEntry(5, { ...t, comm: 'c'.repeat(1024) })).threads[0]!.comm).toHaveLength(1024);
  });

  it.each([1, 5, 9])('throws only ScapFormatError for every truncation of a V%i entry', (version) => {
    const type = PL_TYPES.find(([v]) => v === version)![1];
    const entry = threadEntry(version, sampleThread());
    for (let cut = 0; cut < entry.length; cut++) {
      const body = entry.subarray(0, cut);
      const buf = Buffer.from(body);
      const ctx = { blockType: type, blockOffset: BLOCK_OFFSET };
      if (cut < 4) {
        expect(parseProcessList(buf, 0, cut, ctx).threads).toEqual([]);
        continue;
      }
      const err = formatError(() => parseProcessList(buf, 0, cut, ctx));
      expect(err.offset).toBeGreaterThanOrEqual(bodyAt(0));
      expect(err.offset).toBeLessThanOrEqual(bodyAt(cut));
    }
  });
});

describe('fd list blocks', () => {
  const v6a = '20010db8000000000000000000000003';
  const v6b = '20010db8000000000000000000000004';
  const payloads = (version: 1 | 2): Buffer[] => [
    fdEntry(version, 3, 11n, FdType.IPV4_SOCK, new Bytes().ipv4('10.0.0.79').ipv4('8.8.8.8').u16(41000).u16(53).u8(L4Proto.UDP).build()),
    fdEntry(version, 4, 12n, FdType.IPV6_SOCK, new Bytes().ipv6hex(v6b).ipv6hex(v6a).u16(54405).u16(1234).u8(L4Proto.TCP).build()),
    fdEntry(version, 5, 13n, FdType.IPV4_SERVSOCK, new Bytes().ipv4('0.0.0.0').u16(22).u8(L4Proto.TCP).build()),
    fdEntry(version, 6, 14n, FdType.IPV6_SERVSOCK, new Bytes().ipv6hex('0'.repeat(32)).u16(80).u8(L4Proto.TCP).build()),
    fdEntry(version, 7, 15n, FdType.UNIX_SOCK, new Bytes().u64(0xffff8800_12345678n).u64(0n).str16('/run/x.sock').build()),
    fdEntry(version, 8, 0xffff_ffff_ffff_fff0n, FdType.FILE, new Bytes().str16('/etc/passwd').build()),
    fdEntry(version, 9, 16n, FdType.PIDFD, new Bytes().str16('anon_inode:[pidfd]').build()),
    fdEntry(version, 10, 17n, FdType.UNKNOWN, Buffer.alloc(0)),
  ];
  const expected = [
    { fd: 3, ino: 11n, type: 3, rawType: 3, info: { kind: 'ipv4', sip: '10.0.0.79', dip: '8.8.8.8', sport: 41000, dport: 53, l4proto: 3 } },
    { fd: 4, ino: 12n, type: 4, rawType: 4, info: { kind: 'ipv6', sip: '2001:db8::4', dip: '2001:db8::3', sport: 54405, dport: 1234, l4proto: 2 } },
    { fd: 5, ino: 13n, type: 5, rawType: 5, info: { kind: 'ipv4-server', ip: '0.0.0.0', port: 22, l4proto: 2 } },
    { fd: 6, ino: 14n, type: 6, rawType: 6, info: { kind: 'ipv6-server', ip: '::', port: 80, l4proto: 2 } },
    { fd: 7, ino: 15n, type: 8, rawType: 8, info: { kind: 'unix', source: 0xffff8800_12345678n, destination: 0n, path: '/run/x.sock' } },
    { fd: 8, ino: 0xffff_ffff_ffff_fff0n, type: 1, rawType: 1, info: { kind: 'name', name: '/etc/passwd' } },
    { fd: 9, ino: 16n, type: 21, rawType: 21, info: { kind: 'name', name: 'anon_inode:[pidfd]' } },
    { fd: 10, ino: 17n, type: 0, rawType: 0, info: { kind: 'none' } },
  ].map((f) => ({ tid: 1234, ...f }));

  it.each([[1, 0x203], [1, 0x8001abcd], [2, 0x218]] as const)('V%i (block 0x%s) reads every fd type', (version, type) => {
    const fdl = parseBody(parseFdList, type, fdListBody(1234, payloads(version)));
    expect(fdl).toEqual({ version, tid: 1234, fds: expected });
  });

  it('reads FILE_V2 dev only when a V2 entry has room for it', () => {
    const file = new Bytes().u32(0o100002).str16('/var/log/syslog');
    const withDev = fdEntry(2, 3, 1n, FdType.FILE_V2, Buffer.concat([file.build(), new Bytes().u32(0x801).build()]));
    const noDev = fdEntry(2, 4, 1n, FdType.FILE_V2, file.build());
    const v1 = fdEntry(1, 5, 1n, FdType.FILE_V2, file.build());
    const fds2 = parseBody(parseFdList, 0x218, fdListBody(1, [withDev, noDev])).fds;
    expect(fds2.map((f) => f.info)).toEqual([
      { kind: 'file', openFlags: 0o100002, name: '/var/log/syslog', mountId: 0, dev: 0x801 },
      { kind: 'file', openFlags: 0o100002, name: '/var/log/syslog', mountId: 0, dev: 0 },
    ]);
    expect(parseBody(parseFdList, 0x203, fdListBody(1, [v1])).fds[0]!.info).toMatchObject({ dev: 0 });
  });

  it('skips bytes a newer writer appended to a V2 entry, and marks unknown types unsupported', () => {
    const ipv4 = new Bytes().ipv4('1.2.3.4').u16(1).u8(2).u8(9).u8(9).build();
    const future = fdEntry(2, 7, 2n, 42, Buffer.from('future payload'));
    const fds = parseBody(parseFdList, 0x218, fdListBody(1, [fdEntry(2, 6, 1n, FdType.IPV4_SERVSOCK, ipv4), future])).fds;
    expect(fds[0]!.info).toEqual({ kind: 'ipv4-server', ip: '1.2.3.4', port: 1, l4proto: 2 });
    expect(fds[1]).toMatchObject({ fd: 7, type: FdType.UNSUPPORTED, rawType: 42, info: { kind: 'name', name: 'unknown-type:[42]' } });
  });

  it('rejects an unknown type in a V1 entry, whose size is then unknowable', () => {
    const err = formatError(() => parseBody(parseFdList, 0x203, fdListBody(1, [fdEntry(1, 7, 2n, 42, Buffer.alloc(8))])));
    expect(err.offset).toBe(bodyAt(8 + 16));
    expect(err.message).toMatch(/^scap: unknown fd type 42, at offset/);
  });

  it('rejects names of 1024 bytes or more, and V2 entries shorter than their head', () => {
    const long = fdEntry(1, 1, 1n, FdType.FILE, new Bytes().str16('n'.repeat(1024)).build());
    expect(formatError(() => parseBody(parseFdList, 0x203, fdListBody(1, [long]))).message).toMatch(/fd name length 1024 exceeds the limit of 1023/);
    const short = fdEntry(2, 1, 1n, FdType.FILE, new Bytes().str16('x').build(), 12);
    const err = formatError(() => parseBody(parseFdList, 0x218, fdListBody(1, [short])));
    expect(err.message).toMatch(/^scap: fd list entry length 12 is less than the 21 bytes it must hold, at offset /);
    expect(err.offset).toBe(bodyAt(8));
  });
});

describe('interface list blocks', () => {
  const v4 = new Bytes().ipv4('10.0.0.79').ipv4('255.255.255.0').ipv4('10.0.0.255').build();
  const v6 = new Bytes().ipv6hex('fe8000000000000000000000fe7d6f7e').ipv6hex('ffffffffffffffff0000000000000000')
    .ipv6hex('00000000000000000000ffff0a000001').build();
  const entries = (version: 1 | 2): Buffer[] => [
    interfaceEntry(version, InterfaceType.IPV4, 'eth0', v4, 1000n),
    interfaceEntry(version, InterfaceType.IPV6, 'eth0', v6, 10_000n),
    interfaceEntry(version, InterfaceType.IPV4_NOLINKSPEED, 'lo', v4, undefined),
    interfaceEntry(version, InterfaceType.IPV6_NOLINKSPEED, 'lo', v6, undefined),
  ];
  const v4Want = { addr: '10.0.0.79', netmask: '255.255.255.0', bcast: '10.0.0.255' };
  const v6Want = { addr: 'fe80::fe7d:6f7e', netmask: 'ffff:ffff:ffff:ffff::', bcast: '::ffff:10.0.0.1' };

  it.each([[1, 0x205], [1, 0x8011abcd], [2, 0x219]] as const)('V%i (block 0x%s) reads all four entry layouts', (version, type) => {
    const il = parseBody(parseInterfaceList, type, Buffer.concat(entries(version)));
    expect(il).toEqual({
      version,
      ipv4: [{ type: 1, name: 'eth0', ...v4Want, linkspeed: 1000 }, { type: 3, name: 'lo', ...v4Want, linkspeed: 0 }],
      ipv6: [{ type: 2, name: 'eth0', ...v6Want, linkspeed: 10_000 }, { type: 4, name: 'lo', ...v6Want, linkspeed: 0 }],
    });
  });

  it('skips bytes appended to a V2 entry', () => {
    const body = Buffer.concat([interfaceEntry(2, 1, 'a', v4, 1n, Buffer.alloc(9, 1)), interfaceEntry(2, 1, 'b', v4, 2n)]);
    expect(parseBody(parseInterfaceList, 0x219, body).ipv4.map((i) => [i.name, i.linkspeed])).toEqual([['a', 1], ['b', 2]]);
  });

  it('rejects unknown entry types, over-long names and V2 lengths below the type size', () => {
    const bad = interfaceEntry(1, 7, 'x', v4, 1n);
    expect(formatError(() => parseBody(parseInterfaceList, 0x205, bad)).message).toMatch(/^scap: unknown interface type 7, at offset/);
    const long = Buffer.from(interfaceEntry(1, 1, 'x', v4, 1n));
    long.writeUInt16LE(1024, 2);
    expect(formatError(() => parseBody(parseInterfaceList, 0x205, long)).message).toMatch(/interface name length 1024 exceeds the limit of 1023/);
    const short = Buffer.from(interfaceEntry(2, 1, 'x', v4, 1n));
    short.writeUInt32LE(10, 0);
    const err = formatError(() => parseBody(parseInterfaceList, 0x219, short));
    expect(err.offset).toBe(bodyAt(0));
    expect(err.message).toMatch(/^scap: interface entry length 10 is less than the 25 bytes it must hold/);
  });
});

it('formats IPv6 addresses as inet_ntop does', () => {
  const cases: Array<[string, string]> = [
    ['00000000000000000000000000000000', '::'], ['00000000000000000000000000000001', '::1'],
    ['00010000000000000000000000000000', '1::'], ['00010000000000010000000000000000', '1:0:0:1::'],
    ['00010000000000020000000000030004', '1::2:0:0:3:4'], ['00010000000200030004000500060007', '1:0:2:3:4:5:6:7'],
    ['00000000000000000000ffff01020304', '::ffff:1.2.3.4'], ['00000000000000000000000001020304', '::1.2.3.4'],
    ['2607f8b0400408020000000000002004', '2607:f8b0:4004:802::2004'],
  ];
  for (const [hex, want] of cases) expect(formatIpv6(Buffer.from(hex, 'hex'), 0), hex).toBe(want);
});

describe('user list blocks', () => {
  const root = { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' };
  const www = { uid: 33, gid: 33, name: 'www-data', homedir: '/var/www', shell: '/usr/sbin/nologin' };

  it.each([[1, 0x206], [1, 0x8012abcd], [2, 0x220]] as const)('V%i (block 0x%s) reads users and groups', (version, type) => {
    const body = Buffer.concat([
      userEntry(version, root), groupEntry(version, { gid: 0, name: 'root' }), userEntry(version, www),
      groupEntry(version, { gid: 4, name: 'adm' }, 7),
    ]);
    expect(parseBody(parseUserList, type, body)).toEqual({
      version, users: [root, www], groups: [{ gid: 0, name: 'root' }, { gid: 4, name: 'adm' }],
    });
  });

  it('skips bytes appended to a V2 entry, and rejects names of 256 bytes', () => {
    const body = Buffer.concat([userEntry(2, root, Buffer.from('container-id')), groupEntry(2, { gid: 1, name: 'g' }, 1, Buffer.alloc(3))]);
    expect(parseBody(parseUserList, 0x220, body)).toMatchObject({ users: [root], groups: [{ gid: 1, name: 'g' }] });
    const long = userEntry(1, { ...root, name: 'u'.repeat(256) });
    const err = formatError(() => parseBody(parseUserList, 0x206, long));
    expect(err.message).toMatch(/^scap: user name length 256 exceeds the limit of 255 bytes, at offset /);
    expect(err.offset).toBe(bodyAt(9));
  });
});

describe('dispatch', () => {
  const STATE_TYPES: Array<[number, StateBlock['kind']]> = [
    [0x201, 'machine-info'], [0x8002abcd, 'machine-info'],
    ...PL_TYPES.map(([, t]) => [t, 'process-list'] as [number, StateBlock['kind']]),
    [0x203, 'fd-list'], [0x8001abcd, 'fd-list'], [0x218, 'fd-list'],
    [0x205, 'interface-list'], [0x8011abcd, 'interface-list'], [0x219, 'interface-list'],
    [0x206, 'user-list'], [0x8012abcd, 'user-list'], [0x220, 'user-list'],
  ];

  it('knows every state block id and no other', () => {
    for (const [type, kind] of STATE_TYPES) {
      expect(isStateBlockType(type)).toBe(true);
      expect(stateBlockKind(type)).toBe(kind);
    }
    for (const type of [0x0a0d0d0a, 0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222, 0x200, 0x216abcd]) {
      expect(isStateBlockType(type)).toBe(false);
      expect(() => parseStateBlock(type, Buffer.alloc(8), 0, 8, { blockType: type, blockOffset: 0 })).toThrow(RangeError);
    }
  });

  it('returns a tagged union', () => {
    const { buf, start, end } = placeBlock(0x206, userEntry(1, { uid: 1, gid: 1, name: 'a', homedir: '/', shell: '' }));
    const block = parseStateBlock(0x206, buf, start, end, { blockType: 0x206, blockOffset: 0 });
    expect(block.kind).toBe('user-list');
    if (block.kind === 'user-list') expect(block.userList.users).toHaveLength(1);
  });

  it('names every block type, unknown ones by hex', () => {
    expect(blockTypeName(0x215)).toBe('process list');
    expect(blockTypeName(0x8014abcd)).toBe('process list');
    expect(blockTypeName(0x218)).toBe('fd list');
    expect(blockTypeName(0x221)).toBe('event');
    expect(blockTypeName(0x222)).toBe('event with flags');
    expect(blockTypeName(0x0a0d0d0a)).toBe('section header');
    expect(blockTypeName(0x1234)).toBe('0x1234');
  });

  it('parses mutated bodies of every family without any error but ScapFormatError', () => {
    const bodies: Array<[number, Buffer]> = [
      [0x215, Buffer.concat([threadEntry(9, sampleThread()), threadEntry(9, sampleThread(3))])],
      [0x211, threadEntry(5, sampleThread())],
      [0x218, fdListBody(9, [fdEntry(2, 1, 1n, FdType.UNIX_SOCK, new Bytes().u64(1n).u64(2n).str16('/s').build())])],
      [0x203, fdListBody(9, [fdEntry(1, 1, 1n, FdType.IPV6_SOCK, Buffer.alloc(37))])],
      [0x219, Buffer.concat([interfaceEntry(2, 2, 'eth0', Buffer.alloc(48), 1n)])],
      [0x206, Buffer.concat([userEntry(1, { uid: 1, gid: 1, name: 'a', homedir: '/h', shell: '/s' })])],
      [0x201, machineInfoBody({ numCpus: 1, memorySizeBytes: 1, maxPid: 1, hostname: 'h', bootTsEpochNs: 0n, flags: 0n, reserved3: 0n, reserved4: 0n })],
    ];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const [type, body] of bodies) {
      for (let i = 0; i < 400; i++) {
        const m = Buffer.from(body);
        for (let k = 1 + rand(4); k > 0; k--) m[rand(m.length)] = rand(4) === 0 ? 0xff : rand(256);
        const cut = rand(3) === 0 ? rand(m.length) : m.length;
        try {
          parseStateBlock(type, m, 0, cut, { blockType: type, blockOffset: 0 });
        } catch (err) {
          expect(err).toBeInstanceOf(ScapFormatError);
        }
      }
    }
  });
});

describe('real captures', () => {
  const parseAll = (name: string): { blocks: Array<StateBlock & { type: number }>; types: number[] } => {
    const raw = loadCapture(name);
    const all = walkBlocks(raw);
    const blocks = all.filter((b) => isStateBlockType(b.type)).map((b) => ({
      type: b.type, ...parseStateBlock(b.type, raw, b.start, b.end, { blockType: b.type, blockOffset: b.offset }),
    }));
    return { blocks, types: all.map((b) => b.type) };
  };
  const count = (types: number[], t: number): number => types.filter((x) => x === t).length;

  /** Checks golden procs.txt lines of threads that were in the process list against it. */
  function checkGoldenProcs(name: string, blocks: StateBlock[]): number {
    const st = collectState(blocks);
    const userName = (uid: number): string => st.users.find((u) => u.uid === uid)?.name ?? '<NA>';
    let checked = 0;
    for (const line of readFileSync(`${GOLDEN_DIR}/${name}/procs.txt`, 'utf8').split('\n')) {
      // %proc.pid %proc.ppid %proc.name %proc.exepath %proc.cmdline %user.name %proc.vpid
      const m = /^(\d+) (\S+) (\S+) (\S*) (.*) (\S+) (\d+)$/.exec(line);
      if (!m) continue;
      const [, pid, ppid, comm, exepath, cmdline, user, vpid] = m;
      const t = st.threads.find((x) => x.pid === Number(pid) && x.comm === comm);
      if (!t) continue; // started during the capture: known from events only
      const main = st.threads.find((x) => x.tid === t.pid) ?? t;
      expect([comm, ...t.args].join(' '), line).toBe(cmdline);
      expect(t.exepath, line).toBe(exepath);
      expect(userName(t.uid), line).toBe(user);
      expect(String(t.vpid), line).toBe(vpid);
      expect(main.ptid > 0 ? String(main.ptid) : '<NA>', line).toBe(ppid);
      checked++;
    }
    return checked;
  }

  it('curl_google: MI, IL, UL, PL_V5 and 54 FDL blocks', () => {
    const { blocks, types } = parseAll('curl_google');
    expect(count(types, 0x211)).toBe(1);
    expect(count(types, 0x203)).toBe(54);
    const st = collectState(blocks);
    expect(st.machine).toMatchObject({ hostname: 'ip-10-0-0-79', numCpus: 1, memorySizeBytes: 1_038_864_384, bootTsEpochNs: 0n });
    expect(st.threads).toHaveLength(54);
    expect(st.fds).toHaveLength(316);
    expect([st.users.length, st.groups.length]).toEqual([31, 55]);
    expect(st.interfaces.map((i) => `${i.name} ${i.addr}`)).toEqual([
      'lo 127.0.0.1', 'eth0 10.0.0.79', 'lo ::1', 'eth0 2600:1f18:262c:6542:9aa6:df7a:9a47:d29e', 'eth0 fe80::ceb:feff:fe7d:6f7e',
    ]);
    const sysdig = st.threads.find((t) => t.tid === 17496)!;
    expect(sysdig).toMatchObject({ pid: 17496, ptid: 17495, comm: 'sysdig', args: ['-zw', 'curl.scap', 'proc.name=curl'], uid: 0, cwd: '/home/ubuntu' });
    const bash = st.threads.find((t) => t.tid === 3200)!;
    expect(bash).toMatchObject({ comm: 'bash', exe: '-bash', uid: 1000, sid: -1, exepath: '', loginuid: 4294967295 });
    expect(st.fds.find((f) => f.tid === 3199 && f.fd === 3)!.info).toEqual({
      kind: 'ipv4', sip: '10.0.0.79', dip: '50.207.137.246', sport: 22, dport: 63740, l4proto: L4Proto.TCP,
    });
    expect(st.fds.find((f) => f.tid === 1182 && f.fd === 5)!.info).toEqual({ kind: 'ipv6-server', ip: 'fe80::ceb:feff:fe7d:6f7e', port: 546, l4proto: 2 });
    // every procs.txt line but curl (exec'd during the capture) and the <NA> line
    expect(checkGoldenProcs('curl_google', blocks)).toBe(16);
  });

  it('curl_google_comments: the same state as curl_google', () => {
    const strip = (bs: StateBlock[]): unknown => collectState(bs);
    expect(strip(parseAll('curl_google_comments').blocks)).toEqual(strip(parseAll('curl_google').blocks));
  });

  it('single_ipv6_conn: IL_V2, UL_V2, PL_V9 and 154 FDL_V2 blocks', () => {
    const { blocks, types } = parseAll('single_ipv6_conn');
    expect([count(types, 0x215), count(types, 0x218), count(types, 0x219), count(types, 0x220)]).toEqual([1, 154, 1, 1]);
    const st = collectState(blocks);
    expect(st.machine).toMatchObject({ hostname: 'ubuntu', numCpus: 2 });
    expect(st.threads).toHaveLength(154);
    expect(st.fds).toHaveLength(564);
    expect([st.users.length, st.groups.length]).toEqual([42, 72]);
    expect(st.interfaces.filter((i) => i.name === 'lo').map((i) => i.addr)).toEqual(['127.0.0.1', '2001:db8::4', '2001:db8::3', '::1']);
    const init = st.threads.find((t) => t.tid === 1)!;
    expect(init).toMatchObject({ comm: 'systemd', exe: '/sbin/init', exepath: '/lib/systemd/systemd', sid: 1, vpgid: 1, root: '/' });
    expect(init.cgroups).toContain('pids=/init.scope');
    expect(st.fds.find((f) => f.tid === 1 && f.fd === 0)!.info).toEqual({ kind: 'file', openFlags: 3, name: '/dev/null', mountId: 0, dev: 0 });
    expect(st.fds.find((f) => f.tid === 1310 && f.fd === 9)!.info).toEqual({ kind: 'ipv6-server', ip: '::', port: 80, l4proto: 2 });
    expect(checkGoldenProcs('single_ipv6_conn', blocks)).toBe(38);
  });

  it('test_ipv6_client: PL_V5 and 58 FDL blocks', () => {
    const { blocks, types } = parseAll('test_ipv6_client');
    expect(count(types, 0x203)).toBe(58);
    const st = collectState(blocks);
    expect(st.threads).toHaveLength(58);
    expect(st.fds).toHaveLength(333);
    expect(checkGoldenProcs('test_ipv6_client', blocks)).toBe(24);
  });

  it('errors point into the real block when a real body is cut short', () => {
    const raw = loadCapture('single_ipv6_conn');
    const pl = walkBlocks(raw).find((b) => b.type === 0x215)!;
    const firstLen = raw.readUInt32LE(pl.start);
    const err = formatError(() => parseProcessList(raw, pl.start, pl.start + firstLen - 10, { blockType: 0x215, blockOffset: pl.offset }));
    expect(err.offset).toBe(pl.start);
    expect(err.message).toBe(
      `scap: process list entry length ${firstLen} exceeds the ${firstLen - 10} bytes left, at offset ${pl.start} (process list block 0x215 starting at ${pl.offset})`,
    );
  });
});
