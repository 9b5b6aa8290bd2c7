// A StateLookup built from the golden outputs themselves, for checking the
// renderers on raw.txt events without the state replay:
// - every thread exists (libsinsp creates thread info even for unknown
//   tids), its comm taken from events.json / procs.txt (tid → proc.name);
// - the only fd known is the event's own (events.json fd.num/fd.type/fd.name),
//   with the socket protocol letter taken from the expected args line
//   (events.json does not carry it);
// - the only parent pid known is the event's thread's (events.json proc.ppid).
// Lines whose arguments need more state than that (a second fd, a dirfd,
// an fd list, comm changes over time) are reported, not failed.

import { readFileSync } from 'node:fs';
import type { EventFdFields, FdView, StateLookup, ThreadView } from '../../inspect/state/lookup.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';

/** fd.type strings of libsinsp (fdinfo.cpp get_typestring) → type chars (get_typechar). */
const TYPE_CHARS: Readonly<Record<string, string>> = {
  file: 'f', directory: 'd', ipv4: '4', ipv6: '6', unix: 'u', pipe: 'p', event: 'e', signalfd: 's',
  eventpoll: 'l', inotify: 'i', timerfd: 't', netlink: 'n', bpf: 'b', userfaultfd: 'u', io_uring: 'r',
  memfd: 'm', pidfd: 'P', unknown: 'o',
};
const PROTO: Readonly<Record<string, number>> = { t: 2, u: 3, i: 4, r: 5 };

export interface GoldenEventRow {
  readonly 'evt.num': number;
  readonly 'evt.res': string | null;
  readonly 'thread.tid': number | null;
  readonly 'proc.name': string | null;
  readonly 'proc.ppid': number | null;
  readonly 'fd.num': number | null;
  readonly 'fd.type': string | null;
  readonly 'fd.name': string | null;
}

/** Reads events.json (one object per line). */
export function readEventsJson(path: string): GoldenEventRow[] {
  return readFileSync(path, 'latin1').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as GoldenEventRow);
}

/** A state oracle answering for one event at a time (call `at` before rendering). */
export class GoldenOracle implements StateLookup {
  private readonly comms = new Map<number, string>();
  private row: GoldenEventRow | undefined;
  private expected = '';

  constructor(rows: readonly GoldenEventRow[], procsTxt: string) {
    for (const line of procsTxt.split('\n')) {
      const [pid, , name] = line.split(' ');
      if (pid !== undefined && name !== undefined && name !== '<NA>') this.comms.set(Number(pid), name);
    }
    for (const r of rows) {
      if (r['thread.tid'] !== null && r['proc.name'] !== null) this.comms.set(r['thread.tid'], r['proc.name']);
    }
  }

  /** Selects the event being rendered and its expected args line. */
  at(row: GoldenEventRow, expectedArgs: string): void {
    this.row = row;
    this.expected = expectedArgs;
  }

  thread(tid: number): ThreadView | undefined {
    const comm = this.comms.get(tid);
    if (comm === undefined && tid !== this.row?.['thread.tid']) return undefined;
    return {
      tid, pid: tid, ptid: 0, comm: comm ?? '', exe: '', exepath: '', args: [], cwd: '/home/ubuntu/',
      uid: 0, gid: 0, vtid: tid, vpid: tid,
    };
  }

  fd(_tid: number, fd: number): (FdView & { l4proto?: number }) | undefined {
    const row = this.row;
    if (row === undefined || row['fd.num'] !== fd || row['fd.type'] === null) return undefined;
    const typeChar = TYPE_CHARS[row['fd.type']] ?? '?';
    const name = row['fd.name'] ?? '';
    const m = new RegExp(`=${fd}\\(<${typeChar}([tuir]?)>`).exec(this.expected);
    const l4 = m?.[1] ? PROTO[m[1]] : undefined;
    return l4 === undefined ? { fd, typeChar, name } : { fd, typeChar, name, l4proto: l4 };
  }

  /** The event's thread's proc.ppid as the reference printed it; unknown for other threads. */
  parentPid(tid: number): number | undefined {
    const row = this.row;
    if (row === undefined || row['thread.tid'] !== tid) return undefined;
    return row['proc.ppid'] ?? undefined;
  }

  /** fd.num, fd.type and fd.name as the reference printed them for the selected event. */
  eventFd(_ev: EventCursor): EventFdFields {
    const row = this.row;
    return { num: row?.['fd.num'] ?? undefined, type: row?.['fd.type'] ?? undefined, name: row?.['fd.name'] ?? undefined };
  }
}
