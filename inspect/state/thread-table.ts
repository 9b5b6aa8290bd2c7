// Threads as libsinsp keeps them (falcosecurity/libs 48dfd53:
// userspace/libsinsp/threadinfo.h/.cpp, thread_group_info.h and
// thread_manager.cpp): a table keyed by tid, thread groups with their main
// thread first, parent/child links for reparenting, fake entries for tids
// nobody described, and sinsp's bounds (262144 threads).

import type { ThreadView } from './lookup.js';
import type { ThreadInfo } from '../../scapfile/state-blocks/index.js';
import { DEFAULT_MAX_FDS, FdTable, type FdEntry, type RefusedCounts } from './fd-table.js';
import { concatenatePaths } from './paths.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FLAG_TABLES } from '../../scapfile/schema/flags.js';

const EXECVE_19_X = EventType.SYSCALL_EXECVE_19_X;
const EXECVEAT_E = EventType.SYSCALL_EXECVEAT_E;

/** `PPM_CL_*` thread flags (driver/ppm_events_public.h); some are sinsp's own. */
export const ThreadFlag = {
  CLONE_FILES: 1 << 0,
  CLONE_FS: 1 << 1,
  CLONE_NEWPID: 1 << 6,
  CLONE_PARENT: 1 << 8,
  CLONE_THREAD: 1 << 13,
  CLONE_INVERTED: 1 << 16,
  NAME_CHANGED: 1 << 17,
  CLOSED: 1 << 18,
  ACTIVE: 1 << 19,
  CLONE_NEWUSER: 1 << 20,
  PIPE_SRC: 1 << 21,
  PIPE_DST: 1 << 22,
  CLONE_VFORK: 1 << 27,
  CHILD_IN_PIDNS: 1 << 29,
  IS_MAIN_THREAD: 1 << 30,
} as const;

/** What a stored enter event still has to tell its exit event (parsers.cpp store_event). */
export interface EnterSnapshot {
  readonly type: number;
  /** Path-like first string (open/creat/execve name, openat/execveat path). */
  readonly path: string;
  readonly flags: number;
  /** openat/execveat dirfd; 0 otherwise. */
  readonly dirfd: number;
  readonly dirfdEmpty: boolean;
  /** connect: the address parameter's bytes. */
  readonly addr: Buffer | null;
}

/** A thread group (thread_group_info.h): alive count, threads with the main thread first. */
export class ThreadGroup {
  alive = 1;
  readonly threads: ThreadEntry[];

  constructor(readonly pid: number, public reaper: boolean, first: ThreadEntry) {
    this.threads = [first];
  }

  add(t: ThreadEntry, main: boolean): void {
    if (main) this.threads.unshift(t);
    else this.threads.push(t);
    this.alive++;
  }

  /** decrement_thread_count, which also drops removed threads once enough are dead. */
  decrement(): void {
    this.alive--;
    if (this.threads.length - this.alive >= DEAD_THREADS_THRESHOLD) this.cleanRemoved();
  }

  cleanRemoved(): void {
    for (let i = this.threads.length - 1; i >= 0; i--) if (this.threads[i]!.removed) this.threads.splice(i, 1);
  }

  /** get_first_thread: the front thread while it is still in the table. */
  first(): ThreadEntry | undefined {
    const t = this.threads[0];
    return t !== undefined && !t.removed ? t : undefined;
  }
}

/** `DEFAULT_DEAD_THREADS_THRESHOLD` and `DEFAULT_EXPIRED_CHILDREN_THRESHOLD`. */
const DEAD_THREADS_THRESHOLD = 11;
const EXPIRED_CHILDREN_THRESHOLD = 10;

/** One thread (sinsp_threadinfo), with the defaults of sinsp_threadinfo::init. */
export class ThreadEntry implements ThreadView {
  pid = -1;
  ptid = -1;
  sid = -1;
  vpgid = -1;
  pgid = -1;
  comm = '';
  exe = '';
  exepath = '';
  args: string[] = [];
  env: string[] = [];
  /** `subsystem=/path` per cgroup hierarchy (from the process list, clone and execve). */
  cgroups: string[] = [];
  /** This thread's own m_cwd; `cwd` is what sinsp shows (the main thread's). */
  ownCwd = '';
  uid = 0xffffffff;
  gid = 0xffffffff;
  loginuid = 0xffffffff;
  /** What is known of the executable, as `ExeFlag` bits (writable by its user, overlayfs layer, memfd). */
  exeFlags = 0;
  vtid = -1;
  vpid = -1;
  flags = ThreadFlag.NAME_CHANGED;
  fdlimit = -1;
  root = '';
  tty = 0;
  cloneTsNs = 0n;
  // Memory and page faults, from the process list, clone/execve, context switches and brk/mmap/munmap.
  vmsizeKb = 0;
  vmrssKb = 0;
  vmswapKb = 0;
  pfmajor = 0;
  pfminor = 0;
  /** Capability sets (bit N is capability N), from the process list, execve, capset, clone. */
  capInheritable = 0n;
  capPermitted = 0n;
  capEffective = 0n;
  /** The executable's inode and its ctime/mtime in ns (0 when unknown), from the process list or execve. */
  exeIno = 0n;
  exeInoCtimeNs = 0n;
  exeInoMtimeNs = 0n;
  /** ns from the executable's ctime to the thread's clone time, as uint64 (0 when unknown; process lists do not carry it). */
  exeInoCtimeToCloneNs = 0n;
  /** ns between the start of the thread's pid namespace and the executable's ctime (0 when unknown). */
  exeInoCtimeSincePidnsNs = 0n;
  /** When the thread's pid namespace started, ns since the epoch (0 when unknown). */
  pidnsInitStartTsNs = 0n;
  reaperTid = -1;
  children: ThreadEntry[] = [];
  notExpiredChildren = 0;
  group: ThreadGroup | null = null;
  /** True once erased from the table: weak references to it have expired. */
  removed = false;
  // Per-event bookkeeping of sinsp_parser::reset (initial values of sinsp_threadinfo::init;
  // -1 stands for the uint16 65535, which no exit type follows).
  lastEventType = -1;
  lastEventFd = 0;
  enterValid = false;
  enter: EnterSnapshot | null = null;
  readonly ownFds: FdTable;

  constructor(readonly tid: number, maxFds: number = DEFAULT_MAX_FDS, refused?: RefusedCounts) {
    this.ownFds = new FdTable(maxFds, refused);
  }

  get cwd(): string {
    const main = this.mainThread();
    return main ? main.ownCwd : './';
  }

  isMainThread(): boolean {
    return this.tid === this.pid || (this.flags & ThreadFlag.IS_MAIN_THREAD) !== 0;
  }

  /** threadinfo.h is_invalid: an entry made up for a tid nobody described. */
  isInvalid(): boolean {
    return this.tid < 0 || this.pid < 0 || this.ptid < 0;
  }

  isDead(): boolean {
    return (this.flags & ThreadFlag.CLOSED) !== 0;
  }

  isInPidNamespace(): boolean {
    return (this.flags & ThreadFlag.CHILD_IN_PIDNS) !== 0 || (this.tid !== this.vtid && this.vtid >= 0);
  }

  /** get_main_thread: itself, or its group's first thread if that one is a main thread. */
  mainThread(): ThreadEntry | undefined {
    if (this.isMainThread()) return this;
    const first = this.group?.first();
    return first !== undefined && first.isMainThread() ? first : undefined;
  }

  /**
   * get_fd_table: threads flagged CLONE_FILES use their main thread's table
   * (none if the main thread is gone); others their own.
   */
  fdTable(): FdTable | undefined {
    if (!(this.flags & ThreadFlag.CLONE_FILES)) return this.ownFds;
    return this.mainThread()?.ownFds;
  }

  /**
   * add_fd: into the table this thread uses; also makes `fd` the thread's
   * last event fd, which `fd.num` prints. Undefined when there is no table
   * or it is full.
   */
  addFd(fd: number, entry: FdEntry): FdEntry | undefined {
    const table = this.fdTable();
    if (table === undefined) return undefined;
    const stored = table.add(fd, entry);
    this.lastEventFd = fd;
    return stored;
  }

  /** update_cwd: joins onto this thread's own cwd, stores into the main thread's, always ending in '/'. */
  updateCwd(cwd: string): void {
    const main = this.mainThread();
    if (main === undefined) return;
    let c = concatenatePaths(this.ownCwd, cwd);
    if (c === '' || !c.endsWith('/')) c += '/';
    main.ownCwd = c;
  }

  /** set_exepath: a `(deleted)` suffix is dropped. */
  setExepath(path: string): void {
    const suffix = ' (deleted)';
    this.exepath = path.length > suffix.length && path.endsWith(suffix) ? path.slice(0, -suffix.length) : path;
  }

  /**
   * retrieve_enter_event: the stored enter event, if it was the last event of
   * this thread and belongs to `exitType` (execve exits also accept an
   * execveat enter); a mismatch invalidates it.
   */
  retrieveEnter(exitType: number): EnterSnapshot | null {
    const enter = this.enter;
    if (!this.enterValid || enter === null) return null;
    if (exitType === EXECVE_19_X && enter.type === EXECVEAT_E) return enter;
    if (enter.type !== exitType - 1) {
      this.enterValid = false;
      return null;
    }
    return enter;
  }

  addChild(child: ThreadEntry): void {
    this.children.unshift(child);
    child.ptid = this.tid;
    this.notExpiredChildren++;
  }
}

/** A thread of the capture's process list (sinsp_threadinfo::init from scap_threadinfo). */
export function threadFromCapture(info: ThreadInfo, maxFds: number = DEFAULT_MAX_FDS, refused?: RefusedCounts): ThreadEntry {
  const t = new ThreadEntry(info.tid, maxFds, refused);
  t.pid = info.pid;
  t.ptid = info.ptid;
  t.sid = info.sid;
  t.vpgid = info.vpgid;
  t.pgid = info.pgid;
  t.comm = info.comm;
  t.exe = info.exe;
  t.setExepath(info.exepath);
  t.args = info.args.slice();
  t.flags |= info.flags | ThreadFlag.ACTIVE;
  if (t.isMainThread()) {
    t.env = info.env.slice();
    t.updateCwd(info.cwd);
  }
  // Every thread keeps its own cgroups (sinsp loads them for all threads).
  t.cgroups = acceptedCgroups(info.cgroups)?.slice() ?? [];
  t.fdlimit = info.fdlimit;
  t.vtid = info.vtid;
  t.vpid = info.vpid;
  t.tty = info.tty;
  t.root = info.root;
  t.uid = info.uid >>> 0;
  t.gid = info.gid >>> 0;
  t.loginuid = info.loginuid >>> 0;
  t.exeFlags = exeFlagsOf(info);
  t.cloneTsNs = info.cloneTsNs;
  t.vmsizeKb = info.vmsizeKb;
  t.vmrssKb = info.vmrssKb;
  t.vmswapKb = info.vmswapKb;
  t.pfmajor = info.pfmajor;
  t.pfminor = info.pfminor;
  t.capInheritable = info.capInheritable;
  t.capPermitted = info.capPermitted;
  t.capEffective = info.capEffective;
  t.exeIno = info.exeIno;
  t.exeInoCtimeNs = info.exeInoCtimeNs;
  t.exeInoMtimeNs = info.exeInoMtimeNs;
  t.pidnsInitStartTsNs = info.pidnsInitStartTsNs;
  return t;
}

/** The `PPM_EXE_*` bits of a process list entry's four booleans. */
/**
 * A cgroup list as sinsp takes it (threadinfo.cpp set_cgroups): every
 * entry must be `subsystem=path`, or sinsp keeps the thread's cgroups as
 * they were (undefined here; a new thread then has none).
 */
export function acceptedCgroups<L extends readonly string[]>(list: L): L | undefined {
  return list.every((def) => def.includes('=')) ? list : undefined;
}

export function exeFlagsOf(info: Pick<ThreadInfo, 'exeWritable' | 'exeUpperLayer' | 'exeFromMemfd' | 'exeLowerLayer'>): number {
  return (info.exeWritable ? ExeFlag.WRITABLE : 0) | (info.exeUpperLayer ? ExeFlag.UPPER_LAYER : 0)
    | (info.exeFromMemfd ? ExeFlag.FROM_MEMFD : 0) | (info.exeLowerLayer ? ExeFlag.LOWER_LAYER : 0);
}

const execveFlag = (name: string): number => FLAG_TABLES.execve_flags!.find((e) => e.name === name)!.value;

/** `PPM_EXE_*`, the bits of execve's `flags` sinsp keeps per thread. */
export const ExeFlag = {
  WRITABLE: execveFlag('EXE_WRITABLE'), UPPER_LAYER: execveFlag('EXE_UPPER_LAYER'),
  FROM_MEMFD: execveFlag('EXE_FROM_MEMFD'), LOWER_LAYER: execveFlag('EXE_LOWER_LAYER'),
} as const;
const EXE_FLAGS_KEPT = ExeFlag.WRITABLE | ExeFlag.UPPER_LAYER | ExeFlag.FROM_MEMFD | ExeFlag.LOWER_LAYER;

/** The executable's facts of an execve `flags` value, as sinsp keeps them (parsers.cpp parse_execve_exit). */
export const exeFlagsOfExecve = (flags: number): number => flags & EXE_FLAGS_KEPT;

/** sinsp's default thread table bound (thread_manager.h m_thread_table_default_size). */
export const DEFAULT_MAX_THREADS = 262144;
const RECENT_RING = 8192;
/** Within this window a (ptid, tid) pair counts as recently exited (thread_manager.cpp has_recently_exited). */
const RECENT_WINDOW_NS = 2_000_000_000n;

/** Buckets of the recently-exited ring's hash counts (at most RECENT_RING in one: fits a Uint16). */
const RECENT_HASHES = 1 << 16;
const recentHash = (ptid: number, tid: number): number => (Math.imul(tid, 0x9e3779b1) ^ ptid) >>> 16;

/** The thread table and thread groups (sinsp_thread_manager). */
export class ThreadTable {
  /** The machine's boot time, ns since the epoch (machine info block; 0 when absent): new threads' pid namespace start. */
  bootTsEpochNs = 0n;
  private readonly map = new Map<number, ThreadEntry>();
  private readonly groups = new Map<number, ThreadGroup>();
  /**
   * The entry `find` returned last: two events in three come from the thread
   * of the event before (bench.scap), and this check is cheaper than the
   * Map. Valid while not `removed`: an entry leaves the map only by `erase`
   * or by being replaced, and both mark it removed.
   */
  private last: ThreadEntry | undefined = undefined;
  private recentKeys: Uint32Array | null = null;
  private recentTs: BigUint64Array | null = null;
  private recentNext = 0;
  /** Slots of the ring written so far (up to RECENT_RING): the rest hold sinsp's zero keys at time 0. */
  private recentFilled = 0;
  /**
   * How many written slots hold a key of each hash: a pair whose count is 0
   * is in no slot, and the clone that asks (most of them: a new tid) skips
   * the scan of the ring.
   */
  private recentHashCounts: Uint16Array | null = null;

  /** What this table and its threads' fd tables refused for lack of room. */
  readonly refused: RefusedCounts = { threads: 0, fds: 0 };

  constructor(readonly maxThreads = DEFAULT_MAX_THREADS, readonly maxFds = DEFAULT_MAX_FDS) {}

  get size(): number { return this.map.size; }

  find(tid: number): ThreadEntry | undefined {
    const last = this.last;
    if (last !== undefined && last.tid === tid && !last.removed) return last;
    const t = this.map.get(tid);
    if (t !== undefined) this.last = t;
    return t;
  }

  values(): IterableIterator<ThreadEntry> {
    return this.map.values();
  }

  /**
   * get_thread: the thread, or a fake entry for an unknown tid (pid and ptid
   * -1, comm and exe `<NA>`) so the next event of that tid finds it; offline
   * there is no /proc to ask. Undefined when the table is full.
   */
  getOrCreate(tid: number): ThreadEntry | undefined {
    const t = this.find(tid);
    if (t !== undefined) return t;
    if (this.map.size >= this.maxThreads) {
      this.refused.threads++;
      return undefined;
    }
    const fake = new ThreadEntry(tid, this.maxFds, this.refused);
    fake.comm = '<NA>';
    fake.exe = '<NA>';
    return this.add(fake, true);
  }

  /** add_thread: stores (replacing a same-tid entry), optionally linking group and parent first. */
  add(t: ThreadEntry, withDependencies: boolean): ThreadEntry | undefined {
    // As sinsp: a full table takes nothing, not even a replacement.
    if (this.map.size >= this.maxThreads) {
      this.refused.threads++;
      return undefined;
    }
    if (withDependencies) this.createDependencies(t);
    const old = this.map.get(t.tid);
    if (old !== undefined && old !== t) old.removed = true;
    this.map.set(t.tid, t);
    return t;
  }

  /**
   * create_thread_dependencies: joins the thread's group (creating it; pid 1
   * and namespace init processes are reapers) and its parent's children; a
   * thread whose parent is unknown or invalid gets ptid 0.
   */
  createDependencies(t: ThreadEntry): void {
    if (t.isInvalid() || t.group !== null) return;
    let group = this.groups.get(t.pid);
    if (group === undefined) {
      group = new ThreadGroup(t.pid, t.pid === 1 || t.vpid === 1, t);
      this.groups.set(t.pid, group);
    } else {
      group.add(t, t.isMainThread());
    }
    t.group = group;
    if (t.pid === 1) return;
    const parent = this.map.get(t.ptid);
    if (parent === undefined || parent.isInvalid()) {
      t.ptid = 0;
      return;
    }
    parent.addChild(t);
  }

  /** get_ancestor_process(tinfo, 1): the main thread of the parent of this thread's main thread. */
  parentProcess(t: ThreadEntry): ThreadEntry | undefined {
    const main = t.mainThread();
    if (main === undefined) return undefined;
    return this.map.get(main.ptid)?.mainThread();
  }

  private erase(tid: number): void {
    const t = this.map.get(tid);
    if (t === undefined) return;
    t.removed = true;
    this.map.delete(tid);
  }

  private removeChildFromParent(ptid: number): void {
    const parent = this.map.get(ptid);
    if (parent === undefined) return;
    parent.notExpiredChildren--;
    if (parent.children.length - parent.notExpiredChildren >= EXPIRED_CHILDREN_THRESHOLD) {
      parent.children = parent.children.filter((c) => !c.removed);
    }
  }

  /**
   * remove_thread: marks the thread dead, hands its children to a reaper,
   * and erases it; a main thread stays while other threads of its group
   * live (they use its fd table), and goes with the last of them.
   */
  remove(tid: number): void {
    const t = this.map.get(tid);
    if (t === undefined) return;
    if (t.isInvalid() || t.group === null) {
      this.removeChildFromParent(t.ptid);
      this.erase(tid);
      return;
    }
    const group = t.group;
    if (!t.isDead()) {
      group.decrement();
      t.flags |= ThreadFlag.CLOSED;
    }
    if (t.children.length > 0) {
      let reaper: ThreadEntry | undefined;
      if (t.reaperTid > 0) reaper = this.getOrCreate(t.reaperTid);
      if (reaper === undefined || reaper.isInvalid()) reaper = this.findNewReaper(t);
      if (reaper !== undefined) {
        t.reaperTid = reaper.tid;
        if (reaper.pid !== t.pid && reaper.group !== null) reaper.group.reaper = true;
      }
      this.assignChildren(t, reaper);
    }
    if (group.alive === 0) {
      this.removeChildFromParent(t.ptid);
      this.groups.delete(t.pid);
      this.erase(t.pid);
    }
    if (!t.isMainThread()) {
      this.removeChildFromParent(t.ptid);
      this.erase(tid);
    }
  }

  /**
   * find_new_reaper (after the kernel's): a live thread of the same group,
   * else the first live thread of the nearest ancestor group marked reaper
   * in the same pid namespace.
   */
  private findNewReaper(t: ThreadEntry): ThreadEntry | undefined {
    if (t.group !== null && t.group.alive > 0) {
      for (const x of t.group.threads) if (!x.removed && !x.isDead() && x !== t) return x;
    }
    const seen = new Set<number>([t.tid]);
    let p = this.map.get(t.ptid);
    while (p !== undefined) {
      if (seen.has(p.tid)) break;
      seen.add(p.tid);
      if (p.isInPidNamespace() !== t.isInPidNamespace()) break;
      if (p.group !== null && p.group.reaper && p.group.alive > 0) {
        for (const x of p.group.threads) if (!x.removed && !x.isDead()) return x;
      }
      p = this.map.get(p.ptid);
    }
    return undefined;
  }

  /** assign_children_to_reaper: live children move to the reaper, or get ptid 0 without one. */
  private assignChildren(t: ThreadEntry, reaper: ThreadEntry | undefined): void {
    if (reaper === t) return;
    const children = t.children;
    t.children = [];
    t.notExpiredChildren = 0;
    for (const c of children) {
      if (c.removed) continue;
      if (reaper === undefined) c.ptid = 0;
      else reaper.addChild(c);
    }
  }

  /** record_recently_exited: remembers (ptid, tid) at `tsNs` in a ring of 8192. */
  recordExited(tid: number, ptid: number, tsNs: bigint): void {
    if (this.recentKeys === null) {
      this.recentKeys = new Uint32Array(RECENT_RING * 2);
      this.recentTs = new BigUint64Array(RECENT_RING);
      this.recentHashCounts = new Uint16Array(RECENT_HASHES);
    }
    const keys = this.recentKeys;
    const counts = this.recentHashCounts!;
    const i = this.recentNext;
    if (this.recentFilled === RECENT_RING) counts[recentHash(keys[2 * i]!, keys[2 * i + 1]!)]! -= 1;
    else this.recentFilled++;
    keys[2 * i] = ptid >>> 0;
    keys[2 * i + 1] = tid >>> 0;
    counts[recentHash(ptid >>> 0, tid >>> 0)]! += 1;
    this.recentTs![i] = tsNs;
    this.recentNext = (i + 1) % RECENT_RING;
  }

  /** has_recently_exited: (ptid, tid) removed less than 2 s before `tsNs`. */
  recentlyExited(tid: number, ptid: number, tsNs: bigint): boolean {
    const keys = this.recentKeys;
    const ts = this.recentTs;
    // An untouched ring holds zero keys at time 0, as sinsp's zero-filled array does.
    if (keys === null || ts === null) return (tid >>> 0) === 0 && (ptid >>> 0) === 0 && tsNs < RECENT_WINDOW_NS;
    const p = ptid >>> 0;
    const c = tid >>> 0;
    if (p === 0 && c === 0 && this.recentFilled < RECENT_RING && tsNs < RECENT_WINDOW_NS) return true;
    if (this.recentHashCounts![recentHash(p, c)] === 0) return false;
    for (let i = 0; i < this.recentFilled; i++) {
      if (keys[2 * i] === p && keys[2 * i + 1] === c && tsNs >= ts[i]! && tsNs - ts[i]! < RECENT_WINDOW_NS) return true;
    }
    return false;
  }
}
