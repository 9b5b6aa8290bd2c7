// `proc.*`, `thread.*`, `user.*` and `group.*` fields over the replayed
// threads, with libsinsp's rules (falcosecurity/libs 48dfd53:
// userspace/libsinsp/sinsp_filtercheck_thread.cpp, sinsp_filtercheck_user.cpp,
// sinsp_filtercheck_group.cpp; thread_manager.cpp get_ancestor_process,
// traverse_parent_state, get_oldest_matching_ancestor; threadinfo.cpp
// populate_cmdline, populate_args, concatenate_all_env).

import { field, bool, xid } from './field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { StateLookup, ThreadDetail } from '../state/lookup.js';
import { ExeFlag } from '../state/thread-table.js';
import { userNameOf } from '../state/users.js';
import type { FieldContext, FieldDef, JsonKind } from './field.js';

export function detail(ev: EventCursor, ctx: FieldContext): ThreadDetail | undefined {
  return ctx.state.threadDetail?.(ev.tid);
}

/** A field of the event's thread: no value for an event without thread info. */
export function threadField(name: string, description: string,
  value: (t: ThreadDetail, ev: EventCursor, ctx: FieldContext) => string | undefined, json: JsonKind = 'string'): FieldDef {
  return field(name, description, (ev, ctx) => {
    const t = detail(ev, ctx);
    return t === undefined ? undefined : value(t, ev, ctx);
  }, json);
}

/** get_ancestor_process(t, n): n steps up from the main thread, each to the parent's main thread. */
export function ancestorProcess(state: StateLookup, t: ThreadDetail, n: number): ThreadDetail | undefined {
  // No real process tree is this deep; a parent loop in a damaged capture must not spin for `n` steps.
  if (n > MAX_ANCESTOR_DEPTH) return undefined;
  let mt = t.mainThread();
  for (let i = 0; i < n; i++) {
    if (mt === undefined) return undefined;
    const p = state.findThread?.(mt.ptid);
    if (p === undefined) return undefined;
    mt = p.mainThread();
  }
  return mt;
}

/**
 * traverse_parent_state: calls `visit` on each ancestor by ptid (threads,
 * not main threads) until it returns false, a thread is missing, or a loop
 * shows (two walkers at different speeds meet).
 */
export function forEachAncestor(state: StateLookup, t: ThreadDetail, visit: (p: ThreadDetail) => boolean): void {
  const find = (tid: number): ThreadDetail | undefined => state.findThread?.(tid);
  let slow = find(t.ptid);
  let fast = slow === undefined ? undefined : find(slow.ptid);
  while (slow !== undefined && slow.tid !== -1) {
    if (!visit(slow)) return;
    slow = find(slow.ptid);
    for (let i = 0; i < 2; i++) {
      fast = fast === undefined ? undefined : find(fast.ptid);
      if (slow !== undefined && (slow === fast || slow.tid === slow.ptid)) return;
    }
  }
}

/** populate_cmdline: the comm and arguments, space-separated. */
export function cmdline(t: ThreadDetail): string {
  let s = t.comm;
  for (const a of t.args) s += ' ' + a;
  return s;
}

/** The process's environment (get_env: the main thread's). */
function processEnv(t: ThreadDetail): readonly string[] {
  if (t.isMainThread()) return t.env;
  return t.mainThread()?.env ?? t.env;
}

/**
 * get_oldest_matching_ancestor (virtual ids): the leader of the thread's
 * session (`sid`) or process group (`vpgid`), or undefined.
 */
function leader(state: StateLookup, t: ThreadDetail, key: 'sid' | 'vpgid'): ThreadDetail | undefined {
  const id = t[key];
  if (id === -1) return undefined;
  if (!t.isInPidNamespace()) {
    const leader = state.findThread?.(id);
    if (leader !== undefined) return leader;
  }
  let leader: ThreadDetail | undefined;
  forEachAncestor(state, t, (p) => {
    if (p[key] !== id) return false;
    leader = p;
    return true;
  });
  return leader;
}

/**
 * In filters, proc.aname (and apid, acmdline, aexe, aexepath) without [N]
 * compare against each ancestor by ptid, from the parent up
 * (sinsp_filtercheck_thread.cpp compare_full_aname and kin).
 */
export function ancestorValues(value: (t: ThreadDetail) => string): (ev: EventCursor, ctx: FieldContext) => readonly string[] | undefined {
  return (ev, ctx) => {
    const t = detail(ev, ctx);
    const mt = t === undefined ? undefined : t.isMainThread() ? t : t.mainThread();
    if (mt === undefined) return undefined;
    const out: string[] = [];
    forEachAncestor(ctx.state, mt, (p) => { out.push(value(p)); return true; });
    return out;
  };
}

const MAX_ANCESTOR_DEPTH = 65536;

/**
 * Parses the `[N]` of an ancestor field as libsinsp does (parsed32): absent
 * or -1 means "all ancestors" (-1); another negative N names no process.
 */
function ancestorIndex(arg: string | undefined, name: string): number {
  if (arg === undefined || arg === '') return -1;
  if (!/^[+-]?\d{1,10}$/.test(arg) || Math.abs(Number(arg)) > 2 ** 31) throw new Error(`${name}: expected a number in [], got '${arg}'`);
  const n = Number(arg);
  return n < -1 ? MAX_ANCESTOR_DEPTH + 1 : n;
}

/**
 * proc.aname / proc.acmdline style fields: `[N]` is the Nth ancestor process
 * (0 the process itself); without it, the values of all ancestors joined by spaces.
 */
function ancestorField(name: string, description: string, value: (t: ThreadDetail) => string, allInFilters = true): FieldDef {
  return {
    name, description, takesArg: true, argOptional: true, json: 'string',
    compileValues: allInFilters ? (arg) => (ancestorIndex(arg, name) >= 0 ? undefined : ancestorValues(value)) : undefined,
    compile: (arg) => {
      const n = ancestorIndex(arg, name);
      return (ev, ctx) => {
        const t = detail(ev, ctx);
        if (t === undefined) return undefined;
        if (n >= 0) {
          const a = ancestorProcess(ctx.state, t, n);
          return a === undefined ? undefined : value(a);
        }
        const mt = t.mainThread();
        if (mt === undefined) return undefined;
        let s = '';
        forEachAncestor(ctx.state, mt, (p) => {
          if (s !== '') s += ' ';
          s += value(p);
          return true;
        });
        return s === '' ? undefined : s;
      };
    },
  };
}

/** A field of the session or process group leader ('' when there is none). */
function leaderField(name: string, description: string, key: 'sid' | 'vpgid', value: (l: ThreadDetail) => string): FieldDef {
  return field(name, description, (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    const l = leader(ctx.state, t, key);
    return l === undefined ? '' : value(l);
  });
}

/** A fact about the thread's executable, from execve's flags or the process list (`ExeFlag`). */
function exeFlagField(name: string, description: string, bit: number): FieldDef {
  return threadField(name, description, (t) => bool((t.exeFlags & bit) !== 0), 'bool');
}

/** Thread and process fields beyond the basic ones in thread-fields.ts. */
export const PROC_FIELDS: readonly FieldDef[] = [
  field('proc.vpid', 'process id as seen from its pid namespace', (ev, ctx) => {
    const t = detail(ev, ctx);
    return t === undefined || t.vpid === -1 ? undefined : String(t.vpid);
  }, 'number'),
  field('thread.vtid', 'thread id as seen from its pid namespace', (ev, ctx) => {
    const t = detail(ev, ctx);
    return t === undefined || t.vtid === -1 ? undefined : String(t.vtid);
  }, 'number'),
  threadField('thread.ismain', 'true for the main thread of its process', (t) => bool(t.isMainThread()), 'bool'),
  field('proc.exe', 'first command line argument (argv[0])', (ev, ctx) => detail(ev, ctx)?.exe),
  threadField('proc.cmdline', 'name and arguments', (t) => cmdline(t)),
  {
    name: 'proc.args', description: 'arguments, space-separated; proc.args[N] is one of them', takesArg: true, argOptional: true, bracketIsNumber: true, json: 'string',
    compile: (arg) => {
      const n = arg === undefined || arg === '' ? -1 : Number(arg);
      return (ev, ctx) => {
        const t = detail(ev, ctx);
        if (t === undefined) return undefined;
        if (n >= 0) return t.args[n] ?? '';
        return t.args.join(' ');
      };
    },
  },
  field('proc.cwd', 'current working directory', (ev, ctx) => detail(ev, ctx)?.cwd),
  {
    name: 'proc.env', description: 'environment, space-separated; proc.env[NAME] is one variable', takesArg: true, argOptional: true, json: 'string',
    compile: (arg) => (ev, ctx) => {
      const t = detail(ev, ctx);
      if (t === undefined) return undefined;
      const env = processEnv(t);
      if (arg === undefined || arg === '') return env.join(' ');
      for (const v of env) {
        if (v.length > arg.length + 1 && v[arg.length] === '=' && v.startsWith(arg)) {
          return v.slice(arg.length + 1).replace(/^ +/, '').replace(/ +$/, '');
        }
      }
      return '';
    },
  },
  threadField('proc.tty', 'controlling terminal number (0 for none)', (t) => String(t.tty >>> 0), 'number'),
  threadField('proc.sid', 'session id', (t) => String(t.sid), 'number'),
  leaderField('proc.sname', 'name of the session leader', 'sid', (l) => l.comm),
  leaderField('proc.sid.exe', 'argv[0] of the session leader', 'sid', (l) => l.exe),
  leaderField('proc.sid.exepath', 'executable path of the session leader', 'sid', (l) => l.exepath),
  leaderField('proc.vpgid.name', 'name of the process group leader', 'vpgid', (l) => l.comm),
  leaderField('proc.vpgid.exe', 'argv[0] of the process group leader', 'vpgid', (l) => l.exe),
  leaderField('proc.vpgid.exepath', 'executable path of the process group leader', 'vpgid', (l) => l.exepath),
  threadField('proc.vpgid', 'process group id as seen from its pid namespace', (t) => String(t.vpgid), 'number'),
  threadField('proc.is_sid_leader', 'true for the session leader (sid = vpid)', (t) => bool(t.sid === t.vpid), 'bool'),
  threadField('proc.is_vpgid_leader', 'true for the process group leader (vpgid = vpid)', (t) => bool(t.vpgid === t.vpid), 'bool'),
  exeFlagField('proc.is_exe_writable', 'true if the executable is writable by the user that started the process', ExeFlag.WRITABLE),
  exeFlagField('proc.is_exe_upper_layer', 'true if the executable is in the upper layer of an overlayfs', ExeFlag.UPPER_LAYER),
  exeFlagField('proc.is_exe_lower_layer', 'true if the executable is in the lower layer of an overlayfs', ExeFlag.LOWER_LAYER),
  exeFlagField('proc.is_exe_from_memfd', 'true if the executable is a memfd_create() file run through its fd', ExeFlag.FROM_MEMFD),
  field('proc.pvpid', 'vpid of the parent thread', (ev, ctx) => {
    const t = detail(ev, ctx);
    const p = t === undefined ? undefined : ctx.state.findThread?.(t.ptid);
    return p === undefined ? undefined : String(p.vpid);
  }, 'number'),
  threadField('proc.exeline', 'argv[0] and the arguments', (t) => `${t.exe} ${t.args.join(' ')}`),
  threadField('proc.cmdnargs', 'number of arguments', (t) => String(t.args.length), 'number'),
  threadField('proc.cmdlenargs', 'total length of the arguments', (t) => String(t.args.reduce((n, a) => n + a.length, 0)), 'number'),
  threadField('proc.pexe', 'argv[0] of the parent process', (t, _ev, ctx) => ancestorProcess(ctx.state, t, 1)?.exe),
  threadField('proc.pname', 'name of the parent process', (t, _ev, ctx) => ancestorProcess(ctx.state, t, 1)?.comm),
  field('proc.pcmdline', 'command line of the parent process', (ev, ctx) => {
    const t = detail(ev, ctx);
    const p = t === undefined ? undefined : ancestorProcess(ctx.state, t, 1);
    return p === undefined ? undefined : cmdline(p);
  }),
  threadField('proc.pexepath', 'executable path of the parent process', (t, _ev, ctx) => ancestorProcess(ctx.state, t, 1)?.exepath),
  ancestorField('proc.aname', 'name of an ancestor process: proc.aname[N], N=1 the parent', (t) => t.comm),
  ancestorField('proc.acmdline', 'command line of an ancestor process: proc.acmdline[N]', cmdline),
  ancestorField('proc.aexe', 'argv[0] of an ancestor process: proc.aexe[N]', (t) => t.exe),
  ancestorField('proc.aargs', 'arguments of an ancestor process: proc.aargs[N]', (t) => t.args.join(' '), false),
  ancestorField('proc.aexepath', 'executable path of an ancestor process: proc.aexepath[N]', (t) => t.exepath),
  {
    name: 'proc.apid', description: 'pid of an ancestor process: proc.apid[N], N=1 the parent', takesArg: true, argOptional: true, json: 'number',
    compileValues: (arg) => (ancestorIndex(arg, 'proc.apid') >= 0 ? undefined : ancestorValues((t) => String(t.pid))),
    compile: (arg) => {
      const n = Math.max(ancestorIndex(arg, 'proc.apid'), 0);
      return (ev, ctx) => {
        const t = detail(ev, ctx);
        const a = t === undefined ? undefined : ancestorProcess(ctx.state, t, n);
        return a === undefined ? undefined : xid(a.pid);
      };
    },
  },
  field('proc.loginshellid', 'pid of the oldest shell (a name ending in "sh") among the process and its ancestors', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    const mt = t.isMainThread() ? t : t.mainThread();
    if (mt === undefined) return undefined;
    let found: number | undefined;
    const check = (p: ThreadDetail): boolean => {
      if (p.comm.endsWith('sh')) found = p.pid;
      return true;
    };
    check(mt);
    forEachAncestor(ctx.state, mt, check);
    return found === undefined ? undefined : String(found);
  }, 'number'),
];

/** `user.*` and `group.*`: the thread's ids resolved through the capture's user list. */
export const USER_FIELDS: readonly FieldDef[] = [
  threadField('user.uid', 'user id', (t) => String(t.uid >>> 0), 'number'),
  field('user.name', 'user name', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    return userNameOf(ctx.state.user?.(t.uid), t.uid);
  }),
  field('user.homedir', 'home directory of the user', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    return ctx.state.user?.(t.uid)?.homedir ?? (t.uid === 0 ? '/root' : '<NA>');
  }),
  field('user.shell', 'shell of the user', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    return ctx.state.user?.(t.uid)?.shell ?? '<NA>';
  }),
  field('user.loginuid', 'audit login uid (-1 when unset)', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    return t.loginuid >>> 0 < 0xffffffff ? String(t.loginuid >>> 0) : '-1';
  }, 'number'),
  field('user.loginname', 'name of the audit login user', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    return ctx.state.user?.(t.loginuid)?.name ?? (t.loginuid === 0 ? 'root' : '<NA>');
  }),
  threadField('group.gid', 'group id', (t) => String(t.gid >>> 0), 'number'),
  field('group.name', 'group name', (ev, ctx) => {
    const t = detail(ev, ctx);
    if (t === undefined) return undefined;
    return ctx.state.group?.(t.gid)?.name ?? (t.gid === 0 ? 'root' : '<NA>');
  }),
];
