// fast-check arbitraries of whole captures for the writer's property tests:
// state of every block type (machine info, threads with every field, fds of
// every kind, users and groups, IPv4/IPv6 interfaces with and without link
// speed) and events of every schema type (so every parameter type), with
// cpus, block flags and large payloads. Values stay inside what the format
// can carry and the reader reads back unchanged (no NUL inside strings, no
// list of one empty item, numbers exact as JS numbers).

import fc from 'fast-check';
import { EVENTS } from '../../../scapfile/schema/events.js';
import { EventFlag } from '../../../scapfile/schema/types.js';
import { EventBatchBuilder } from '../../../scapfile/event-batch.js';
import type { EventBatch } from '../../../scapfile/event-batch.js';
import { formatIpv6 } from '../../../scapfile/state-blocks/index.js';
import type { CaptureState } from '../../../scapfile/state-blocks/index.js';
import { FdType, InterfaceType } from '../../../scapfile/state-blocks/types.js';
import type {
  FdInfo, GroupInfo, InterfaceAddress, MachineInfo, ThreadInfo, UserInfo,
} from '../../../scapfile/state-blocks/types.js';
import { encodeEvent } from '../../helpers/event-builder.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const i64 = fc.maxSafeInteger();
const u64n = fc.maxSafeNat();
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const latin1 = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 1, max: 255 }), { maxLength }).map((cs) => String.fromCharCode(...cs));
const list = fc.array(latin1(20), { maxLength: 4 }).filter((l) => !(l.length === 1 && l[0] === ''));
const ipv4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((b) => b.join('.'));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(Buffer.from(b), 0));

const machine: fc.Arbitrary<MachineInfo> = fc.record({
  numCpus: u32, memorySizeBytes: u64n, maxPid: u64n, hostname: latin1(128),
  bootTsEpochNs: u64, flags: u64, reserved3: u64, reserved4: u64,
});

const thread: fc.Arbitrary<ThreadInfo> = fc.record({
  tid: i64, pid: i64, ptid: i64, sid: i64, vpgid: i64, pgid: i64,
  comm: latin1(16), exe: latin1(40), exepath: latin1(60), args: list, env: list, cwd: latin1(40),
  fdlimit: i64, flags: u32, uid: u32, gid: u32, loginuid: u32,
  vmsizeKb: u32, vmrssKb: u32, vmswapKb: u32, pfmajor: u64n, pfminor: u64n,
  vtid: i64, vpid: i64, cgroups: list, root: latin1(20), tty: u32,
  pidnsInitStartTsNs: u64, cloneTsNs: fc.constant(0n),
  exeWritable: fc.boolean(), exeUpperLayer: fc.boolean(), exeLowerLayer: fc.boolean(), exeFromMemfd: fc.boolean(),
  capInheritable: u64, capPermitted: u64, capEffective: u64, exeIno: u64, exeInoCtimeNs: u64, exeInoMtimeNs: u64,
});

const NAME_ONLY = [
  FdType.FIFO, FdType.FILE, FdType.DIRECTORY, FdType.UNSUPPORTED, FdType.EVENT, FdType.SIGNALFD, FdType.EVENTPOLL,
  FdType.INOTIFY, FdType.TIMERFD, FdType.NETLINK, FdType.BPF, FdType.USERFAULTFD, FdType.IOURING, FdType.MEMFD,
  FdType.PIDFD,
];
const port = fc.integer({ min: 0, max: 65535 });
const proto = fc.integer({ min: 0, max: 255 });
const fdDetails: fc.Arbitrary<Pick<FdInfo, 'type' | 'info'>> = fc.oneof(
  fc.record({ sip: ipv4, dip: ipv4, sport: port, dport: port, l4proto: proto })
    .map((i) => ({ type: FdType.IPV4_SOCK, info: { kind: 'ipv4' as const, ...i } })),
  fc.record({ sip: ipv6, dip: ipv6, sport: port, dport: port, l4proto: proto })
    .map((i) => ({ type: FdType.IPV6_SOCK, info: { kind: 'ipv6' as const, ...i } })),
  fc.record({ ip: ipv4, port, l4proto: proto }).map((i) => ({ type: FdType.IPV4_SERVSOCK, info: { kind: 'ipv4-server' as const, ...i } })),
  fc.record({ ip: ipv6, port, l4proto: proto }).map((i) => ({ type: FdType.IPV6_SERVSOCK, info: { kind: 'ipv6-server' as const, ...i } })),
  fc.record({ source: u64, destination: u64, path: latin1(60) })
    .map((i) => ({ type: FdType.UNIX_SOCK, info: { kind: 'unix' as const, ...i } })),
  fc.record({ openFlags: u32, name: latin1(80), dev: u32 })
    .map((i) => ({ type: FdType.FILE_V2, info: { kind: 'file' as const, mountId: 0, ...i } })),
  fc.record({ type: fc.constantFrom(...NAME_ONLY), name: latin1(80) })
    .map(({ type, name }) => ({ type, info: { kind: 'name' as const, name } })),
);
const fd: fc.Arbitrary<FdInfo> = fc.record({ tid: fc.integer({ min: 1, max: 5 }), fd: i64, ino: u64, d: fdDetails })
  .map(({ tid, fd: n, ino, d }) => ({ tid, fd: n, ino, type: d.type, rawType: d.type, info: d.info }));

const user: fc.Arbitrary<UserInfo> = fc.record({ uid: u32, gid: u32, name: latin1(32), homedir: latin1(64), shell: latin1(32) });
const group: fc.Arbitrary<GroupInfo> = fc.record({ gid: u32, name: latin1(32) });
const iface: fc.Arbitrary<InterfaceAddress> = fc.oneof(
  fc.record({ type: fc.constant(InterfaceType.IPV4), name: latin1(15), addr: ipv4, netmask: ipv4, bcast: ipv4, linkspeed: u64n }),
  fc.record({ type: fc.constant(InterfaceType.IPV4_NOLINKSPEED), name: latin1(15), addr: ipv4, netmask: ipv4, bcast: ipv4, linkspeed: fc.constant(0) }),
  fc.record({ type: fc.constant(InterfaceType.IPV6), name: latin1(15), addr: ipv6, netmask: ipv6, bcast: ipv6, linkspeed: u64n }),
  fc.record({ type: fc.constant(InterfaceType.IPV6_NOLINKSPEED), name: latin1(15), addr: ipv6, netmask: ipv6, bcast: ipv6, linkspeed: fc.constant(0) }),
);
const isV4 = (a: InterfaceAddress): boolean => a.type === InterfaceType.IPV4 || a.type === InterfaceType.IPV4_NOLINKSPEED;

/** A random initial state; interfaces ordered as they read back (IPv4 first). */
export const captureState: fc.Arbitrary<CaptureState> = fc.record({
  machine: fc.option(machine, { nil: undefined }),
  threads: fc.array(thread, { maxLength: 5 }),
  fds: fc.array(fd, { maxLength: 8 }),
  users: fc.array(user, { maxLength: 4 }),
  groups: fc.array(group, { maxLength: 4 }),
  interfaces: fc.array(iface, { maxLength: 4 }).map((l) => [...l.filter(isV4), ...l.filter((a) => !isV4(a))]),
});

const LARGE_TYPES = EVENTS.filter((e) => e.flags & EventFlag.LARGE_PAYLOAD).map((e) => e.id);

/** One event to write: type, parameters (the schema's count), cpu, block flags. */
export interface RandomEvent {
  type: number;
  tid: number;
  ts: bigint;
  params: Buffer[];
  cpu: number;
  flags: number;
}

/** Parameters of event `type`: its schema's count, random bytes; large payload types sometimes exceed 64 KiB. */
export function paramsFor(type: number, seed: number, big: boolean): Buffer[] {
  const n = EVENTS[type]!.params.length;
  const large = (EVENTS[type]!.flags & EventFlag.LARGE_PAYLOAD) !== 0;
  const out: Buffer[] = [];
  for (let k = 0; k < n; k++) {
    const len = large && big && k === 0 ? 70_000 + (seed % 5000) : (seed * (k + 7)) % 300;
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) b[i] = (seed + i * 31 + k) & 0xff;
    out.push(b);
  }
  return out;
}

export const randomEvent: fc.Arbitrary<RandomEvent> = fc.record({
  type: fc.oneof(fc.integer({ min: 0, max: EVENTS.length - 1 }), fc.constantFrom(...LARGE_TYPES)),
  tid: i64,
  ts: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  seed: fc.nat({ max: 1_000_000 }),
  big: fc.boolean(),
  cpu: fc.integer({ min: 0, max: 65535 }),
  flags: fc.oneof(fc.constant(0), u32),
}).map(({ seed, big, ...e }) => ({ ...e, params: paramsFor(e.type, seed, big) }));

/** A batch holding `events` back to back. */
export function batchOf(events: readonly RandomEvent[], firstNum = 1): EventBatch {
  const parts: Buffer[] = [];
  const b = new EventBatchBuilder(Math.max(events.length, 1));
  let at = 0;
  events.forEach((e, i) => {
    const bytes = encodeEvent({ type: e.type, tid: e.tid, ts: e.ts, params: e.params });
    parts.push(bytes);
    b.push(at, e.cpu, e.flags, firstNum + i, 0);
    at += bytes.length;
  });
  return b.finish(Buffer.concat(parts, at));
}
