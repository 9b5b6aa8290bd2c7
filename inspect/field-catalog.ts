// The fields `-p`, `-j` and `-f` know, for `scap fields` (sysdig -l): the
// field table itself, so the list cannot drift from what the parsers accept.

import { FIELDS } from './fields/index.js';

/** One field as `scap fields` shows it. */
export interface FieldEntry {
  /** The name as written, with its argument when it takes one (`evt.arg.NAME`, `proc.aname[N]`). */
  readonly usage: string;
  readonly name: string;
  /** The class: the name up to its first dot (evt, proc, thread, fd, user...). */
  readonly fieldClass: string;
  readonly description: string;
  /** 'required': the name alone is refused; 'optional': `proc.args` and `proc.args[N]` both work. */
  readonly argument: 'none' | 'required' | 'optional';
}

/** The argument as written after a field that takes one: a name after a dot, a key or an index in brackets. */
function argumentText(name: string, byName: boolean): string {
  if (name === 'evt.type.is') return '.TYPE';
  if (byName) return '.NAME';
  if (name === 'thread.cgroup') return '.SUBSYS';
  if (name === 'proc.env' || name === 'proc.aenv') return '[NAME]';
  return '[N]';
}

/** Every field, by class then name; `match` keeps those whose name or description contains it (any case). */
export function fieldCatalog(match?: string): FieldEntry[] {
  const entries: FieldEntry[] = [];
  for (const [name, def] of FIELDS) {
    const argument = def.takesArg !== true ? 'none' : def.argOptional === true ? 'optional' : 'required';
    entries.push({
      usage: argument === 'none' ? name : name + argumentText(name, def.argNameLength !== undefined),
      name, fieldClass: classOf(name), description: def.description, argument,
    });
  }
  const needle = match?.toLowerCase();
  return entries
    .filter((e) => needle === undefined || e.name.toLowerCase().includes(needle) || e.description.toLowerCase().includes(needle))
    .sort((a, b) => (a.fieldClass === b.fieldClass ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.fieldClass < b.fieldClass ? -1 : 1));
}

function classOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}
