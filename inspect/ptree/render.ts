// Views of a process forest: a subset (alive at a time, one process with
// its ancestors and descendants), a text tree, and JSON.

import { signalName } from '../../scapfile/schema/signals.js';
import { formatDateTime } from '../fields/event-time.js';
import type { ProcessNode } from './process-forest.js';

/** What part of the forest to show. */
export interface ForestView {
  /** Only processes alive at this time (ns since the epoch). */
  readonly atNs?: bigint;
  /** Only this process, its ancestors and its descendants. */
  readonly pid?: number;
}

/** A node of the shown tree (the forest's node, with the children that are shown). */
export interface ShownNode {
  readonly node: ProcessNode;
  readonly children: ShownNode[];
}

function aliveAt(n: ProcessNode, at: bigint): boolean {
  const start = n.startTsNs;
  if (start !== undefined && start > at) return false;
  if (start === undefined && !n.fromProcessList && n.firstSeenTsNs !== undefined && n.firstSeenTsNs > at) return false;
  return n.exitTsNs === undefined || n.exitTsNs >= at;
}

/** The roots and nodes to show, in the order they are printed. */
export function selectForest(roots: readonly ProcessNode[], view: ForestView): ShownNode[] {
  const keep = (n: ProcessNode): boolean => view.atNs === undefined || aliveAt(n, view.atNs);
  const build = (n: ProcessNode): ShownNode[] => {
    const kids = n.children.flatMap(build);
    // A process not shown passes its shown children up, so lineage stays visible.
    return keep(n) ? [{ node: n, children: kids }] : kids;
  };
  let shown = roots.flatMap(build);
  if (view.pid !== undefined) shown = focus(shown, view.pid);
  return shown;
}

/** Keeps the paths from the roots to `pid`, and everything below it. */
function focus(nodes: readonly ShownNode[], pid: number): ShownNode[] {
  const out: ShownNode[] = [];
  for (const s of nodes) {
    if (s.node.pid === pid) out.push(s);
    else {
      const kids = focus(s.children, pid);
      if (kids.length > 0) out.push({ node: s.node, children: kids });
    }
  }
  return out;
}

function time(ns: bigint): string {
  return formatDateTime(Number(ns >> 32n), Number(ns & 0xffffffffn));
}

/** One line about a process: `comm(pid) cmdline  [user] …`. */
export function describeProcess(n: ProcessNode): string {
  let s = `${n.comm}(${n.pid})`;
  if (n.cmdline !== n.comm) s += ` ${n.cmdline.startsWith(n.comm + ' ') ? n.cmdline.slice(n.comm.length + 1) : n.cmdline}`;
  const tags: string[] = [];
  if (n.user !== undefined) tags.push(`user=${n.user}`);
  else tags.push(`uid=${n.uid}`);
  if (n.vpid !== undefined && n.vpid !== n.pid) tags.push(`vpid=${n.vpid}`);
  if (n.container !== 'host') tags.push(`container=${n.container}`);
  if (n.exepath !== '') tags.push(`exe=${n.exepath}`);
  if (n.startTsNs !== undefined) tags.push(`start=${time(n.startTsNs)}`);
  if (n.exitTsNs !== undefined) {
    tags.push(`exit=${time(n.exitTsNs)}`);
    // Killed by a signal: its name; an exit code means nothing then (WEXITSTATUS of a signalled wait status).
    if (n.exitSignal) tags.push(`signal=${signalName(n.exitSignal) ?? n.exitSignal}`);
    else if (n.exitCode !== undefined) tags.push(`code=${n.exitCode}`);
  }
  if (n.reparentedTo !== undefined) tags.push(`reparented-to=${n.reparentedTo}`);
  if (n.threads.length > 0) tags.push(`threads=${n.threads.join(',')}`);
  if (n.execs.length > 0) tags.push(`execs=${n.execs.length}`);
  return `${s}  [${tags.join(' ')}]`;
}

/** The tree as text lines, drawn in ASCII (`|-`, `` `- ``) so any terminal and encoding shows it. */
export function forestText(shown: readonly ShownNode[]): string[] {
  const lines: string[] = [];
  const walk = (s: ShownNode, prefix: string, last: boolean, root: boolean): void => {
    lines.push(root ? describeProcess(s.node) : `${prefix}${last ? '`- ' : '|- '}${describeProcess(s.node)}`);
    const next = root ? '' : prefix + (last ? '   ' : '|  ');
    s.children.forEach((c, i) => walk(c, next, i === s.children.length - 1, false));
  };
  for (const s of shown) walk(s, '', true, true);
  return lines;
}

/** A JSON-ready object per shown root, children nested. */
export function forestJson(shown: readonly ShownNode[]): unknown[] {
  const conv = (s: ShownNode): Record<string, unknown> => ({ ...processJson(s.node), children: s.children.map(conv) });
  return shown.map(conv);
}

/** One process's fields in `forestJson`, without its children. */
function processJson(n: ProcessNode): Record<string, unknown> {
  return {
    pid: n.pid, ppid: n.ppid ?? null, vpid: n.vpid ?? null, comm: n.comm, exe: n.exe, exepath: n.exepath,
    cmdline: n.cmdline, uid: n.uid, user: n.user ?? null, container: n.container,
    start: n.startTsNs === undefined ? null : n.startTsNs.toString(),
    exit: n.exitTsNs === undefined ? null : n.exitTsNs.toString(),
    exitCode: n.exitCode ?? null, exitSignal: n.exitSignal ?? null, reparentedTo: n.reparentedTo ?? null,
    threads: n.threads,
    execs: n.execs.map((e) => ({ ts: e.tsNs.toString(), comm: e.comm, exe: e.exe, exepath: e.exepath, cmdline: e.cmdline })),
  };
}

/**
 * The text `render(forestJson(shown))` gives, handed to `emit` a process at
 * a time, where `render` writes JSON indented by two spaces
 * (JSON.stringify(value, replacer, 2)). Built whole, the text of 70,085
 * processes (99 MB) and the objects behind it took 650 MiB.
 */
export function emitForestJson(shown: readonly ShownNode[], render: (value: unknown) => string, emit: (text: string) => void): void {
  // A node whose "{" is already written at indentation `pad`: its own
  // fields re-indented, then its children at pad + 4.
  const node = (s: ShownNode, pad: string): void => {
    const own = render(processJson(s.node));
    emit(own.slice(0, -2).replaceAll('\n', `\n${pad}`));
    if (s.children.length === 0) {
      emit(`,\n${pad}  "children": []\n${pad}}`);
      return;
    }
    emit(`,\n${pad}  "children": [\n`);
    const inner = `${pad}    `;
    s.children.forEach((c, i) => {
      emit(inner);
      node(c, inner);
      emit(i === s.children.length - 1 ? '\n' : ',\n');
    });
    emit(`${pad}  ]\n${pad}}`);
  };
  if (shown.length === 0) {
    emit('[]');
    return;
  }
  emit('[\n');
  shown.forEach((s, i) => {
    emit('  ');
    node(s, '  ');
    emit(i === shown.length - 1 ? '\n' : ',\n');
  });
  emit(']');
}
