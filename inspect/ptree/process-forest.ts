// The process forest of a capture: every process seen (from the capture's
// process list or created during it), who started it, what it executed,
// when it started and exited, and where it went when its parent died.
// Built by watching the replayed state after each event; lineage follows
// sinsp's rules (falcosecurity/libs 48dfd53: parsers.cpp parse_clone_exit*,
// parse_execve_exit, and thread_manager.cpp remove_thread for reparenting to
// the nearest reaper). A process keeps the parent that started it; the
// parent it was handed to on that parent's exit is kept beside it.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { cmdline } from '../fields/proc-fields.js';
import { threadContainerId } from '../fields/container-fields.js';
import { hasReturnValue, returnValue } from '../format/return-value.js';
import { CLONE_EXIT_TYPES, CLONE_STALE_NS, cloneResultIsHostTid, cloneResultIsNsChild } from '../state/index.js';
import type { StateReplay, ThreadEntry } from '../state/index.js';

/** One execve of a process: what it became. */
export interface ProcessExec {
  readonly tsNs: bigint;
  readonly comm: string;
  readonly exe: string;
  readonly exepath: string;
  readonly cmdline: string;
}

/** One process (one pid over one lifetime; a reused pid is a new node). */
export interface ProcessNode {
  readonly pid: number;
  /** The process that started it (or the parent known when first seen). */
  ppid: number | undefined;
  vpid: number | undefined;
  comm: string;
  exe: string;
  exepath: string;
  cmdline: string;
  /** Every name (comm) it had, oldest first: the first, then after each exec or rename. */
  readonly names: string[];
  uid: number;
  user: string | undefined;
  /** `container.id` of its main thread: 12 hex digits, or `host`. */
  container: string;
  /** Clone time; undefined when it ran before the capture started or its start was not seen. */
  startTsNs: bigint | undefined;
  /** Time of its first event in the capture (undefined for processes of the process list never seen). */
  firstSeenTsNs: bigint | undefined;
  exitTsNs: bigint | undefined;
  /** Exit code (procexit `ret`) and the signal that killed it (0 none), when it exited. */
  exitCode: number | undefined;
  exitSignal: number | undefined;
  /** The new parent after the original one exited (reparenting to a reaper). */
  reparentedTo: number | undefined;
  /** Threads other than the main thread. */
  readonly threads: number[];
  readonly execs: ProcessExec[];
  readonly children: ProcessNode[];
  parent: ProcessNode | undefined;
  /** True when the process came from the capture's process list. */
  readonly fromProcessList: boolean;
}

const CLONE_EXITS = new Set<number>(CLONE_EXIT_TYPES);
const EXEC_EXITS = new Set<number>([EventType.SYSCALL_EXECVE_19_X, EventType.SYSCALL_EXECVEAT_X]);
const PROCEXIT = EventType.PROCEXIT_1_E;

/** A child a clone exit in a pid namespace announced by its id there (`vtid`), not yet seen. */
interface NsChild {
  readonly parent: ProcessNode;
  readonly vtid: number;
  readonly tsNs: bigint;
}

/**
 * Collects the process forest while a capture is replayed.
 *
 * ```ts
 * const insp = await Inspector.open('trace.scap');
 * const forest = new ProcessForest(insp.state);          // seeds from the process list
 * await insp.run((ev) => forest.observe(ev, insp.state)); // after each event's state update
 * for (const root of forest.roots()) print(root);
 * ```
 */
export class ProcessForest {
  /** Every node, in creation order. */
  readonly nodes: ProcessNode[] = [];
  private readonly alive = new Map<number, ProcessNode>();
  private nsChildren: NsChild[] = [];

  constructor(state: StateReplay) {
    const mains: ThreadEntry[] = [];
    for (const t of state.threads.values()) if (t.pid > 0 && t.isMainThread()) mains.push(t);
    mains.sort((a, b) => a.pid - b.pid);
    for (const t of mains) this.create(t, state, undefined, undefined, true);
    for (const t of state.threads.values()) {
      if (t.pid > 0 && !t.isMainThread()) this.alive.get(t.pid)?.threads.push(t.tid);
    }
    for (const n of this.nodes) this.link(n);
  }

  /** Updates the forest with an event whose state update is done. */
  observe(ev: EventCursor, state: StateReplay): void {
    const t = state.thread(ev.tid);
    if (t === undefined || t.pid <= 0) return;
    const ts = ev.tsNs;
    const type = ev.type;
    const node = this.live(t, state, ts, CLONE_EXITS.has(type) ? this.nsParent(ev, t, state, ts) : undefined);
    if (CLONE_EXITS.has(type) && hasReturnValue(ev)) {
      const res = returnValue(ev);
      // In a pid namespace the caller's result names the child there, not on
      // the host (a host pid of that number became a phantom child): the
      // child's own clone exit adds it.
      const child = res > 0 && cloneResultIsHostTid(ev, t) ? state.threads.find(res) : undefined;
      if (child !== undefined && child.pid > 0) {
        if (child.pid === t.pid) addThread(node, child.tid);
        else this.startChild(child, state, ts, node);
      } else if (res > 0 && cloneResultIsNsChild(ev, t)) {
        this.nsChildren.push({ parent: node, vtid: res, tsNs: ts });
      } else if (res === 0 && node.startTsNs === undefined && node.firstSeenTsNs === ts && !node.fromProcessList) {
        node.startTsNs = ts;
      }
    } else if (EXEC_EXITS.has(type) && hasReturnValue(ev) && returnValue(ev) === 0) {
      const mt = t.mainThread() ?? t;
      node.execs.push({ tsNs: ts, comm: mt.comm, exe: mt.exe, exepath: mt.exepath, cmdline: cmdline(mt) });
      this.refresh(node, t, state);
    } else if (type === PROCEXIT && (t.group === null || t.group.alive <= 0)) {
      // A process ends with its last thread (the group's count of live
      // threads, which procexit has just decremented), not with its main
      // thread: that one may exit first (pthread_exit) or be replaced by a
      // thread that executes. Its exit status is the last thread's.
      node.exitTsNs = ts;
      node.exitCode = paramInt(ev, 'ret');
      node.exitSignal = paramInt(ev, 'sig');
      // Old layouts carry only the wait status (driver/ppm_events_public.h PPME_PROCEXIT_E).
      const status = paramInt(ev, 'status');
      if (status !== undefined) {
        node.exitCode ??= (status >> 8) & 0xff;
        node.exitSignal ??= status & 0x7f;
      }
    }
  }

  /** Processes with no known parent in the forest, by pid then start. */
  roots(): ProcessNode[] {
    return this.nodes.filter((n) => n.parent === undefined);
  }

  /** The latest node of `pid` (a reused pid has several). */
  find(pid: number): ProcessNode | undefined {
    for (let i = this.nodes.length - 1; i >= 0; i--) if (this.nodes[i]!.pid === pid) return this.nodes[i];
    return undefined;
  }

  /**
   * The process that started a child in a pid namespace, at the child's own
   * clone exit: its parent's clone exit named it by its vtid. The child's
   * event gives the parent it has now, which is a reaper (its namespace's
   * init or a subreaper above the parent) when the parent exited before the
   * child first ran, as in a shell's `( cmd & )` in a container.
   */
  private nsParent(ev: EventCursor, t: ThreadEntry, state: StateReplay, ts: bigint): ProcessNode | undefined {
    this.nsChildren = this.nsChildren.filter((c) => ts - c.tsNs < CLONE_STALE_NS);
    if (!hasReturnValue(ev) || returnValue(ev) !== 0 || t.tid !== t.pid || this.nsChildren.length === 0) return undefined;
    const now = state.parentPid(t.tid);
    const i = this.nsChildren.findIndex((c) => c.vtid === t.vtid && isSelfOrAncestor(now, c.parent));
    if (i < 0) return undefined;
    const [c] = this.nsChildren.splice(i, 1);
    return c!.parent;
  }

  /** The live node of the event's process, created when first seen (started by `starter` when given). */
  private live(t: ThreadEntry, state: StateReplay, ts: bigint, starter?: ProcessNode): ProcessNode {
    let node = this.alive.get(t.pid);
    if (node === undefined || node.exitTsNs !== undefined && node.exitTsNs < ts) {
      node = this.create(t, state, starter?.pid, ts, false);
      this.link(node);
      const ppid = state.parentPid(t.tid);
      if (starter !== undefined && ppid !== undefined && ppid > 0 && ppid !== starter.pid) node.reparentedTo = ppid;
    } else {
      this.refresh(node, t, state);
      node.firstSeenTsNs ??= ts;
      const ppid = state.parentPid(t.tid);
      if (ppid !== undefined && ppid !== node.ppid && node.ppid !== undefined && ppid > 0) node.reparentedTo = ppid;
    }
    if (t.tid !== t.pid) addThread(node, t.tid);
    return node;
  }

  /** A process started by `parent` at `ts` (clone exit in the parent). */
  private startChild(child: ThreadEntry, state: StateReplay, ts: bigint, parent: ProcessNode): void {
    const existing = this.alive.get(child.pid);
    if (existing !== undefined && existing.exitTsNs === undefined && existing.firstSeenTsNs !== undefined &&
      existing.firstSeenTsNs >= ts - CLONE_STALE_NS && existing.parent === parent) {
      // The child's own clone exit came first (it may): same process.
      existing.startTsNs ??= ts;
      return;
    }
    const node = this.create(child, state, parent.pid, ts, false);
    node.startTsNs = ts;
    this.link(node);
  }

  private create(t: ThreadEntry, state: StateReplay, ppid: number | undefined, ts: bigint | undefined, fromList: boolean): ProcessNode {
    const mt = t.mainThread() ?? t;
    const node: ProcessNode = {
      pid: t.pid, ppid: ppid ?? state.parentPid(t.tid), vpid: mt.vpid === -1 ? undefined : mt.vpid,
      comm: mt.comm, exe: mt.exe, exepath: mt.exepath, cmdline: cmdline(mt), names: [mt.comm], uid: mt.uid >>> 0,
      user: state.user(mt.uid)?.name ?? (mt.uid === 0 ? 'root' : undefined), container: threadContainerId(mt),
      startTsNs: undefined, firstSeenTsNs: ts, exitTsNs: undefined, exitCode: undefined, exitSignal: undefined,
      reparentedTo: undefined, threads: [], execs: [], children: [], parent: undefined, fromProcessList: fromList,
    };
    if (node.ppid !== undefined && node.ppid <= 0) node.ppid = undefined;
    this.nodes.push(node);
    this.alive.set(node.pid, node);
    return node;
  }

  private link(node: ProcessNode): void {
    if (node.ppid === undefined || node.ppid === node.pid) return;
    const parent = this.alive.get(node.ppid);
    if (parent === undefined || parent === node) return;
    node.parent = parent;
    parent.children.push(node);
  }

  private refresh(node: ProcessNode, t: ThreadEntry, state: StateReplay): void {
    const mt = t.mainThread() ?? t;
    node.comm = mt.comm;
    if (node.names[node.names.length - 1] !== mt.comm) node.names.push(mt.comm);
    node.exe = mt.exe;
    node.exepath = mt.exepath;
    node.cmdline = cmdline(mt);
    node.uid = mt.uid >>> 0;
    node.user = state.user(mt.uid)?.name ?? (mt.uid === 0 ? 'root' : undefined);
    node.container = threadContainerId(mt);
    if (mt.vpid !== -1) node.vpid = mt.vpid;
  }
}

/** Whether `pid` is `node`'s process or one of its ancestors in the forest. */
function isSelfOrAncestor(pid: number | undefined, node: ProcessNode): boolean {
  for (let n: ProcessNode | undefined = node; n !== undefined; n = n.parent) if (n.pid === pid) return true;
  return false;
}

function addThread(node: ProcessNode, tid: number): void {
  if (tid !== node.pid && !node.threads.includes(tid)) node.threads.push(tid);
}

/** An integer parameter of procexit by name, or undefined when absent. */
function paramInt(ev: EventCursor, name: 'status' | 'ret' | 'sig'): number | undefined {
  const k = name === 'status' ? 0 : name === 'ret' ? 1 : 2;
  if (k >= ev.nparams) return undefined;
  const len = ev.paramLen(k);
  const at = ev.paramStart(k);
  if (len === 8) return Number(ev.bytes.readBigInt64LE(at));
  if (len === 1) return ev.bytes[at]!;
  if (len === 4) return ev.bytes.readInt32LE(at);
  return undefined;
}
