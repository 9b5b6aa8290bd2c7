// proc.* and thread.* fields about a process's resources and relations:
// process group (host ids), thread counts, age, the executable's inode,
// fd usage, standard streams, memory, page faults, capabilities, cgroups,
// CPU use from procinfo events and time on CPU from context switches.
// Rules from falcosecurity/libs 48dfd53 (userspace/libsinsp/
// sinsp_filtercheck_thread.cpp extract_single, extract_thread_cpu,
// extract_exectime; threadinfo.cpp get_fd_opencount, get_fd_usage_pct_d,
// get_env, concatenate_all_env; thread_manager.cpp
// get_oldest_matching_ancestor; utils.cpp caps_to_string).

import { field, bool } from './field.js';
import { formatFixed1 } from '../format/printf.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { fdTypeName } from '../state/fd-table.js';
import type { FdDetail, ThreadDetail } from '../state/lookup.js';
import type { FieldContext, FieldDef, FieldExtractor } from './field.js';
import { ancestorProcess, ancestorValues, detail, forEachAncestor, threadField } from './proc-fields.js';

/** A uint64 as sinsp prints it (PRIu64). */
const u64 = (v: bigint): string => String(BigInt.asUintN(64, v));

/** A uint64 the state keeps as 0 when unknown (sinsp returns no value for 0). */
function nonZero(name: string, description: string, value: (t: ThreadDetail) => bigint): FieldDef {
  return threadField(name, description, (t) => {
    const v = value(t);
    return v === 0n ? undefined : u64(v);
  }, 'number');
}

/**
 * get_oldest_matching_ancestor with a host (non-virtual) id: the thread
 * with that tid if the table has it, else the farthest ancestor sharing the id.
 */
function pgidLeader(ctx: FieldContext, t: ThreadDetail): ThreadDetail | undefined {
  const id = t.pgid;
  if (id === -1) return undefined;
  const direct = ctx.state.findThread?.(id);
  if (direct !== undefined) return direct;
  let leader: ThreadDetail | undefined;
  forEachAncestor(ctx.state, t, (p) => {
    if (p.pgid !== id) return false;
    leader = p;
    return true;
  });
  return leader;
}

function pgidField(name: string, description: string, value: (l: ThreadDetail) => string): FieldDef {
  return field(name, description, (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    const l = pgidLeader(ctx, t);
    return l === undefined ? '' : value(l);
  });
}

const fdOpenCount = (t: ThreadDetail): number => t.mainThread()?.ownFds.size ?? 0;
const fdLimit = (t: ThreadDetail): number => t.mainThread()?.fdlimit ?? 0;

function stdStream(name: string, fd: number, what: 'name' | 'type'): FieldDef {
  const stream = ['stdin', 'stdout', 'stderr'][fd]!;
  return field(name, `${what} of the process's ${stream} (fd ${fd})`, (ev, ctx) => {
    if (detail(ev, ctx) === undefined) return undefined;
    const f = ctx.state.fd(ev.tid, fd) as FdDetail | undefined;
    if (f === undefined) return undefined;
    return what === 'name' ? f.name : fdTypeName(f.type);
  });
}

/** Names of capability bits 0..40 (sinsp_utils' capabilities table). */
const CAP_NAMES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
].map((n) => 'CAP_' + n);

/** Capability names of a set, space-separated; a set seen once keeps its text. */
function capsText(): (caps: bigint) => string {
  let last = -1n;
  let text = '';
  return (caps) => {
    if (caps === last) return text;
    let s = '';
    for (let i = 0; i < CAP_NAMES.length; i++) {
      if ((caps >> BigInt(i)) & 1n) s += s === '' ? CAP_NAMES[i]! : ' ' + CAP_NAMES[i]!;
    }
    last = caps;
    text = s;
    return s;
  };
}

function capField(name: string, description: string, set: (t: ThreadDetail) => bigint): FieldDef {
  return {
    name, description, json: 'string',
    compile: () => {
      const text = capsText();
      return (ev, ctx) => {
        const t = detail(ev, ctx);
        return t === undefined ? undefined : text(set(t));
      };
    },
  };
}

/** get_env(name): the first `name=value` entry, value trimmed of spaces; '' when none. */
function envValue(env: readonly string[], name: string): string {
  for (const e of env) {
    if (e.length > name.length + 1 && e.charCodeAt(name.length) === 61 && e.startsWith(name)) {
      const v = e.slice(name.length + 1);
      let first = 0, last = v.length;
      while (first < last && v.charCodeAt(first) === 32) first++;
      while (last > first && v.charCodeAt(last - 1) === 32) last--;
      return v.slice(first, last);
    }
  }
  return '';
}

const processEnv = (t: ThreadDetail): readonly string[] => (t.isMainThread() ? t.env : t.mainThread()?.env ?? t.env);

/**
 * proc.aenv: without argument (or [0]) the process's environment; [NAME] the
 * value of NAME in the nearest ancestor that has it (up to 20 levels, from
 * the parent); [N] the environment of the Nth ancestor.
 */
function compileAenv(arg: string | undefined): FieldExtractor {
  const n = arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : undefined;
  const name = arg !== undefined && n === undefined ? arg : '';
  const find = (ctx: FieldContext, tid: number): ThreadDetail | undefined => ctx.state.findThread?.(tid);
  return (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    if (name === '' && (n === undefined || n < 1)) return processEnv(t).join(' ');
    let mt: ThreadDetail | undefined = t.isMainThread() ? t : t.mainThread();
    if (mt === undefined) return '';
    if (name !== '') {
      let value = '';
      for (let j = 0; j < 20; j++) {
        mt = find(ctx, mt.ptid);
        if (mt === undefined) break;
        value = envValue(processEnv(mt), name);
        if (value !== '') break;
      }
      return value;
    }
    for (let j = 0; j < n!; j++) {
      mt = find(ctx, mt.ptid);
      if (mt === undefined) return undefined;
    }
    return processEnv(mt).join(' ');
  };
}

/**
 * A cgroup list as sinsp stores it (threadinfo.cpp set_cgroups): subsystem
 * names lose a `_cgroup` suffix, and `perf`, `mem` and `io` become
 * `perf_event`, `memory` and `blkio`. Lists are replaced, never edited, so
 * each list object is normalized once.
 */
interface Cgroups { readonly text: string | undefined; readonly bySubsys: ReadonlyMap<string, string> }
const normalized = new WeakMap<readonly string[], Cgroups>();
const RENAMED: Readonly<Record<string, string>> = { perf: 'perf_event', mem: 'memory', io: 'blkio' };

function cgroupsOf(list: readonly string[]): Cgroups {
  let c = normalized.get(list);
  if (c !== undefined) return c;
  const parts: string[] = [];
  const bySubsys = new Map<string, string>();
  for (const def of list) {
    const eq = def.indexOf('=');
    if (eq < 0) break;
    let subsys = def.slice(0, eq);
    const suffix = subsys.indexOf('_cgroup');
    if (suffix >= 0) subsys = subsys.slice(0, suffix) + subsys.slice(suffix + 7);
    subsys = RENAMED[subsys] ?? subsys;
    const path = def.slice(eq + 1);
    parts.push(subsys + '=' + path);
    if (!bySubsys.has(subsys)) bySubsys.set(subsys, path);
  }
  c = { text: parts.length === 0 ? undefined : parts.join(' '), bySubsys };
  normalized.set(list, c);
  return c;
}

/**
 * Per-thread totals sinsp keeps in dynamic thread fields shared by every
 * field instance of one inspector (`_tmp_sinsp_filter_thread_cpu`,
 * `_tmp_sinsp_filter_thread_totexectime`); keyed by thread object, so a
 * new replay starts from nothing.
 */
const lastCpuTotal = new WeakMap<ThreadDetail, bigint>();
const totalExectime = new WeakMap<ThreadDetail, bigint>();

const PROCINFO_USER = 0, PROCINFO_SYSTEM = 1;

/** thread.cpu*: on procinfo events, ticks used since the thread's last procinfo (at most 100). */
function cpuField(name: string, description: string, user: boolean, system: boolean): FieldDef {
  return field(name, description, (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined || ev.type !== EventType.PROCINFO_E) return undefined;
    const u = user ? readU64(ev, PROCINFO_USER) : 0n;
    const s = system ? readU64(ev, PROCINFO_SYSTEM) : 0n;
    const total = BigInt.asUintN(64, u + s);
    const last = lastCpuTotal.get(t) ?? 0n;
    let d = 0;
    if (last !== 0n) {
      d = Number(BigInt.asUintN(64, total - last));
      if (d > 100) d = 100;
    }
    lastCpuTotal.set(t, total);
    return formatFixed1(d);
  }, 'number');
}

/** proc.fdusage: open fds as a percentage of the limit (0 without a limit, at most 100). */
function fdUsage(t: ThreadDetail): number {
  const limit = fdLimit(t);
  if (limit <= 0) return 0;
  const open = fdOpenCount(t);
  return open <= limit ? (open * 100) / limit : 100;
}

/** A double as jsoncpp writes it: 17 significant digits, trailing zeros dropped, `.0` kept. */
function jsonDouble(x: number): string {
  const s = x.toPrecision(17);
  if (s.includes('e')) return s.replace(/\.?0+e/, 'e');
  return s.replace(/0+$/, '').replace(/\.$/, '.0');
}

function readU64(ev: EventCursor, k: number): bigint {
  return ev.paramLen(k) >= 8 ? ev.bytes.readBigUInt64LE(ev.paramStart(k)) : 0n;
}

/**
 * extract_exectime: on a context switch, ns since the previous switch on
 * the same CPU (0 for the first); each field instance keeps its own
 * per-CPU times, sized by the capture's CPU count (none known: always 0).
 */
function makeExectime(): (ev: EventCursor, ctx: FieldContext) => bigint {
  let last: BigUint64Array | null = null;
  return (ev, ctx) => {
    if (ev.type !== EventType.SCHEDSWITCH_6_E) return 0n;
    if (last === null) {
      const n = ctx.state.numCpus?.() ?? 0;
      if (n === 0) return 0n;
      last = new BigUint64Array(n);
    }
    const cpu = ev.cpu;
    if (cpu >= last.length) return 0n;
    const ts = ev.tsNs;
    const prev = last[cpu]!;
    last[cpu] = ts;
    return prev !== 0n ? BigInt.asUintN(64, ts - prev) : 0n;
  };
}

export const PROC_RESOURCE_FIELDS: readonly FieldDef[] = [
  threadField('proc.pgid', 'process group id as seen from the host (-1 when unknown)', (t) => String(t.pgid), 'number'),
  pgidField('proc.pgid.name', 'name of the process group leader (host ids)', (l) => l.comm),
  pgidField('proc.pgid.exe', 'argv[0] of the process group leader (host ids)', (l) => l.exe),
  pgidField('proc.pgid.exepath', 'executable path of the process group leader (host ids)', (l) => l.exepath),
  threadField('proc.is_pgid_leader', 'true for the process group leader (pgid = pid)', (t) => bool(t.pgid === t.pid), 'bool'),
  threadField('proc.nthreads', 'number of alive threads of the process', (t) => String(t.group?.alive ?? 0), 'number'),
  threadField('proc.nchilds', 'number of alive threads of the process besides its main thread', (t) => {
    const g = t.group;
    if (g === null) return '0';
    const main = t.mainThread();
    return String(main !== undefined && !main.isDead() ? g.alive - 1 : g.alive);
  }, 'number'),
  threadField('proc.duration', 'ns since the process (thread) was created', (t, ev) =>
    (t.cloneTsNs === 0n ? undefined : u64(ev.tsNs - t.cloneTsNs)), 'number'),
  threadField('proc.pid.ts', 'when the thread was created (ns since the epoch)', (t) =>
    (t.cloneTsNs === 0n ? undefined : String(t.cloneTsNs)), 'number'),
  threadField('proc.ppid.ts', 'when the parent thread was created (ns since the epoch; 0 when unknown)', (t, _ev, ctx) => {
    const p = ctx.state.findThread?.(t.ptid);
    return p === undefined ? undefined : String(p.cloneTsNs);
  }, 'number'),
  // libsinsp's case for this field lacks a break: with a parent of unknown
  // creation time it returns the thread's open fd count. scapkit prints no value.
  threadField('proc.ppid.duration', 'ns since the parent process was created', (t, ev, ctx) => {
    const p = ancestorProcess(ctx.state, t, 1);
    return p === undefined || p.cloneTsNs === 0n ? undefined : u64(ev.tsNs - p.cloneTsNs);
  }, 'number'),
  nonZero('proc.exe_ino', "inode of the process's executable", (t) => t.exeIno),
  nonZero('proc.exe_ino.ctime', "ctime of the executable's inode (ns since the epoch)", (t) => t.exeInoCtimeNs),
  nonZero('proc.exe_ino.mtime', "mtime of the executable's inode (ns since the epoch)", (t) => t.exeInoMtimeNs),
  nonZero('proc.exe_ino.ctime_duration_proc_start', "ns from the executable's ctime to the process's start",
    (t) => t.exeInoCtimeToCloneNs),
  nonZero('proc.exe_ino.ctime_duration_pidns_start', "ns from the pid namespace's start to the executable's ctime",
    (t) => t.exeInoCtimeSincePidnsNs),
  nonZero('proc.pidns_init_start_ts', "start of the process's pid namespace (ns since the epoch)", (t) => t.pidnsInitStartTsNs),
  threadField('proc.fdlimit', 'maximum number of fds the process may open', (t) => String(fdLimit(t)), 'number'),
  threadField('proc.fdopencount', 'number of open fds of the process', (t) => String(fdOpenCount(t)), 'number'),
  {
    ...threadField('proc.fdusage', 'open fds as a percentage of the limit', (t) => formatFixed1(fdUsage(t)), 'number'),
    // Filters compare the double itself (a PT_DOUBLE), not its one-decimal text: 0.005 > 0.
    compileNumber: () => (ev, ctx) => {
      const t = detail(ev, ctx);
      return t === undefined ? undefined : fdUsage(t);
    },
    // -j writes the double itself, not its one-decimal text.
    compileJson: () => (ev, ctx) => {
      const t = detail(ev, ctx);
      return t === undefined ? undefined : jsonDouble(fdUsage(t));
    },
  },
  stdStream('proc.stdin.name', 0, 'name'), stdStream('proc.stdin.type', 0, 'type'),
  stdStream('proc.stdout.name', 1, 'name'), stdStream('proc.stdout.type', 1, 'type'),
  stdStream('proc.stderr.name', 2, 'name'), stdStream('proc.stderr.type', 2, 'type'),
  threadField('proc.vmsize', 'virtual memory of the process, in KiB', (t) => String(t.vmsizeKb), 'number'),
  threadField('proc.vmrss', 'resident memory of the process, in KiB', (t) => String(t.vmrssKb), 'number'),
  threadField('proc.vmswap', 'swapped memory of the process, in KiB', (t) => String(t.vmswapKb), 'number'),
  {
    name: 'proc.aenv', description: 'environment of the process; [NAME] a variable of the nearest ancestor defining it; [N] of the Nth ancestor',
    json: 'string', takesArg: true, argOptional: true, compile: compileAenv,
    // In filters, without a NAME ([N] included) libsinsp compares with each
    // ancestor's environment, from the parent up, never the process's own
    // (compare_full_aenv), where formats print the process's or the Nth ancestor's.
    compileValues: (arg) => (arg === undefined || /^\d*$/.test(arg) ? ancestorValues((t) => processEnv(t).join(' ')) : undefined),
  },
  capField('thread.cap_permitted', 'permitted capabilities of the thread', (t) => t.capPermitted),
  capField('thread.cap_effective', 'effective capabilities of the thread', (t) => t.capEffective),
  capField('thread.cap_inheritable', 'inheritable capabilities of the thread', (t) => t.capInheritable),
  threadField('thread.cgroups', "the thread's cgroups, subsystem=path, space-separated", (t) => cgroupsOf(t.cgroups).text),
  {
    name: 'thread.cgroup', description: "the thread's cgroup of a subsystem: thread.cgroup.cpuset",
    json: 'string', takesArg: true, dotArgOnly: true,
    compile: (arg) => {
      if (arg === undefined || arg === '') throw new Error('thread.cgroup needs a subsystem: thread.cgroup.SUBSYS');
      return (ev, ctx) => {
        const t = detail(ev, ctx);
        return t === undefined ? undefined : cgroupsOf(t.cgroups).bySubsys.get(arg);
      };
    },
  },
  threadField('thread.pfmajor', 'major page faults of the thread', (t) => String(t.pfmajor), 'number'),
  threadField('thread.pfminor', 'minor page faults of the thread', (t) => String(t.pfminor), 'number'),
  threadField('thread.vmsize', "virtual memory in KiB (main thread only; 0 for others)", (t) => (t.isMainThread() ? String(t.vmsizeKb) : '0'), 'number'),
  threadField('thread.vmrss', "resident memory in KiB (main thread only; 0 for others)", (t) => (t.isMainThread() ? String(t.vmrssKb) : '0'), 'number'),
  threadField('thread.vmsize.b', "virtual memory in bytes (main thread only; 0 for others)", (t) => (t.isMainThread() ? String(t.vmsizeKb * 1024) : '0'), 'number'),
  threadField('thread.vmrss.b', "resident memory in bytes (main thread only; 0 for others)", (t) => (t.isMainThread() ? String(t.vmrssKb * 1024) : '0'), 'number'),
  threadField('thread.nametid', 'process name and thread id, concatenated', (t, ev) => t.comm + ev.tid),
  cpuField('thread.cpu', 'CPU ticks (user and system) used since the last procinfo event', true, true),
  cpuField('thread.cpu.user', 'user CPU ticks used since the last procinfo event', true, false),
  cpuField('thread.cpu.system', 'system CPU ticks used since the last procinfo event', false, true),
  {
    name: 'thread.exectime', description: 'on a context switch, ns the thread ran on that CPU', json: 'number',
    compile: () => {
      const exectime = makeExectime();
      return (ev, ctx) => u64(exectime(ev, ctx));
    },
  },
  {
    name: 'thread.totexectime', description: 'total ns the thread ran, summed over context switches', json: 'number',
    compile: () => {
      const exectime = makeExectime();
      return (ev, ctx) => {
        const d = exectime(ev, ctx);
        const t = detail(ev, ctx);
        if (t === undefined) return undefined;
        const total = BigInt.asUintN(64, (totalExectime.get(t) ?? 0n) + d);
        totalExectime.set(t, total);
        return u64(total);
      };
    },
  },
];
