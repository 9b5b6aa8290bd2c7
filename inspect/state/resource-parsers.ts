// Thread resources sinsp keeps up to date from events (falcosecurity/libs
// 48dfd53, userspace/libsinsp/parsers.cpp): memory and page faults
// (parse_context_switch, parse_brk_mmap_mmap2_munmap__exit and the memory
// parameters of clone/execve), capabilities (parse_capset_exit,
// parse_unshare_setns_exit, execve) and the executable's inode (execve).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { paramEmpty, paramU64, paramUint, pidx, retval } from './event-params.js';
import type { ReplayContext } from './replay-context.js';
import type { ThreadEntry } from './thread-table.js';

/** `PPM_CL_CLONE_NEWUSER`. */
const CLONE_NEWUSER = 1 << 20;
/** sinsp_utils::get_max_caps: one bit per capability sinsp knows (41 of them). */
const MAX_CAPS = (1n << 41n) - 1n;

const SW = { maj: pidx('SCHEDSWITCH_6_E', 'pgft_maj'), min: pidx('SCHEDSWITCH_6_E', 'pgft_min'),
  size: pidx('SCHEDSWITCH_6_E', 'vm_size'), rss: pidx('SCHEDSWITCH_6_E', 'vm_rss'), swap: pidx('SCHEDSWITCH_6_E', 'vm_swap') };
// brk, mmap, mmap2 and munmap exits share the positions of vm_size, vm_rss, vm_swap.
const MM = { size: pidx('SYSCALL_MMAP_X', 'vm_size'), rss: pidx('SYSCALL_MMAP_X', 'vm_rss'), swap: pidx('SYSCALL_MMAP_X', 'vm_swap') };
for (const c of ['SYSCALL_BRK_4_X', 'SYSCALL_MMAP2_X', 'SYSCALL_MUNMAP_X'] as const) {
  if (pidx(c, 'vm_size') !== MM.size || pidx(c, 'vm_rss') !== MM.rss || pidx(c, 'vm_swap') !== MM.swap) throw new Error(`state: ${c} vm_* moved`);
}
const CAPSET = { inh: pidx('SYSCALL_CAPSET_X', 'cap_inheritable'), perm: pidx('SYSCALL_CAPSET_X', 'cap_permitted'),
  eff: pidx('SYSCALL_CAPSET_X', 'cap_effective') };
const UNSHARE_FLAGS = pidx('SYSCALL_UNSHARE_X', 'flags');
const SETNS_FLAGS = pidx('SYSCALL_SETNS_X', 'nstype');

/** Memory parameters at the same positions in clone and execve exits (pgft_maj … vm_swap). */
export interface MemoryParams { maj: number; min: number; size: number; rss: number; swap: number }

export function memoryParams(code: Parameters<typeof pidx>[0]): MemoryParams {
  return { maj: pidx(code, 'pgft_maj'), min: pidx(code, 'pgft_min'), size: pidx(code, 'vm_size'), rss: pidx(code, 'vm_rss'), swap: pidx(code, 'vm_swap') };
}

/** The memory parameters of clone/execve: all present or all absent (sinsp checks vm_swap). */
export function takeMemory(t: ThreadEntry, ev: EventCursor, k: MemoryParams): void {
  if (paramEmpty(ev, k.swap)) return;
  t.pfmajor = paramUint(ev, k.maj);
  t.pfminor = paramUint(ev, k.min);
  t.vmsizeKb = paramUint(ev, k.size);
  t.vmrssKb = paramUint(ev, k.rss);
  t.vmswapKb = paramUint(ev, k.swap);
}

/** What a new thread takes from a valid parent besides what proc-parsers' inherit copies. */
export function inheritResources(child: ThreadEntry, from: ThreadEntry): void {
  child.capPermitted = from.capPermitted;
  child.capInheritable = from.capInheritable;
  child.capEffective = from.capEffective;
  child.exeIno = from.exeIno;
  child.exeInoCtimeNs = from.exeInoCtimeNs;
  child.exeInoMtimeNs = from.exeInoMtimeNs;
  child.exeInoCtimeToCloneNs = from.exeInoCtimeToCloneNs;
}

/** execve's capability and executable-inode parameters (each group present or absent as a whole). */
export function takeExecveResources(t: ThreadEntry, ev: EventCursor, k: { inh: number; perm: number; eff: number; ino: number; ctime: number; mtime: number }): void {
  if (!paramEmpty(ev, k.eff)) {
    t.capInheritable = paramU64(ev, k.inh);
    t.capPermitted = paramU64(ev, k.perm);
    t.capEffective = paramU64(ev, k.eff);
  }
  if (!paramEmpty(ev, k.mtime)) {
    t.exeIno = paramU64(ev, k.ino);
    t.exeInoCtimeNs = paramU64(ev, k.ctime);
    t.exeInoMtimeNs = paramU64(ev, k.mtime);
    if (t.cloneTsNs !== 0n) t.exeInoCtimeToCloneNs = BigInt.asUintN(64, t.cloneTsNs - t.exeInoCtimeNs);
    if (t.pidnsInitStartTsNs !== 0n && t.exeInoCtimeNs > t.pidnsInitStartTsNs) {
      t.exeInoCtimeSincePidnsNs = t.exeInoCtimeNs - t.pidnsInitStartTsNs;
    }
  }
}

/** switch: page faults of the thread, memory of its process. */
export function parseContextSwitch(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined || paramEmpty(ev, SW.swap)) return;
  t.pfmajor = paramUint(ev, SW.maj);
  t.pfminor = paramUint(ev, SW.min);
  const main = t.mainThread();
  if (main === undefined) return;
  main.vmsizeKb = paramUint(ev, SW.size);
  main.vmrssKb = paramUint(ev, SW.rss);
  main.vmswapKb = paramUint(ev, SW.swap);
}

/** brk, mmap, mmap2, munmap exits: the thread's memory (whatever the result). */
export function parseMemoryExit(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined) return;
  if (!paramEmpty(ev, MM.size)) t.vmsizeKb = paramUint(ev, MM.size);
  if (!paramEmpty(ev, MM.swap)) {
    t.vmrssKb = paramUint(ev, MM.rss);
    t.vmswapKb = paramUint(ev, MM.swap);
  }
}

export function parseCapset(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined || retval(ev) < 0) return;
  t.capInheritable = paramU64(ev, CAPSET.inh);
  t.capPermitted = paramU64(ev, CAPSET.perm);
  t.capEffective = paramU64(ev, CAPSET.eff);
}

/** unshare/setns into a new user namespace: every capability. */
export function parseUnshareSetns(ctx: ReplayContext, ev: EventCursor): void {
  const t = ctx.evThread;
  if (t === undefined || retval(ev) < 0) return;
  const flags = ev.type === EventType.SYSCALL_UNSHARE_X ? paramUint(ev, UNSHARE_FLAGS)
    : paramEmpty(ev, SETNS_FLAGS) ? 0 : paramUint(ev, SETNS_FLAGS);
  if ((flags & CLONE_NEWUSER) === 0) return;
  t.capInheritable = MAX_CAPS;
  t.capPermitted = MAX_CAPS;
  t.capEffective = MAX_CAPS;
}
