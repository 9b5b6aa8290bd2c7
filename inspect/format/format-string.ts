import type { EventCursor } from '../../scapfile/event-cursor.js';
import { userTextAsCaptureText } from '../../scapfile/bytes.js';
import type { FieldContext, FieldDef, FieldExtractor } from '../fields/field.js';

/** A format string that names a field nobody knows, or is malformed. */
export class FormatError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
    this.name = 'FormatError';
  }
}

/**
 * A compiled `-p` format: renders the event under the cursor to one line,
 * or answers undefined when the event is not to be printed (a field
 * without a value, no `*` prefix).
 */
export type EventFormatter = (ev: EventCursor, ctx: FieldContext) => string | undefined;

/** Characters of a field name, as sinsp's formatter scans them. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*/;

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
 * Field names are matched longest-first against `fields`, so `%evt.arg.fd`
 * finds `evt.arg` with the argument `fd`; `%evt.arg[1]` passes `1`.
 */
export function compileFormat(format: string, fields: ReadonlyMap<string, FieldDef>): EventFormatter {
  let text = format;
  let base = 0;
  const printAll = text.startsWith('*');
  if (printAll) { text = text.slice(1); base = 1; }

  const literals: string[] = [];
  const extractors: FieldExtractor[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') { lit += c; continue; }
    const m = FIELD_NAME.exec(text.slice(i + 1));
    if (!m) throw new FormatError(`format: expected a field name after '%' at column ${base + i + 1}`, base + i + 1);
    const { def, arg, consumed } = resolveField(m[0], text.slice(i + 1 + m[0].length), fields, base + i + 1);
    literals.push(userTextAsCaptureText(lit));
    lit = '';
    extractors.push(def.compile(arg));
    i += consumed;
  }
  literals.push(userTextAsCaptureText(lit));

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

function resolveField(
  name: string, rest: string, fields: ReadonlyMap<string, FieldDef>, column: number,
): { def: FieldDef; arg: string | undefined; consumed: number } {
  // The name may end with a dot that belongs to the text (`%evt.num.`): trim it.
  let candidate = name.replace(/\.+$/, '');
  for (;;) {
    const def = fields.get(candidate);
    if (def) {
      const after = name.slice(candidate.length);
      if (!def.takesArg) {
        return { def, arg: undefined, consumed: candidate.length };
      }
      if (after.startsWith('.') && after.length > 1) {
        return { def, arg: after.slice(1), consumed: name.length };
      }
      if (after === '' && rest.startsWith('[')) {
        const close = rest.indexOf(']');
        if (close < 0) throw new FormatError(`format: missing ']' after %${candidate}[ at column ${column}`, column);
        return { def, arg: rest.slice(1, close), consumed: candidate.length + close + 1 };
      }
      if (after === '' && def.argOptional) return { def, arg: undefined, consumed: candidate.length };
      throw new FormatError(`format: field ${candidate} needs an argument (${candidate}.NAME or ${candidate}[N]) at column ${column}`, column);
    }
    const dot = candidate.lastIndexOf('.');
    if (dot <= 0) break;
    candidate = candidate.slice(0, dot);
  }
  throw new FormatError(`format: unknown field '${name}' at column ${column}`, column);
}
