import type { FieldDef } from '../fields/field.js';
import type { EventFormatter } from './format-string.js';
import { FormatError } from './format-string.js';

const FIELD_REF = /%([A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]]*\])?)/g;

/**
 * `-j` output: one JSON object per event whose keys are the format's fields,
 * sorted (sinsp-example writes them through jsoncpp, which sorts keys).
 * Numeric fields are JSON numbers written from their decimal digits, so
 * 64-bit values such as `evt.rawtime` stay exact. Under the `*` prefix a
 * field without a value is `null`; without it, the key is left out.
 */
export function eventJson(format: string, fields: ReadonlyMap<string, FieldDef>): EventFormatter {
  const withNulls = format.startsWith('*');
  const names = [...new Set([...format.matchAll(FIELD_REF)].map((m) => m[1]!))].sort();
  const columns = names.map((name) => {
    const { def, arg } = lookup(name, fields);
    return { key: JSON.stringify(name), numeric: def.json === 'number', extract: def.compile(arg) };
  });
  return (ev, ctx) => {
    let out = '{';
    let first = true;
    for (const c of columns) {
      const v = c.extract(ev, ctx);
      if (v === undefined && !withNulls) continue;
      out += (first ? '' : ',') + c.key + ':' + (v === undefined ? 'null' : c.numeric && isJsonNumber(v) ? v : JSON.stringify(v));
      first = false;
    }
    return out + '}';
  };
}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const isJsonNumber = (v: string): boolean => NUMBER.test(v);

function lookup(name: string, fields: ReadonlyMap<string, FieldDef>): { def: FieldDef; arg: string | undefined } {
  const bracket = name.indexOf('[');
  if (bracket > 0) {
    const def = fields.get(name.slice(0, bracket));
    if (def?.takesArg) return { def, arg: name.slice(bracket + 1, -1) };
  }
  for (let cut = name.length; cut > 0; cut = name.lastIndexOf('.', cut - 1)) {
    const def = fields.get(name.slice(0, cut));
    if (def) {
      if (cut === name.length && !def.takesArg) return { def, arg: undefined };
      if (cut < name.length && def.takesArg) return { def, arg: name.slice(cut + 1) };
    }
  }
  throw new FormatError(`format: unknown field '${name}'`, 0);
}
