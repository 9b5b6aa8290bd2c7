// Parsers of the events that change threads: clone/fork/vfork/clone3 (in
// the caller and in the child), execve/execveat, procexit, working
// directory, credentials and a few process attributes (falcosecurity/libs
// 48dfd53, userspace/libsinsp/parsers.cpp: parse_clone_exit_caller,
// parse_clone_exit_child, parse_execve_exit, parse_thread_exit,
// parse_chdir_exit, parse_fchdir_exit, parse_getcwd_exit, parse_set*_exit,
// parse_prctl_exit, parse_setsid_exit, parse_chroot_exit,
// parse_getrlimit_setrlimit_exit, parse_prlimit_exit).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType, type EventCode } from '../../scapfile/schema/events.js';
import {
  NA, paramEmpty, paramInt, paramString, paramStringList, paramU64, paramUint, pidx, retval,
} from './event-params.js';
import { concatenatePaths } from './paths.js';
import { dirForPath } from './fd-parsers.js';
import type { ReplayContext } from './replay-context.js';
import { ThreadEntry, ThreadFlag as TF, acceptedCgroups, exeFlagsOfExecve } from './thread-table.js';
import { inheritResources, memoryParams, takeExecveResources, takeMemory } from './resource-parsers.js';

/** Same-layout parameter positions across event versions, checked when the module loads. */
function positions<K extends string>(codes: readonly EventCode[], names: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const n of names) {
    const i = pidx(codes[0]!, n);
    for (const c of codes) if (pidx(c, n) !== i) throw new Error(`state: ${c}.${n} moved`);
    out[n] = i;
  }
  return out;
}

const CLONE_EXIT_CODES = ['SYSCALL_CLONE_20_X', 'SYSCALL_FORK_20_X', 'SYSCALL_VFORK_20_X', 'SYSCALL_CLONE3_X'] as const;
/** The exits of clone, fork, vfork and clone3: the events that make a thread's entry. */
export const CLONE_EXIT_TYPES: readonly number[] = CLONE_EXIT_CODES.map((c) => EventType[c]);
const CL = positions(CLONE_EXIT_CODES,
  ['exe', 'args', 'pid', 'ptid', 'fdlimit', 'comm', 'flags', 'uid', 'gid', 'vtid', 'vpid', 'cgroups']);
const EX = positions(['SYSCALL_EXECVE_19_X', 'SYSCALL_EXECVEAT_X'],
  ['exe', 'args', 'pid', 'ptid', 'fdlimit', 'comm', 'env', 'tty', 'vpgid', 'loginuid', 'uid', 'trusted_exepath',
    'pgid', 'gid', 'cgroups', 'flags']);
const CL_MEM = memoryParams('SYSCALL_CLONE_20_X');
const EX_MEM = memoryParams('SYSCALL_EXECVE_19_X');
for (const c of ['SYSCALL_FORK_20_X', 'SYSCALL_VFORK_20_X', 'SYSCALL_CLONE3_X'] as const) {
  if (memoryParams(c).swap !== CL_MEM.swap || memoryParams(c).maj !== CL_MEM.maj) throw new Error(`state: ${c} memory moved`);
}
if (memoryParams('SYSCALL_EXECVEAT_X').swap !== EX_MEM.swap) throw new Error('state: execveat memory moved');
const CL_PIDNS_START = pidx('SYSCALL_CLONE_20_X', 'pidns_init_start_ts');
const EX_RES = positions(['SYSCALL_EXECVE_19_X', 'SYSCALL_EXECVEAT_X'],
  ['cap_inheritable', 'cap_permitted', 'cap_effective', 'exe_ino', 'exe_ino_ctime', 'exe_ino_mtime']);
const EX_RES_K = { inh: EX_RES.cap_inheritable, perm: EX_RES.cap_permitted, eff: EX_RES.cap_effective,
  ino: EX_RES.exe_ino, ctime: EX_RES.exe_ino_ctime, mtime: EX_RES.exe_ino_mtime };
const PROCEXIT_REAPER = pidx('PROCEXIT_1_E', 'reaper_tid');

/**
 * `CLONE_STALE_TIME_NS` (userspace/libsinsp/settings.h): how long the entry
 * a caller's clone exit made waits for the child's own exit.
 */
export const CLONE_STALE_NS = 2_000_000_000n;
/** `PPM_EXVAT_AT_EMPTY_PATH` (driver/ppm_events_public.h). */
const EXVAT_AT_EMPTY_PATH = 1 << 0;
const PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37;
const RLIMIT_NOFILE = 7;

/** clone/fork/vfork/clone3 exit: 0 in the child, the child's tid in the caller. */
export function parseClone(ctx: ReplayContext, ev: EventCursor): void {
  const child = retval(ev);
  if (child < 0) return;
  if (child === 0) cloneInChild(ctx, ev);
  else cloneInCaller(ctx, ev, child);
}

/** Fills the fields a new thread takes from the clone event itself. */
function fillFromEvent(t: ThreadEntry, ev: EventCursor): void {
  t.exe = paramString(ev, CL.exe);
  t.args = paramStringList(ev, CL.args);
  t.comm = paramEmpty(ev, CL.comm) ? t.exe : paramString(ev, CL.comm);
  if (!paramEmpty(ev, CL.cgroups)) t.cgroups = acceptedCgroups(paramStringList(ev, CL.cgroups)) ?? t.cgroups;
}

/** Copies what a new thread inherits from a known process (the "valid caller/lookup" branches). */
function inherit(child: ThreadEntry, from: ThreadEntry): void {
  child.setExepath(from.exepath);
  child.root = from.root;
  child.sid = from.sid;
  child.vpgid = from.vpgid;
  child.pgid = from.pgid;
  child.tty = from.tty;
  child.loginuid = from.loginuid;
  child.exeFlags = from.exeFlags;
  inheritResources(child, from);
}

/** A new process copies the fd table, cwd and environment of the process it forks from. */
function forkFrom(child: ThreadEntry, from: ThreadEntry): void {
  from.fdTable()?.copyInto(child.ownFds);
  child.ownCwd = from.cwd;
  child.env = from.env.slice();
}

/**
 * Whether the result of a clone exit in the caller is the child's thread
 * id on the host. In a pid namespace (or with the flags that may put the
 * child there) it is the child's id in that namespace, which names some
 * other thread on the host: libsinsp then leaves the child to its own
 * clone exit event (parse_clone_exit_caller), and so must anything that
 * follows lineage.
 */
export function cloneResultIsHostTid(ev: EventCursor, caller: ThreadEntry): boolean {
  const flags = paramUint(ev, CL.flags) | 0;
  return !(flags & (TF.CHILD_IN_PIDNS | TF.CLONE_NEWPID | TF.CLONE_PARENT)) && ev.tid === caller.vtid;
}

/**
 * Whether a successful clone exit in the caller names, by its id in the
 * caller's pid namespace, a new process there (not a thread, not a sibling
 * by CLONE_PARENT, not the init of a new namespace).
 */
export function cloneResultIsNsChild(ev: EventCursor, caller: ThreadEntry): boolean {
  const flags = paramUint(ev, CL.flags) | 0;
  return !(flags & (TF.CLONE_NEWPID | TF.CLONE_PARENT | TF.CLONE_THREAD)) && !cloneResultIsHostTid(ev, caller);
}

function cloneInCaller(ctx: ReplayContext, ev: EventCursor, childTid: number): void {
  const threads = ctx.threads;
  const callerTid = ev.tid;
  const caller = threads.getOrCreate(callerTid);
  if (caller === undefined) {
    ctx.evThread = undefined;
    return;
  }
  let valid = true;
  if (caller.isInvalid()) {
    // A fake entry learns its process from the event.
    valid = false;
    caller.pid = paramInt(ev, CL.pid);
    caller.ptid = paramInt(ev, CL.ptid);
    if (!paramEmpty(ev, CL.vpid)) {
      caller.vtid = paramInt(ev, CL.vtid);
      caller.vpid = paramInt(ev, CL.vpid);
    } else {
      caller.vtid = callerTid;
      caller.vpid = -1;
    }
    threads.createDependencies(caller);
  }
  ctx.evThread = caller;
  const flags = paramUint(ev, CL.flags) | 0;
  // A child in another pid namespace is described by its own clone event only.
  if (!cloneResultIsHostTid(ev, caller)) return;
  // vfork children may exit before the parent returns: leave them to their own event.
  if (flags & TF.CLONE_VFORK || ev.type === EventType.SYSCALL_VFORK_20_X) return;
  const ts = ev.tsNs;
  if (threads.recentlyExited(childTid, callerTid, ts)) return;
  let collision = false;
  const existing = threads.find(childTid);
  if (existing !== undefined) {
    if (existing.flags & TF.CLONE_INVERTED) return;
    // An old entry whose exit we missed.
    threads.remove(childTid);
    collision = true;
  }
  const child = new ThreadEntry(childTid, threads.maxFds, threads.refused);
  child.flags = flags;
  if (!(flags & TF.CLONE_THREAD)) {
    if (valid) forkFrom(child, caller);
    child.pid = childTid;
    child.ptid = caller.tid;
  } else {
    child.pid = caller.pid;
    child.ptid = caller.ptid;
    // sinsp's approximation: threads always use their main thread's fd table.
    child.flags |= TF.CLONE_FILES;
  }
  child.vtid = child.tid;
  child.vpid = child.pid;
  fillFromEvent(child, ev);
  child.fdlimit = paramInt(ev, CL.fdlimit);
  takeMemory(child, ev, CL_MEM);
  child.uid = paramUint(ev, CL.uid) >>> 0;
  child.gid = paramUint(ev, CL.gid) >>> 0;
  child.cloneTsNs = ts;
  child.pidnsInitStartTsNs = threads.bootTsEpochNs;
  if (valid) {
    inherit(child, caller);
  } else {
    caller.exe = child.exe;
    caller.comm = child.comm;
    caller.args = child.args.slice();
  }
  if (threads.add(child, true) === undefined) return;
  if (collision) ctx.resetAgain(ev);
}

function cloneInChild(ctx: ReplayContext, ev: EventCursor): void {
  const threads = ctx.threads;
  const childTid = ev.tid;
  const ts = ev.tsNs;
  let collision = false;
  const current = ctx.evThread;
  if (current !== undefined && current.cloneTsNs !== 0n) {
    // Created moments ago by the caller's event: nothing to do. (The C code
    // subtracts unsigned timestamps: an earlier clone time counts as stale.)
    const age = ts - current.cloneTsNs;
    if (age >= 0n && age < CLONE_STALE_NS) return;
    threads.remove(childTid);
    collision = true;
    ctx.evThread = undefined;
  }
  const child = new ThreadEntry(childTid, threads.maxFds, threads.refused);
  child.pid = paramInt(ev, CL.pid);
  child.ptid = paramInt(ev, CL.ptid);
  if (!paramEmpty(ev, CL.vpid)) {
    child.vtid = paramInt(ev, CL.vtid);
    child.vpid = paramInt(ev, CL.vpid);
  } else {
    child.vtid = child.tid;
    child.vpid = -1;
  }
  // Marks that the child's event came first, so the caller's event leaves it alone.
  child.flags = (paramUint(ev, CL.flags) | 0) | TF.CLONE_INVERTED;
  const leader = !(child.flags & TF.CLONE_THREAD);
  if (!leader) child.flags |= TF.CLONE_FILES;
  const lookup = threads.getOrCreate(leader ? child.ptid : child.pid);
  if (lookup === undefined) {
    ctx.evThread = undefined;
    return;
  }
  let valid = true;
  if (lookup.isInvalid()) {
    valid = false;
    if (!leader) {
      lookup.pid = child.pid;
      lookup.ptid = child.ptid;
      lookup.vpid = child.vpid;
      lookup.vtid = lookup.vpid;
      threads.createDependencies(lookup);
    }
  }
  fillFromEvent(child, ev);
  if (valid) {
    inherit(child, lookup);
    if (leader) forkFrom(child, lookup);
  } else if (!leader) {
    lookup.exe = child.exe;
    lookup.comm = child.comm;
    lookup.args = child.args.slice();
  }
  child.fdlimit = paramInt(ev, CL.fdlimit);
  takeMemory(child, ev, CL_MEM);
  child.uid = paramUint(ev, CL.uid) >>> 0;
  child.gid = paramUint(ev, CL.gid) >>> 0;
  child.cloneTsNs = ts;
  // A child in another pid namespace: its namespace's start, if the event has it; else the machine's boot.
  if (child.flags & (TF.CHILD_IN_PIDNS | TF.CLONE_NEWPID) || child.tid !== child.vtid) {
    if (!paramEmpty(ev, CL_PIDNS_START)) child.pidnsInitStartTsNs = paramU64(ev, CL_PIDNS_START) + threads.bootTsEpochNs;
  } else {
    child.pidnsInitStartTsNs = threads.bootTsEpochNs;
  }
  const added = threads.add(child, true);
  ctx.evThread = added;
  if (added !== undefined && collision) ctx.resetAgain(ev);
}

/** execve/execveat exit: the thread runs a new program. */
export function parseExecve(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) < 0) return;
  const t = ctx.evThread;
  if (t === undefined) return;
  if (t.isDead()) {
    // A secondary thread exec'ing after its main thread died takes the main thread's place.
    t.flags &= ~TF.CLOSED;
    if (t.group !== null) t.group.alive++;
  }
  t.exe = paramString(ev, EX.exe);
  t.comm = paramEmpty(ev, EX.comm) ? t.exe : paramString(ev, EX.comm);
  t.args = paramStringList(ev, EX.args);
  t.pid = paramInt(ev, EX.pid);
  if (t.isInvalid()) {
    t.ptid = paramInt(ev, EX.ptid);
    if (!(t.flags & TF.CHILD_IN_PIDNS)) {
      t.vtid = t.tid;
      t.vpid = t.pid;
    }
    ctx.threads.createDependencies(t);
  }
  t.fdlimit = paramInt(ev, EX.fdlimit);
  takeMemory(t, ev, EX_MEM);
  if (!paramEmpty(ev, EX.env)) t.env = paramStringList(ev, EX.env);
  if (!paramEmpty(ev, EX.cgroups)) t.cgroups = acceptedCgroups(paramStringList(ev, EX.cgroups)) ?? t.cgroups;
  if (!paramEmpty(ev, EX.tty)) t.tty = paramUint(ev, EX.tty);
  if (!paramEmpty(ev, EX.trusted_exepath)) t.setExepath(paramString(ev, EX.trusted_exepath));
  else exepathFromEnter(t, ev.type);
  if (!paramEmpty(ev, EX.vpgid)) t.vpgid = paramInt(ev, EX.vpgid);
  if (!paramEmpty(ev, EX.loginuid)) t.loginuid = paramUint(ev, EX.loginuid) >>> 0;
  if (!paramEmpty(ev, EX.flags)) t.exeFlags = exeFlagsOfExecve(paramUint(ev, EX.flags));
  takeExecveResources(t, ev, EX_RES_K);
  if (!paramEmpty(ev, EX.uid)) t.uid = paramUint(ev, EX.uid) >>> 0;
  t.pgid = paramEmpty(ev, EX.pgid) ? -1 : paramInt(ev, EX.pgid);
  if (!paramEmpty(ev, EX.gid)) t.gid = paramUint(ev, EX.gid) >>> 0;
  // Descriptors opened close-on-exec are gone.
  t.fdTable()?.retain((_fd, e) => !e.isCloseOnExec());
  const keep = t.flags & (TF.PIPE_SRC | TF.PIPE_DST | TF.IS_MAIN_THREAD | TF.CLONE_INVERTED);
  t.flags = TF.ACTIVE | keep | TF.NAME_CHANGED;
  // Every other thread of the group ends with the exec.
  const group = t.group;
  if (group !== null && group.alive > 1) {
    for (const other of group.threads.slice()) {
      if (other.removed || other.isMainThread() || other.tid === t.tid) continue;
      ctx.threads.remove(other.tid);
    }
  }
}

/**
 * Old captures carry no trusted exepath: sinsp rebuilds it from the stored
 * execve/execveat enter event, when there is one.
 */
function exepathFromEnter(t: ThreadEntry, exitType: number): void {
  const enter = t.retrieveEnter(exitType);
  if (enter === null) return;
  if (enter.type === EventType.SYSCALL_EXECVE_19_E) {
    t.setExepath(enter.path === NA ? NA : concatenatePaths(t.cwd, enter.path));
    return;
  }
  if (enter.type !== EventType.SYSCALL_EXECVEAT_E) return;
  const dir = dirForPath(t, enter.path, enter.dirfd);
  const emptyPath = (enter.flags & EXVAT_AT_EMPTY_PATH) !== 0;
  let full: string;
  if ((!emptyPath && enter.path === NA) || dir === '<UNKNOWN>') full = NA;
  else if (emptyPath) full = concatenatePaths('', dir);
  else full = concatenatePaths(dir, enter.path);
  t.setExepath(full);
}

/** procexit: the thread is dead now and leaves the table before the next event. */
export function parseProcexit(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  if (t.group !== null && !t.isDead()) t.group.decrement();
  t.flags |= TF.CLOSED;
  ctx.removeThreadLater(ev.tid);
  if (t.children.length === 0) return;
  if (ev.nparams > PROCEXIT_REAPER) {
    if (!paramEmpty(ev, PROCEXIT_REAPER)) t.reaperTid = paramInt(ev, PROCEXIT_REAPER);
  } else {
    t.reaperTid = -1;
  }
}

const CHDIR_PATH = pidx('SYSCALL_CHDIR_X', 'path');
const GETCWD_PATH = pidx('SYSCALL_GETCWD_X', 'path');
const CHROOT_PATH = pidx('SYSCALL_CHROOT_X', 'path');

export function parseChdir(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) >= 0 && ctx.evThread !== undefined) ctx.evThread.updateCwd(paramString(ev, CHDIR_PATH));
}

export function parseFchdir(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) >= 0 && ctx.evFd !== undefined && ctx.evThread !== undefined) ctx.evThread.updateCwd(ctx.evFd.name);
}

export function parseGetcwd(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) >= 0 && ctx.evThread !== undefined) ctx.evThread.updateCwd(paramString(ev, GETCWD_PATH));
}

/** The thread formatting would show for this event (sinsp_evt::get_thread_info). */
function eventThread(ctx: ReplayContext, ev: EventCursor): ThreadEntry | undefined {
  return ctx.evThread ?? ctx.threads.find(ev.tid);
}

/** setuid/setreuid/setresuid (`user`) and the gid twins: the effective id after success. */
export function parseSetId(ctx: ReplayContext, ev: EventCursor, param: number, user: boolean): void {
  if (retval(ev) !== 0 || paramEmpty(ev, param)) return;
  const t = eventThread(ctx, ev);
  if (t === undefined) return;
  if (user) t.uid = paramUint(ev, param) >>> 0;
  else t.gid = paramUint(ev, param) >>> 0;
}

/** prctl(PR_SET/GET_CHILD_SUBREAPER): marks the caller's group as a reaper for orphans. */
export function parsePrctl(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) < 0) return;
  const t = eventThread(ctx, ev);
  if (t === undefined || t.isInvalid()) return;
  const option = paramUint(ev, pidx('SYSCALL_PRCTL_X', 'option'));
  if (option !== PR_SET_CHILD_SUBREAPER && option !== PR_GET_CHILD_SUBREAPER) return;
  if (t.group !== null) t.group.reaper = paramInt(ev, pidx('SYSCALL_PRCTL_X', 'arg2_int')) !== 0;
}

export function parseSetsid(ctx: ReplayContext, ev: EventCursor): void {
  const res = retval(ev);
  const t = eventThread(ctx, ev);
  if (res >= 0 && t !== undefined) t.sid = res;
}

/** chroot: the new root, resolved against the cwd like any FSPATH argument. */
export function parseChroot(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined || retval(ev) !== 0) return;
  const path = paramString(ev, CHROOT_PATH);
  t.root = path === NA || path === '' || path.startsWith('/') ? path : concatenatePaths(t.cwd, path);
}

/** getrlimit/setrlimit(RLIMIT_NOFILE): the process's fd limit. */
export function parseRlimit(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined || retval(ev) < 0) return;
  if (paramUint(ev, pidx('SYSCALL_GETRLIMIT_X', 'resource')) !== RLIMIT_NOFILE) return;
  const cur = paramInt(ev, pidx('SYSCALL_GETRLIMIT_X', 'cur'));
  const main = t.mainThread();
  if (cur !== -1 && main !== undefined) main.fdlimit = cur;
}

/** prlimit(RLIMIT_NOFILE) on any process (tid 0: the caller); an unknown tid gets a fake entry. */
export function parsePrlimit(ctx: ReplayContext, ev: EventCursor): void {
  if (retval(ev) !== 0) return;
  const resource = pidx('SYSCALL_PRLIMIT_X', 'resource');
  if (paramEmpty(ev, resource) || paramUint(ev, resource) !== RLIMIT_NOFILE) return;
  const cur = paramInt(ev, pidx('SYSCALL_PRLIMIT_X', 'newcur'));
  if (cur === -1) return;
  const pidParam = pidx('SYSCALL_PRLIMIT_X', 'pid');
  if (paramEmpty(ev, pidParam)) return;
  let tid = paramInt(ev, pidParam);
  if (tid === 0) tid = ev.tid;
  const t = ctx.threads.getOrCreate(tid);
  if (t === undefined || t.isInvalid()) return;
  const main = t.mainThread();
  if (main !== undefined) main.fdlimit = cur;
}
