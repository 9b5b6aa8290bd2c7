import type { BufferFormat } from '../format/buffers.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { StateLookup } from '../state/lookup.js';

/** What a field may read besides the event itself. */
export interface FieldContext {
  readonly state: StateLookup;
  /** How data buffers print in evt.args, evt.buffer and evt.arg.data (sysdig's -A, -x, -X, -b); default `normal`. */
  readonly bufferFormat?: BufferFormat;
  /**
   * How evt.outputtime prints (sysdig's -t): `h` time of day (the default),
   * `a` seconds since the epoch, `r` since the first event, `d` always 0 (the
   * latency libsinsp no longer has), `D` since the previous event printed.
   */
  readonly timeMode?: TimeMode;
}

export type TimeMode = 'h' | 'a' | 'r' | 'd' | 'D';

/**
 * Extracts one field's value from the event under the cursor, rendered as
 * sinsp renders it; undefined when the field has no value for this event
 * (printed `<NA>` under the `*` prefix, empty otherwise).
 */
export type FieldExtractor = (ev: EventCursor, ctx: FieldContext) => string | undefined;

/** A field users can name in `-p` formats (and later in filters). */
export interface FieldDef {
  readonly name: string;
  readonly description: string;
  /** Builds the extractor; `arg` is the text inside `[...]` or after `.` for fields that take one. */
  readonly compile: (arg: string | undefined) => FieldExtractor;
  /** Whether the field takes an argument (`evt.arg.NAME`, `evt.arg[N]`). */
  readonly takesArg?: boolean;
  /**
   * With `takesArg`, for `.NAME` arguments that must name something known
   * (evt.arg.NAME: a parameter of some event): how many characters of
   * `text` are the argument, the longest known name it starts with (0: none).
   * libsinsp reads `%evt.arg.fdx` as evt.arg.fd then the text `x`.
   */
  readonly argNameLength?: (text: string) => number;
  /** With `takesArg`: the field may also be named without one (`proc.args`, `proc.aname`). */
  readonly argOptional?: boolean;
  /**
   * With `takesArg`: a `[...]` argument is a number, read as libsinsp's
   * sinsp_numparser::parsed32 reads it (see bracketNumber).
   */
  readonly bracketIsNumber?: boolean;
  /** With `takesArg`: only the `.NAME` form exists (thread.cgroup.cpu; libsinsp refuses thread.cgroup[cpu]). */
  readonly dotArgOnly?: boolean;
  /**
   * For filters: the field's values when it has several (`proc.aname` without
   * `[N]` means every ancestor); a check holds when one of them matches.
   * Returns undefined for arguments that give a single value.
   */
  readonly compileValues?: (arg: string | undefined) => ((ev: EventCursor, ctx: FieldContext) => readonly string[] | undefined) | undefined;
  /**
   * How `-j` writes the value, after the field's type in libsinsp
   * (sinsp_filtercheck.cpp rawval_to_json): 'number' unquoted from its
   * digits (integer types printed in decimal), 'bool' as JSON true/false
   * (PT_BOOL), everything else as a string (text, and integers libsinsp
   * prints in hex, octal or zero-padded).
   */
  readonly json?: JsonKind;
  /**
   * For fields whose JSON value is not their text (libsinsp's extract_as_js
   * overrides: evt.time is the timestamp in ns there): builds an extractor
   * of the JSON text itself, undefined for null. Used instead of `compile` by `-j`.
   */
  readonly compileJson?: (arg: string | undefined) => FieldExtractor;
  /**
   * For filters: the value as a number, for a field whose text is not
   * always its decimal value (evt.rawarg prints flags in hex, modes in
   * octal; libsinsp compares the raw value). Undefined when it has none.
   */
  readonly compileNumber?: (arg: string | undefined) => (ev: EventCursor, ctx: FieldContext) => number | undefined;
  /**
   * For filters: the text checks compare, where it differs from the printed
   * one (evt.rawarg: an empty parameter prints 0 or <NA> but has no value to
   * compare). Undefined: filters use `compile`.
   */
  readonly compileFilterText?: (arg: string | undefined) => FieldExtractor;
  /**
   * For filters and transformers: a field printed as text that libsinsp
   * types as a number (fd.dev, a PT_INT32 printed in hex, compares as the
   * number: `fd.dev = 65024`). Give `compileFilterText` its decimal text.
   */
  readonly filterNumber?: boolean;
}

export type JsonKind = 'number' | 'string' | 'bool';

/**
 * A thread or process id as sinsp shows it: ids outside [-1, 2^32 - 1] have
 * no value (should_extract_xid: sinsp keeps them in its tables but does
 * not show them, as no kernel hands them out).
 */
export const xid = (id: number): string | undefined => (id < -1 || id > 0xffffffff ? undefined : String(id));

/** A field without an argument whose value is `extract`'s (the usual case). */
export function field(name: string, description: string, extract: FieldExtractor, json: JsonKind = 'string'): FieldDef {
  return { name, description, json, compile: () => extract };
}

/** A boolean as libsinsp prints it. */
export const bool = (b: boolean): string => (b ? 'true' : 'false');

/**
 * A `[N]` argument as libsinsp's parsed32 reads it (sscanf "%d%c" must see
 * one item: blanks, a sign, digits and nothing after), normalised to its
 * decimal text (`[+1]` is `1`); an Error "X is not a valid number" else.
 */
export function bracketNumber(text: string): string {
  if (!/^\s*[+-]?\d+$/.test(text)) throw new Error(`${text} is not a valid number`);
  const n = Number(text.trim());
  // sscanf's %d saturates out of range values.
  return String(Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, n)));
}
