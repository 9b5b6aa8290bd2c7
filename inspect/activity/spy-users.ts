// Interactive user activity, as sysdig's spy_users chisel shows it
// (userspace/sysdig/chisels/spy_users.lua, sysdig 0.36): every program
// started under a shell and every directory a shell moves to, indented by
// how far below that shell it happens.
//
// The chisel's own bookkeeping is kept, quirks included (the furthest shell
// ancestor names the line, depths count from the first process seen under
// it), except for one fault that is not behaviour but corruption: at each
// chdir it inserts at the head of its global lists of proc.aname[N] and
// proc.apid[N] fields, so from its second chdir on it reads the wrong
// ancestors (none at all after two), hides the programs of every process
// it meets after that, and dies with "attempt to concatenate a nil value"
// when one of those later starts a program under a shell it knows.
// Here a chdir reads its ancestors from the shell itself for that event
// only, which is what the insert was for; a process marked as having no
// shell stays hidden. inspect/README.md has the comparison with sysdig.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { compileFilter, type EventFilter } from '../filter/index.js';
import { extendString } from '../stats/render.js';

/** The events the chisel is shown (its chisel.set_filter). */
export const SPY_USERS_FILTER = '((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false';

/** Ancestors the chisel looks through for a shell (MAX_ANCESTOR_NAVIGATION). */
const MAX_ANCESTORS = 16;

/** One line of the chisel's output. */
export interface SpyLine {
  readonly kind: 'exec' | 'cd';
  /** The shell the activity is filed under (a pid, as the chisel prints it). */
  readonly shellPid: string;
  /** How far below the shell: the chisel indents by it. */
  readonly depth: number;
  /** evt.time.s: time of day, local time. */
  readonly time: string;
  readonly user: string;
  /** exec: proc.exe and proc.args; cd: the directory (evt.arg.path). */
  readonly exe?: string;
  readonly args?: string;
  readonly dir?: string;
}

/** A process's place: its depth below `shellPid`, or no shell above it. */
type Place = { readonly depth: number; readonly shellPid: string } | typeof NO_SHELL;
const NO_SHELL = 'no shell';

/**
 * Watches events and answers the line the chisel prints for each (or
 * undefined). Keeps what the chisel keeps: a place per pid met, for the
 * whole capture.
 *
 * ```ts
 * const spy = new SpyUsers(FIELDS);
 * await insp.run((ev) => { const l = spy.observe(ev, insp.fieldContext); if (l) out.line(spyUsersText(l)); });
 * ```
 */
export class SpyUsers {
  private readonly places = new Map<string, Place>();
  private readonly shown: EventFilter;
  private readonly type: FieldExtractor;
  private readonly exe: FieldExtractor;
  private readonly args: FieldExtractor;
  private readonly dir: FieldExtractor;
  private readonly user: FieldExtractor;
  private readonly time: FieldExtractor;
  private readonly pid: FieldExtractor;
  private readonly ppid: FieldExtractor;
  private readonly anames: FieldExtractor[] = [];
  private readonly apids: FieldExtractor[] = [];

  /** `maxDepth`: the chisel's max_depth argument (lines deeper are left out); undefined for all. */
  constructor(fields: ReadonlyMap<string, FieldDef>, private readonly maxDepth?: number) {
    const field = (name: string, arg?: string): FieldExtractor => fields.get(name)!.compile(arg);
    this.shown = compileFilter(SPY_USERS_FILTER, fields);
    this.type = field('evt.type');
    this.exe = field('proc.exe');
    this.args = field('proc.args');
    this.dir = field('evt.arg', 'path');
    this.user = field('user.name');
    this.time = field('evt.time.s');
    this.pid = field('proc.pid');
    this.ppid = field('proc.ppid');
    for (let j = 0; j <= MAX_ANCESTORS; j++) {
      this.anames.push(field('proc.aname', String(j)));
      this.apids.push(field('proc.apid', String(j)));
    }
  }

  /** The line for this event, or undefined when the chisel prints none. */
  observe(ev: EventCursor, ctx: FieldContext): SpyLine | undefined {
    if (!this.shown(ev, ctx)) return undefined;
    const isCd = this.type(ev, ctx) === 'chdir';
    const pid = this.pid(ev, ctx);
    // A chdir is filed under the shell that makes it: its ancestors are
    // looked through from the shell itself (proc.aname[0]).
    const ppid = isCd ? pid : this.ppid(ev, ctx);
    // Lua would fail indexing its table with nil; no line is the answer here.
    if (pid === undefined || ppid === undefined) return undefined;
    const places = this.places;
    let parent = places.get(ppid);
    if (parent === undefined) {
      // Marked first, as the chisel does: an ancestor that is this parent counts as met.
      places.set(ppid, NO_SHELL);
      parent = this.placeOf(ev, ctx, isCd ? 1 : 0);
      places.set(ppid, parent);
    }
    if (parent === NO_SHELL) return undefined;
    let place = places.get(pid);
    if (place === undefined) {
      place = { depth: parent.depth + 1, shellPid: parent.shellPid };
      places.set(pid, place);
    }
    // A process first met as a parent without a shell above it; the
    // chisel dies on it (see the top of this file).
    if (place === NO_SHELL) return undefined;
    const depth = place.depth;
    if (this.maxDepth !== undefined && depth - (isCd ? 0 : 1) > this.maxDepth) return undefined;
    const common = { shellPid: place.shellPid, depth, time: this.time(ev, ctx) ?? '<NA>', user: this.user(ev, ctx) ?? '<NA>' };
    if (isCd) return { kind: 'cd', ...common, dir: this.dir(ev, ctx) ?? '<NA>' };
    return { kind: 'exec', ...common, exe: this.exe(ev, ctx) ?? '<NA>', args: this.args(ev, ctx) ?? '' };
  }

  /**
   * The place of a parent met for the first time: filed under its furthest
   * shell ancestor among proc.aname[1..16] (from proc.aname[0] for a
   * chdir, `shift` 1), at depth 0 below it, or one less than the ancestor's
   * number when that shell was met before, as the chisel does. A missing
   * ancestor ends the search.
   */
  private placeOf(ev: EventCursor, ctx: FieldContext, shift: number): Place {
    let place: Place = NO_SHELL;
    for (let j = 1; j <= MAX_ANCESTORS; j++) {
      const name = this.anames[j - shift]!(ev, ctx);
      if (name === undefined) {
        if (this.apids[j - shift]!(ev, ctx) === undefined) break;
        continue;
      }
      if (name.length >= 2 && name.endsWith('sh')) {
        const apid = this.apids[j - shift]!(ev, ctx);
        if (apid === undefined) continue;
        place = { depth: this.places.has(apid) ? j - 1 : 0, shellPid: apid };
      }
    }
    return place;
  }
}

/** A line as the chisel prints it without containers (no colour codes then). */
export function spyUsersText(l: SpyLine): string {
  if (l.kind === 'cd') return `${extendString('', 4 * l.depth)}${l.shellPid} ${l.time} ${l.user}) cd ${l.dir}`;
  return `${extendString('', 3 * (l.depth - 1))}${l.shellPid} ${l.time} ${l.user}) ${l.exe} ${l.args}`;
}
