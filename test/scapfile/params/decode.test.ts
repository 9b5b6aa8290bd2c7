// Typed decoding of parameters (scapfile/params/decode.ts).

import { describe, expect, it } from 'vitest';
import { decodeParam, paramBytes, paramInt, paramLatin1, paramUint } from '../../../scapfile/params/decode.js';
import { EVENTS, EventType } from '../../../scapfile/schema/events.js';
import { ParamType, type ParamInfo } from '../../../scapfile/schema/types.js';
import {
  bytes, cursorFor, empty, fdlist, i16, i64, ip6, sockaddr4, sockaddr6, sockaddrUnix, str, tuple4, tuple6, tupleUnix, u16, u32, u64, u8,
} from '../../helpers/event-builder.js';

const P = (type: number, extra: Partial<ParamInfo> = {}): ParamInfo => ({ name: 'p', type, format: 1, ...extra });
const decode = (info: ParamInfo, value: Buffer) =>
  decodeParam(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [value] }), 0, info);

describe('decodeParam', () => {
  it('reads integers by type, 64-bit ones as bigint (unsigned types unsigned)', () => {
    expect(decode(P(ParamType.INT16), i16(-2))).toEqual({ kind: 'int', type: ParamType.INT16, value: -2 });
    expect(decode(P(ParamType.UINT32), u32(0xffffffff))).toMatchObject({ kind: 'int', value: 4294967295 });
    expect(decode(P(ParamType.ERRNO), i64(-2))).toMatchObject({ kind: 'int64', value: -2n });
    expect(decode(P(ParamType.UINT64), u64(-1))).toMatchObject({ kind: 'int64', value: 2n ** 64n - 1n });
    expect(decode(P(ParamType.RELTIME), u64(5))).toMatchObject({ kind: 'int64', value: 5n });
    expect(decode(P(ParamType.FD32), u32(0xffffffff))).toMatchObject({ kind: 'int', value: -1 });
  });
  it('gives an explicit empty value for zero-length parameters and for legacy (NULL) strings', () => {
    expect(decode(P(ParamType.FD), empty())).toEqual({ kind: 'empty', type: ParamType.FD });
    expect(decode(P(ParamType.FSPATH), bytes('(NULL)\0'))).toEqual({ kind: 'empty', type: ParamType.FSPATH });
  });
  it('reports a wrong size instead of reading past the parameter', () => {
    expect(decode(P(ParamType.FD), u32(3))).toMatchObject({ kind: 'invalid', reason: 'expected 8 bytes, found 4' });
    expect(decode(P(ParamType.SOCKADDR), Buffer.from([2, 1, 2]))).toMatchObject({ kind: 'invalid', reason: 'sockaddr needs at least 7 bytes, found 3' });
    expect(decode(P(ParamType.SOCKTUPLE), Buffer.concat([u8(1), u64(1), u64(2), bytes('x')]))).toMatchObject({ kind: 'invalid' });
    expect(decode(P(ParamType.FDLIST), u8(1))).toMatchObject({ kind: 'invalid' });
  });
  it('decodes uid/gid with 0xffffffff as none, bools and doubles', () => {
    expect(decode(P(ParamType.UID), u32(0xffffffff))).toMatchObject({ kind: 'id', value: null });
    expect(decode(P(ParamType.GID), u32(5))).toMatchObject({ kind: 'id', value: 5 });
    expect(decode(P(ParamType.BOOL), u32(2))).toMatchObject({ kind: 'bool', value: true });
    const d = Buffer.alloc(8); d.writeDoubleLE(1.25);
    expect(decode(P(ParamType.DOUBLE), d)).toMatchObject({ kind: 'double', value: 1.25 });
  });
  it('keeps strings as bytes and latin1 text, buffers as views', () => {
    const v = decode(P(ParamType.CHARBUF), bytes('caf\xe9\0'));
    expect(v).toMatchObject({ kind: 'string', value: 'caf\xe9' });
    if (v.kind === 'string') expect([...v.bytes]).toEqual([0x63, 0x61, 0x66, 0xe9]);
    const raw = bytes([0, 1, 2]);
    const b = decode(P(ParamType.BYTEBUF), raw);
    expect(b.kind === 'bytes' && [...b.value]).toEqual([0, 1, 2]);
  });
  it('decodes socket addresses and tuples of each family', () => {
    const a4 = decode(P(ParamType.SOCKADDR), sockaddr4('1.2.3.4', 80));
    expect(a4.kind === 'sockaddr' && a4.value.family === 'inet' && [[...a4.value.ip], a4.value.port]).toEqual([[1, 2, 3, 4], 80]);
    expect(decode(P(ParamType.SOCKADDR), sockaddr6(ip6(0, 0, 0, 0, 0, 0, 0, 1), 53))).toMatchObject({ value: { family: 'inet6', port: 53 } });
    const un = decode(P(ParamType.SOCKADDR), sockaddrUnix('/run/x'));
    expect(un.kind === 'sockaddr' && un.value.family === 'unix' && un.value.path.toString()).toBe('/run/x');
    expect(decode(P(ParamType.SOCKADDR), u8(17))).toMatchObject({ value: { family: 'other', code: 17 } });
    expect(decode(P(ParamType.SOCKTUPLE), tuple4('1.1.1.1', 1, '2.2.2.2', 2))).toMatchObject({ value: { family: 'inet', sport: 1, dport: 2 } });
    expect(decode(P(ParamType.SOCKTUPLE), tuple6(ip6(1), 3, ip6(2), 4))).toMatchObject({ value: { family: 'inet6', sport: 3, dport: 4 } });
    expect(decode(P(ParamType.SOCKTUPLE), tupleUnix(1n, 0xffff8800n, '/s'))).toMatchObject({ value: { family: 'unix', source: 1n, dest: 0xffff8800n } });
  });
  it('decodes fd lists, string arrays and DYN variants', () => {
    expect(decode(P(ParamType.FDLIST), fdlist([[3, 1], [-1, -1]]))).toMatchObject({ value: [{ fd: 3, flags: 1 }, { fd: -1, flags: -1 }] });
    const arr = decode(P(ParamType.CHARBUFARRAY), bytes('a\0b\0'));
    expect(arr.kind === 'strings' && arr.value.map(String)).toEqual(['a', 'b']);
    const dyn = EVENTS[EventType.SYSCALL_PTRACE_X]!.params[1]!;
    expect(decode(dyn, Buffer.concat([u8(1), u8(9)]))).toMatchObject({ kind: 'dyn', index: 1, value: { kind: 'int', value: 9 } });
    expect(decode(dyn, Buffer.concat([u8(7), u8(9)]))).toMatchObject({ kind: 'dyn', index: 7, info: undefined });
  });
  it('decodes IP addresses and networks', () => {
    expect(decode(P(ParamType.IPV4ADDR), Buffer.from([1, 2, 3, 4]))).toMatchObject({ kind: 'ipaddr' });
    expect(decode(P(ParamType.IPADDR), Buffer.from([1, 2, 3]))).toMatchObject({ kind: 'invalid' });
    const net = decode(P(ParamType.IPNET), Buffer.from([10, 0, 0, 0, 255, 0, 0, 0]));
    expect(net.kind === 'ipnet' && [net.addr.length, net.mask.length]).toEqual([4, 4]);
  });
});

describe('fast accessors', () => {
  const ev = cursorFor({ type: EventType.SYSCALL_READ_X, params: [i64(-11), bytes('hi\0x'), u16(7), u8(0xff)] });
  it('read integers of any stored width, NaN for absent or empty parameters', () => {
    expect(paramInt(ev, 0)).toBe(-11);
    expect(paramUint(ev, 2)).toBe(7);
    expect(paramInt(ev, 3)).toBe(-1);
    expect(paramUint(ev, 3)).toBe(255);
    expect(paramInt(ev, 9)).toBeNaN();
  });
  it('give views and latin1 strings', () => {
    expect(paramBytes(ev, 1).toString('latin1')).toBe('hi\0x');
    expect(paramLatin1(ev, 1)).toBe('hi');
    expect(paramLatin1(ev, 9)).toBe('');
    expect(paramBytes(ev, 9).length).toBe(0);
  });
  it('decode strings with str()', () => {
    expect(decodeParam(cursorFor({ type: EventType.SYSCALL_KILL_X, params: [str('x')] }), 0, P(ParamType.FSPATH))).toMatchObject({ value: 'x' });
  });
});

describe('bounds', () => {
  it('reports a parameter whose length runs past the end of its event', () => {
    const batch = cursorFor({ type: EventType.SYSCALL_KILL_X, params: [i64(1)] });
    // Shrink the event's declared length below its parameter bytes.
    batch.bytes.writeUInt32LE(batch.lenBytes - 4, batch.offset + 16);
    expect(decodeParam(batch, 0, P(ParamType.ERRNO))).toMatchObject({ kind: 'invalid', reason: 'length 8 runs past the 4 bytes left in the event' });
  });
});
