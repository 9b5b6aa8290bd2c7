// Calls in old enter/exit layouts for synthetic captures on
// single_ipv6_conn's process list (sinsp-raw.ts captureBytes): libs 0.15.1
// (sysdig 0.36) takes a call's fd from its enter event, so its chisels can
// be run on these as libs 0.26 runs after converting them. `ts` (ns) sets
// an exit's time, its enter 1 ns before; without it captureBytes spaces
// events a microsecond apart.

import { EventType } from '../../scapfile/schema/events.js';
import type { SyntheticEvent } from './sinsp-raw.js';

const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
// PPM_O_WRONLY | PPM_O_CREAT | PPM_O_APPEND: the driver's flag bits, not Linux's.
const O_WRONLY_CREAT_APPEND = 0x2 | 0x4 | 0x8;
export const NGINX = 1310;

export function open(tid: number, fd: number, name: string): SyntheticEvent[] {
  return [
    { type: EventType.SYSCALL_OPEN_E, tid, params: [name, u32(O_WRONLY_CREAT_APPEND), u32(0o644)] },
    // The old exit layout both libs read: fd, name, flags, mode.
    { type: EventType.SYSCALL_OPEN_X, tid, params: [fd, name, u32(O_WRONLY_CREAT_APPEND), u32(0o644)] },
  ];
}

export function read(tid: number, fd: number, data: Buffer | string, ts?: number): SyntheticEvent[] {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  return [
    { type: EventType.SYSCALL_READ_E, tid, ...(ts === undefined ? {} : { ts: ts - 1 }), params: [fd, u32(bytes.length)] },
    // The old exit layout: res and data only.
    { type: EventType.SYSCALL_READ_X, tid, ...(ts === undefined ? {} : { ts }), params: [bytes.length, bytes] },
  ];
}

export function write(tid: number, fd: number, data: Buffer | string, res = Buffer.byteLength(data), ts?: number): SyntheticEvent[] {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  return [
    { type: EventType.SYSCALL_WRITE_E, tid, ...(ts === undefined ? {} : { ts: ts - 1 }), params: [fd, u32(bytes.length)] },
    // The old exit layout: res and data only.
    { type: EventType.SYSCALL_WRITE_X, tid, ...(ts === undefined ? {} : { ts }), params: [res, res < 0 ? Buffer.alloc(0) : bytes] },
  ];
}

