// The event types as a user lists them (sysdig -L): which ones, and each as a
// signature `> open(FSPATH name, FLAGS32 flags, UINT32 mode)`. sysdig lists
// the current layouts only, leaving out placeholders (UNUSED), superseded
// versions (OLD_VERSION) and internal events (falcosecurity/sysdig
// userspace/sysdig/utils/sysdig_utils list_events; facts, not code).

import { EVENTS } from './events.js';
import { paramTypeDisplayName, paramTypeName } from './index.js';
import { EventCategory, EventFlag, type EventInfo } from './types.js';

/** Why an event type is left out of sysdig's list: undefined when it is listed. */
export type ListingNote = 'old version' | 'internal' | undefined;

/** What `listEvents` selects. */
export interface EventListOptions {
  /** Only events whose name contains this text (any case). */
  readonly match?: string;
  /**
   * Also the old layouts (still read in old captures) and internal events,
   * which sysdig leaves out; placeholders never appear.
   */
  readonly all?: boolean;
}

/** One listed event type. */
export interface ListedEvent {
  readonly event: EventInfo;
  readonly note: ListingNote;
}

/** Whether sysdig -L leaves the event out, and why; null for placeholders (never listed). */
function noteOf(e: EventInfo): ListingNote | null {
  if ((e.flags & EventFlag.UNUSED) !== 0) return null;
  if ((e.flags & EventFlag.OLD_VERSION) !== 0) return 'old version';
  if ((e.category & EventCategory.INTERNAL) !== 0) return 'internal';
  return undefined;
}

/** The event types in id order, as sysdig -L lists them (with `all`, the hidden ones too). */
export function listEvents(options: EventListOptions = {}): ListedEvent[] {
  const match = options.match?.toLowerCase();
  const out: ListedEvent[] = [];
  for (const e of EVENTS) {
    const note = noteOf(e);
    if (note === null || (note !== undefined && options.all !== true)) continue;
    if (match !== undefined && !e.name.toLowerCase().includes(match)) continue;
    out.push({ event: e, note });
  }
  return out;
}

/**
 * A parameter type's name in a signature: libsinsp's (DYN is DYNAMIC), and
 * ours for the few types libsinsp has no name for (it prints <NA>).
 */
export function signatureTypeName(type: number): string {
  const name = paramTypeDisplayName(type);
  return name !== '<NA>' ? name : paramTypeName(type) ?? `type ${type}`;
}

/** `> open(FSPATH name, FLAGS32 flags, UINT32 mode)`: direction, name, typed parameters. */
export function eventSignature(e: EventInfo): string {
  const params = e.params.map((p) => `${signatureTypeName(p.type)} ${p.name}`).join(', ');
  return `${e.dir === 'enter' ? '>' : '<'} ${e.name}(${params})`;
}
