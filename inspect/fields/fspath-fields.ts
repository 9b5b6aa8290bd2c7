// fs.path.* fields: the path a filesystem syscall acts on, including those
// that name paths without opening them (unlink, rename, mkdir, mount...),
// with libsinsp's rules (falcosecurity/libs 48dfd53,
// userspace/libsinsp/sinsp_filtercheck_fspath.cpp):
// - a value only when the call succeeded: res = 0, or for the opens
//   fd != -1 (so a failed open, fd = -errno, still has one);
// - fs.path.name/source/target are resolved: an absolute path is
//   normalised; a relative one is joined to the directory the call used:
//   the thread's cwd by default (renameat too, as there), the event fd's
//   directory for the *at calls that have one (`<UNKNOWN>` when the fd is
//   not a directory), renameat2's own dirfds; for openat the opened fd's
//   name replaces the path;
// - the *raw variants are the path as the call received it.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import { paramEmpty, paramInt, paramString, pidx } from '../state/event-params.js';
import { AT_FDCWD, asDirectory, concatenatePaths } from '../state/paths.js';
import type { FieldContext, FieldDef, FieldExtractor } from './field.js';
import { FD_FIELDS } from './thread-fields.js';

type Code = Parameters<typeof pidx>[0];
const E = EventType;
const UNKNOWN = '<UNKNOWN>';

/** Which parameter (or the event's fd name, -1) gives a path of an event type. */
type PathSource = number;
const FD_NAME = -1;

/** The success test of each event type fs.path knows: res = 0, or (opens) fd != -1. */
const SUCCESS = new Map<number, (ev: EventCursor) => boolean>();
const PATHS = new Map<number, PathSource>();
const SOURCES = new Map<number, PathSource>();
const TARGETS = new Map<number, PathSource>();

function resIsZero(code: Code): (ev: EventCursor) => boolean {
  const k = pidx(code, 'res');
  return (ev) => !paramEmpty(ev, k) && paramInt(ev, k) === 0;
}
function fdIsNotMinusOne(code: Code): (ev: EventCursor) => boolean {
  const k = pidx(code, 'fd');
  return (ev) => !paramEmpty(ev, k) && paramInt(ev, k) !== -1;
}
function path(code: Code, param: string | null): void {
  SUCCESS.set(E[code], resIsZero(code));
  PATHS.set(E[code], param === null ? FD_NAME : pidx(code, param));
}
function open(code: Code): void {
  SUCCESS.set(E[code], fdIsNotMinusOne(code));
  PATHS.set(E[code], pidx(code, 'name'));
}
function sourceTarget(code: Code, source: string, target: string): void {
  SUCCESS.set(E[code], resIsZero(code));
  SOURCES.set(E[code], pidx(code, source));
  TARGETS.set(E[code], pidx(code, target));
}

path('SYSCALL_MKDIR_2_X', 'path');
path('SYSCALL_MKDIRAT_X', 'path');
path('SYSCALL_RMDIR_2_X', 'path');
path('SYSCALL_UNLINK_2_X', 'path');
path('SYSCALL_UNLINKAT_2_X', 'name');
open('SYSCALL_OPEN_X');
open('SYSCALL_OPENAT_2_X');
open('SYSCALL_OPENAT2_X');
path('SYSCALL_FCHMODAT_X', 'filename');
path('SYSCALL_CHMOD_X', 'filename');
path('SYSCALL_FCHMOD_X', null);
path('SYSCALL_CHOWN_X', 'path');
path('SYSCALL_LCHOWN_X', 'path');
path('SYSCALL_FCHOWN_X', null);
path('SYSCALL_FCHOWNAT_X', 'pathname');
path('SYSCALL_QUOTACTL_X', 'special');
sourceTarget('SYSCALL_RENAME_X', 'oldpath', 'newpath');
sourceTarget('SYSCALL_RENAMEAT_X', 'oldpath', 'newpath');
sourceTarget('SYSCALL_RENAMEAT2_X', 'oldpath', 'newpath');
// link: the new name is the source, the existing file the target (as libsinsp).
sourceTarget('SYSCALL_LINK_2_X', 'newpath', 'oldpath');
sourceTarget('SYSCALL_LINKAT_2_X', 'newpath', 'oldpath');
sourceTarget('SYSCALL_SYMLINK_X', 'linkpath', 'target');
sourceTarget('SYSCALL_SYMLINKAT_X', 'linkpath', 'target');
sourceTarget('SYSCALL_MOUNT_X', 'dev', 'dir');
path('SYSCALL_UMOUNT_1_X', 'name');
path('SYSCALL_UMOUNT2_X', 'name');

/** The *at calls whose relative paths go under the event fd's directory. */
const EVENT_FD_DIR = new Set<number>([E.SYSCALL_NEWFSTATAT_X, E.SYSCALL_FCHOWNAT_X, E.SYSCALL_FCHMODAT_X,
  E.SYSCALL_MKDIRAT_X, E.SYSCALL_UNLINKAT_2_X, E.SYSCALL_MKNODAT_X]);
const RENAMEAT2_OLDDIRFD = pidx('SYSCALL_RENAMEAT2_X', 'olddirfd');
const RENAMEAT2_NEWDIRFD = pidx('SYSCALL_RENAMEAT2_X', 'newdirfd');

type Which = 'name' | 'source' | 'target';

/** The event fd's name with one trailing '/' when it is a directory, else `<UNKNOWN>` (format_dirfd). */
function eventFdDir(ev: EventCursor, ctx: FieldContext): string {
  const f = ctx.state.parsedEventFd?.(ev);
  return f === undefined || f.type !== FdType.DIRECTORY ? UNKNOWN : asDirectory(f.name);
}

/** parse_dirfd for a relative path: the cwd for AT_FDCWD, the dirfd's name plus '/', or `<UNKNOWN>`. */
function dirOf(ev: EventCursor, ctx: FieldContext, dirfd: number, cwd: string): string {
  if (dirfd === AT_FDCWD) return cwd;
  const f = ctx.state.fd(ev.tid, dirfd);
  return f === undefined ? UNKNOWN : asDirectory(f.name);
}

function fspathField(name: string, description: string, which: Which, raw: boolean): FieldDef {
  const table = which === 'name' ? PATHS : which === 'source' ? SOURCES : TARGETS;
  return {
    name, description, json: 'string',
    compile: () => {
      const fdName: FieldExtractor = FD_FIELDS.find((f) => f.name === 'fd.name')!.compile(undefined);
      return (ev, ctx) => {
        const type = ev.type;
        const ok = SUCCESS.get(type);
        const k = table.get(type);
        if (ok === undefined || k === undefined || !ok(ev)) return undefined;
        let p: string | undefined;
        if (k === FD_NAME) p = fdName(ev, ctx);
        else p = paramEmpty(ev, k) ? undefined : paramString(ev, k);
        if (p === undefined || raw) return p;
        const t = ctx.state.thread(ev.tid);
        if (t === undefined) return undefined;
        if (p.startsWith('/')) return concatenatePaths('', p);
        let dir: string;
        if (type === E.SYSCALL_OPENAT_2_X || type === E.SYSCALL_OPENAT2_X) {
          dir = '';
          p = ctx.state.parsedEventFd?.(ev)?.name ?? UNKNOWN;
        } else if (EVENT_FD_DIR.has(type)) {
          dir = eventFdDir(ev, ctx);
        } else if (type === E.SYSCALL_SYMLINKAT_X) {
          dir = which === 'source' ? eventFdDir(ev, ctx) : UNKNOWN;
        } else if (type === E.SYSCALL_RENAMEAT2_X) {
          const d = which === 'target' ? RENAMEAT2_NEWDIRFD : RENAMEAT2_OLDDIRFD;
          dir = dirOf(ev, ctx, paramInt(ev, d), t.cwd);
        } else {
          dir = t.cwd;
        }
        return concatenatePaths(dir, p);
      };
    },
  };
}

export const FSPATH_FIELDS: readonly FieldDef[] = [
  fspathField('fs.path.name', 'path a successful filesystem syscall acted on, resolved against its directory', 'name', false),
  fspathField('fs.path.nameraw', 'path a successful filesystem syscall acted on, as the call received it', 'name', true),
  fspathField('fs.path.source', 'source path of a successful rename, link, symlink or mount, resolved', 'source', false),
  fspathField('fs.path.sourceraw', 'source path of a successful rename, link, symlink or mount, as received', 'source', true),
  fspathField('fs.path.target', 'target path of a successful rename, link, symlink or mount, resolved', 'target', false),
  fspathField('fs.path.targetraw', 'target path of a successful rename, link, symlink or mount, as received', 'target', true),
];
