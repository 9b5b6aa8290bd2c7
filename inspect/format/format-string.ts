import type { EventCursor } from '../../scapfile/event-cursor.js';
import { userTextAsCaptureText } from '../../scapfile/bytes.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';
import { parseFormat } from './format-parse.js';

export { FormatError } from './format-parse.js';

/**
 * A compiled `-p` format: renders the event under the cursor to one line,
 * or answers undefined when the event is not to be printed (a field
 * without a value, no `*` prefix).
 */
export type EventFormatter = (ev: EventCursor, ctx: FieldContext) => string | undefined;

/**
 * Compiles a sinsp format string (`%evt.num %proc.name (%thread.tid)`) once
 * into a function of the event. The `*` prefix rule is sysdig's: with it, a
 * field without a value prints `<NA>`; without it, an event that lacks any
 * field of the format is not printed at all (libsinsp's formatter answers
 * false for it, and sysdig prints only what it answers true for; its
 * default format starts with `*`). sinsp-example prints the half line the
 * formatter had built by then instead, because it ignores that answer:
 * `%proc.name %evt.args` on a switch event of the idle task prints nothing
 * after the name there, and no line here.
 *
 * Fields are resolved by parseFormat (format-parse.ts), as for `-j`.
 */
export function compileFormat(format: string, fields: ReadonlyMap<string, FieldDef>): EventFormatter {
  const parsed = parseFormat(format, fields);
  const printAll = parsed.printAll;
  const literals = parsed.literals.map(userTextAsCaptureText);
  const extractors: FieldExtractor[] = parsed.fields.map((f) => withWidth(f.def.compile(f.arg), f.width, printAll));

  const n = extractors.length;
  return (ev, ctx) => {
    let out = literals[0]!;
    for (let k = 0; k < n; k++) {
      const v = extractors[k]!(ev, ctx);
      if (v === undefined) {
        if (!printAll) return undefined;
        out += '<NA>' + literals[k + 1]!;
      } else {
        out += v + literals[k + 1]!;
      }
    }
    return out;
  };
}

/**
 * `%20proc.name`: the value (or `<NA>`) padded with spaces or cut to the
 * width, as eventformatter.cpp does with std::string::resize. A missing
 * value without the `*` prefix still drops the event.
 */
function withWidth(extract: FieldExtractor, width: number, printAll: boolean): FieldExtractor {
  if (width === 0) return extract;
  return (ev, ctx) => {
    let v = extract(ev, ctx);
    if (v === undefined) {
      if (!printAll) return undefined;
      v = '<NA>';
    }
    return v.length >= width ? v.slice(0, width) : v.padEnd(width, ' ');
  };
}
