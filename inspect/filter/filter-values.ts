// The right-hand values of a check, read as libsinsp's value parser reads
// them for the field's type (falcosecurity/libs 48dfd53:
// userspace/libsinsp/value_parser.cpp string_to_rawval, utils.cpp
// sinsp_numparser): a number is a decimal integer (sscanf "%ld" that must
// use the whole text: no hex, fraction or exponent, though the grammar
// lexes them), a boolean is `true` or `false`, and a port may be a service
// name from /etc/services (getservbyname).

import { readFileSync } from 'node:fs';
import { FilterError } from './errors.js';

/** The PT_PORT fields: their values may name a service. */
export const PORT_FIELDS = new Set(['fd.port', 'fd.proto', 'fd.cport', 'fd.sport', 'fd.lport', 'fd.rport']);

const DECIMAL = /^\s*[+-]?[0-9]+$/;

/** A numeric field's value, or a FilterError naming the field and the column. */
export function integerValue(value: string, field: string, column: number): number {
  if (DECIMAL.test(value)) return Number(value);
  if (PORT_FIELDS.has(field)) {
    const port = servicePort(value);
    if (port !== undefined) return port;
    throw new FilterError(`filter: expected a port number or service name for ${field}, found '${value}' (column ${column})`, column);
  }
  throw new FilterError(`filter: expected a number for ${field}, found '${value}' (column ${column})`, column);
}

/** A boolean field's value: sinsp takes only these two words. */
export function booleanValue(value: string, field: string, column: number): string {
  if (value === 'true' || value === 'false') return value;
  throw new FilterError(`filter: expected true or false for ${field}, found '${value}' (column ${column})`, column);
}

let services: Map<string, number> | undefined;

/**
 * The port of a service name or alias, as getservbyname(name, NULL) answers:
 * the first line of /etc/services that names it, whatever its protocol.
 * Read once; a machine without the file knows no names.
 */
export function servicePort(name: string): number | undefined {
  if (services === undefined) {
    services = new Map();
    let text = '';
    try {
      text = readFileSync('/etc/services', 'latin1');
    } catch {
      // no names
    }
    for (const raw of text.split('\n')) {
      const words = raw.replace(/#.*/, '').trim().split(/\s+/);
      const m = /^([0-9]+)\//.exec(words[1] ?? '');
      if (m === null) continue;
      for (const w of [words[0]!, ...words.slice(2)]) if (!services.has(w)) services.set(w, Number(m[1]));
    }
  }
  return services.get(name);
}
