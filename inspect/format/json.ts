import { isAsciiText } from '../../scapfile/bytes.js';
import type { FieldDef, JsonKind } from '../fields/field.js';
import type { EventFormatter } from './format-string.js';
import { parseFormat } from './format-parse.js';

/**
 * `-j` output: one JSON object per event whose keys are the format's fields,
 * sorted (sinsp-example writes them through jsoncpp, which sorts keys).
 * Values are typed as libsinsp types them (FieldDef.json, compileJson):
 * numbers written from their decimal digits, so 64-bit values such as
 * `evt.rawtime` stay exact, and booleans as true/false. Under the `*` prefix a
 * field without a value is `null`; without it, the event is not printed
 * (the `*` rule of format-string.ts).
 */
export function eventJson(format: string, fields: ReadonlyMap<string, FieldDef>): EventFormatter {
  const parsed = parseFormat(format, fields);
  const withNulls = parsed.printAll;
  // One key per field as written; a field named twice is one key, as in sinsp's JSON object.
  const byText = new Map(parsed.fields.map((f) => [f.text, f]));
  const columns = [...byText.keys()].sort().map((text) => {
    const { def, arg } = byText.get(text)!;
    const asJson = def.compileJson?.(arg);
    const kind: JsonKind | 'json' = asJson !== undefined ? 'json' : def.json ?? 'string';
    return { key: JSON.stringify(text), kind, extract: asJson ?? def.compile(arg) };
  });
  // No field at all: sinsp's JSON value was never made an object, and jsoncpp writes it as null.
  if (columns.length === 0) return () => 'null';
  return (ev, ctx) => {
    let out = '{';
    let first = true;
    for (const c of columns) {
      const v = c.extract(ev, ctx);
      if (v === undefined && !withNulls) return undefined;
      out += (first ? '' : ',') + c.key + ':' + (v === undefined ? 'null' : jsonValue(c.kind, v));
      first = false;
    }
    return out + '}';
  };
}

/** A char JSON.stringify escapes, or one beyond ASCII (written as \uXXXX below). */
const NEEDS_ESCAPE = /["\\\x00-\x1f\x80-\uffff]/;
const REPLACEMENT = 0xfffd;

/**
 * A capture string (one char per byte) as a JSON string the way sinsp's
 * jsoncpp writes it (without emitUTF8): ASCII as JSON.stringify writes it
 * (the same escapes), every other byte sequence read as UTF-8 the way
 * jsoncpp reads it and written as \uXXXX (two for a code point beyond the
 * BMP). jsoncpp's reading is lenient: it does not look at continuation
 * bytes, gives U+FFFD for an overlong or surrogate result or a sequence cut
 * short by the end (then taking the lead byte alone), so "café" from UTF-8
 * bytes comes out as "caf\u00e9".
 */
export function jsonString(s: string): string {
  // Most values are ASCII with nothing to escape: quoted as they are. One
  // search for a char that is not (half the time of the ASCII test and
  // JSON.stringify it replaces, which were a quarter of -j output's time).
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  if (isAsciiText(s)) return JSON.stringify(s);
  let out = '"';
  let run = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    out += JSON.stringify(s.slice(run, i)).slice(1, -1);
    const left = n - i;
    let cp = REPLACEMENT;
    if (c < 0xe0) {
      if (left >= 2) {
        cp = ((c & 0x1f) << 6) | low6(s, i + 1);
        i += 1;
        if (cp < 0x80) cp = REPLACEMENT;
      }
    } else if (c < 0xf0) {
      if (left >= 3) {
        cp = ((c & 0x0f) << 12) | (low6(s, i + 1) << 6) | low6(s, i + 2);
        i += 2;
        if ((cp >= 0xd800 && cp <= 0xdfff) || cp < 0x800) cp = REPLACEMENT;
      }
    } else if (c < 0xf8) {
      if (left >= 4) {
        cp = ((c & 0x07) << 18) | (low6(s, i + 1) << 12) | (low6(s, i + 2) << 6) | low6(s, i + 3);
        i += 3;
        if (cp < 0x10000) cp = REPLACEMENT;
      }
    }
    if (cp < 0x10000) {
      out += hex4(cp);
    } else {
      cp -= 0x10000;
      out += hex4(0xd800 + ((cp >> 10) & 0x3ff)) + hex4(0xdc00 + (cp & 0x3ff));
    }
    run = i + 1;
  }
  return out + JSON.stringify(s.slice(run)).slice(1, -1) + '"';
}

/** The low six bits of the byte at `i` (jsoncpp takes any byte as a continuation). */
const low6 = (s: string, i: number): number => s.charCodeAt(i) & 0x3f;
const hex4 = (v: number): string => '\\u' + v.toString(16).padStart(4, '0');
/**
 * Whether `v` is a JSON number as fields print them: /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/,
 * tested by hand (three numbers per event in the default -j line; the
 * regular expression cost 3 % of it).
 */
export function isJsonNumber(v: string): boolean {
  const n = v.length;
  let i = n > 0 && v.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return false;
  let c = v.charCodeAt(i++);
  if (c >= 49 && c <= 57) {
    while (i < n && (c = v.charCodeAt(i)) >= 48 && c <= 57) i++;
  } else if (c !== 48) {
    return false;
  }
  if (i === n) return true;
  if (v.charCodeAt(i++) !== 46 || i === n) return false;
  for (; i < n; i++) {
    c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A field's text as the JSON value its kind calls for; text that does not fit the kind stays a string. */
function jsonValue(kind: JsonKind | 'json', v: string): string {
  switch (kind) {
    case 'json': return v;
    case 'number': return isJsonNumber(v) ? v : jsonString(v);
    case 'bool': return v === 'true' || v === 'false' ? v : jsonString(v);
    default: return jsonString(v);
  }
}
