// `regex` patterns as libsinsp compiles them: RE2 with re2::RE2::POSIX
// (falcosecurity/libs 48dfd53 sinsp_filtercheck.cpp add_filter_value), and
// matched with ANCHOR_BOTH against the value made valid UTF-8
// (matches_rhs_regex). RE2::POSIX is posix_syntax + longest_match with
// one_line, perl_classes and word_boundary off, so the syntax is RE2's
// without its Perl extensions. This file parses that syntax itself and
// writes a JavaScript RegExp source for it; what RE2 refuses is refused with
// RE2's reason. Where the two engines differ:
// - Repetition operators stack (`a**`, `a+*`, `a{2}{3}`, `^*`): RE2 squashes
//   two of * + ? into one (the same operator, or * for two different ones);
//   any other stack is wrapped in a group for JavaScript. `a*?` is (a*)?, not
//   a lazy star (the same answers for a whole match).
// - {n,m}: at most 1000, and the counts of repetitions nested in one another
//   multiply to at most 1000 (RE2's RepetitionWalker).
// - ^ and $ match at line starts and ends (no one_line): lookarounds here.
// - Escapes: \a \f \n \r \t \v, \0 and octal \1-\7 followed by an octal
//   digit, \xHH, \x{H...} up to 10FFFF, and \ before any ASCII character that
//   is not a letter or digit. Every other escape is refused (\d \w \s \b \pL
//   \A \z \Q \C \1 ...). `(?` is a repetition without an argument.
// - Brackets: ']' first is a literal, '-' is a literal only first or last,
//   a reversed range is refused, [:name:] and [:^name:] are RE2's ASCII
//   classes (any other name is refused), [. and [= are plain characters. A
//   negated set matches a newline.
// - RE2 reads the pattern and the value as UTF-8. The RegExp here is over
//   UTF-16 code units: regexMatcher decodes the value (bytes, one per char)
//   first; an astral character is two units, and a set leaves astral
//   characters out.

import { POSIX_CLASSES, type Range } from './char-classes.js';
import { FilterError } from './errors.js';

/** RE2's POSIX classes (re2/parse.cc): POSIX's twelve, ascii and word. */
const CLASS_RANGES: ReadonlyMap<string, readonly Range[]> = new Map<string, readonly Range[]>([
  ...POSIX_CLASSES,
  ['ascii', [[0, 0x7f]]], ['word', [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]],
]);

const MAX_RUNE = 0x10ffff;
/** RE2's kMaxRepeat. */
const MAX_REPEAT = 1000;

/** One piece of a sequence: its JavaScript source and what a repetition after it needs to know. */
interface Piece {
  src: string;
  /** Can take a JavaScript quantifier as it is. */
  atom: boolean;
  /** The * + ? it ends with, if it is one (for RE2's squashing). */
  op?: '*' | '+' | '?';
  /** The largest product of {n,m} counts along a path inside it (RepetitionWalker). */
  weight: number;
}

interface Group {
  /** Finished alternatives and the one being read. */
  alts: Piece[][];
  /** Where the '(' was (for "missing )"). */
  at: number;
}

/** The JavaScript source of an RE2 (POSIX syntax) pattern; a FilterError for what RE2 refuses. */
export function posixToJs(pattern: string, column: number): string {
  const refuse = (why: string): never => {
    throw new FilterError(`filter: invalid regex pattern '${pattern}': ${why} (column ${column})`, column);
  };
  const cps = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  const text = (from: number, to = cps.length): string => String.fromCodePoint(...cps.slice(from, to));
  const stack: Group[] = [];
  let cur: Group = { alts: [[]], at: 0 };
  const seq = (): Piece[] => cur.alts[cur.alts.length - 1]!;

  const repeat = (opText: string, op: '*' | '+' | '?' | undefined, min: number, max: number): void => {
    const s = seq();
    const last = s[s.length - 1];
    if (last === undefined) refuse(`no argument for repetition operator: ${opText}`);
    const prev = last!;
    if (op !== undefined) {
      if (prev.op !== undefined) {
        // RE2 squashes ** ++ ?? to one, and any other pair of them to *.
        if (prev.op !== op) s[s.length - 1] = { src: prev.src.slice(0, -1) + '*', atom: false, op: '*', weight: prev.weight };
        return;
      }
      const base = prev.atom ? prev.src : `(?:${prev.src})`;
      s[s.length - 1] = { src: base + op, atom: false, op, weight: prev.weight };
      return;
    }
    const count = max >= 0 ? max : min;
    const weight = prev.weight * (count > 0 ? count : 1);
    if ((min >= 2 || max >= 2) && weight > MAX_REPEAT) refuse(`invalid repetition size: ${opText}`);
    const base = prev.atom ? prev.src : `(?:${prev.src})`;
    const q = max === min ? `{${min}}` : max < 0 ? `{${min},}` : `{${min},${max}}`;
    s[s.length - 1] = { src: base + q, atom: false, weight };
  };

  /** An escape at i (just after the '\'); the code point and where it ends. */
  const escape = (i: number): { cp: number; next: number } => {
    if (i >= cps.length) refuse('trailing \\');
    const c = cps[i]!;
    if (c >= 0x31 && c <= 0x37) {
      // \1-\7: octal only when another octal digit follows (no back-references).
      if (!(cps[i + 1]! >= 0x30 && cps[i + 1]! <= 0x37)) refuse(`invalid escape sequence: \\${text(i, i + 1)}`);
    }
    if (c >= 0x30 && c <= 0x37) {
      let v = c - 0x30;
      let j = i + 1;
      for (let k = 0; k < 2 && cps[j]! >= 0x30 && cps[j]! <= 0x37; k++, j++) v = v * 8 + cps[j]! - 0x30;
      return { cp: v, next: j };
    }
    if (c === 0x78 /* x */) {
      if (cps[i + 1] === 0x7b /* { */) {
        let j = i + 2;
        let v = 0;
        let digits = 0;
        for (; j < cps.length && isHex(cps[j]!); j++, digits++) {
          v = v * 16 + parseInt(String.fromCodePoint(cps[j]!), 16);
          if (v > MAX_RUNE) refuse(`invalid escape sequence: \\${text(i, j + 1)}`);
        }
        if (digits === 0 || cps[j] !== 0x7d) refuse(`invalid escape sequence: \\${text(i, Math.min(j + 1, cps.length))}`);
        return { cp: v, next: j + 1 };
      }
      if (isHex(cps[i + 1] ?? -1) && isHex(cps[i + 2] ?? -1)) return { cp: parseInt(text(i + 1, i + 3), 16), next: i + 3 };
      refuse(`invalid escape sequence: \\${text(i, Math.min(i + 3, cps.length))}`);
    }
    const named: Record<number, number> = { 0x61: 7, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x76: 11 };
    if (named[c] !== undefined) return { cp: named[c]!, next: i + 1 };
    if (c < 0x80 && !isAlnum(c)) return { cp: c, next: i + 1 };
    return refuse(`invalid escape sequence: \\${text(i, i + 1)}`);
  };

  /** The bracket expression at i (its '['); the piece and where it ends. */
  const bracket = (at: number): { piece: Piece; next: number } => {
    let i = at + 1;
    const missing = (): never => refuse(`missing ]: ${text(at)}`);
    const negated = cps[i] === 0x5e;
    if (negated) i++;
    let items = '';
    /** One character of a set: an escape or the code point itself. */
    const member = (): number => {
      if (i >= cps.length) missing();
      if (cps[i] === 0x5c) {
        const e = escape(i + 1);
        i = e.next;
        return e.cp;
      }
      return cps[i++]!;
    };
    for (let first = true; ; first = false) {
      if (i >= cps.length) missing();
      if (cps[i] === 0x5d && !first) break;
      if (cps[i] === 0x2d && !first && cps[i + 1] !== 0x5d) {
        // '-' is a literal only first or last (POSIX mode).
        refuse(`invalid character class range: ${text(i, Math.min(i + 2, cps.length))}`);
      }
      if (cps[i] === 0x5b && cps[i + 1] === 0x3a) {
        const close = indexOfPair(cps, 0x3a, 0x5d, i + 2);
        if (close >= 0) {
          const name = text(i, close + 2);
          const neg = cps[i + 2] === 0x5e;
          const cls = CLASS_RANGES.get(text(neg ? i + 3 : i + 2, close));
          if (cls === undefined) refuse(`invalid character class range: ${name}`);
          items += neg ? complementRe(cls!) : rangesRe(cls!);
          i = close + 2;
          continue;
        }
      }
      const start = i;
      const lo = member();
      if (cps[i] === 0x2d && i + 1 < cps.length && cps[i + 1] !== 0x5d) {
        i++;
        const hi = member();
        if (hi < lo) refuse(`invalid character class range: ${text(start, i)}`);
        items += rangesRe([[lo, hi]]);
      } else {
        items += rangesRe([[lo, lo]]);
      }
    }
    return { piece: { src: `[${negated ? '^' : ''}${items}]`, atom: true, weight: 1 }, next: i + 1 };
  };

  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    switch (c) {
      case 0x28 /* ( */:
        stack.push(cur);
        cur = { alts: [[]], at: i };
        i++;
        break;
      case 0x29 /* ) */: {
        const done = cur;
        const outer = stack.pop();
        if (outer === undefined) refuse(`unexpected ): ${pattern}`);
        cur = outer!;
        seq().push(groupPiece(done));
        i++;
        break;
      }
      case 0x7c /* | */:
        cur.alts.push([]);
        i++;
        break;
      case 0x2a /* * */: case 0x2b /* + */: case 0x3f /* ? */: {
        const op = String.fromCharCode(c) as '*' | '+' | '?';
        repeat(op, op, 0, 0);
        i++;
        break;
      }
      case 0x7b /* { */: {
        const r = countedRepeat(cps, i);
        if (r === undefined) {
          seq().push(literal(c));
          i++;
          break;
        }
        const opText = text(i, r.next);
        if ((r.min > MAX_REPEAT || r.max > MAX_REPEAT || (r.max >= 0 && r.max < r.min))) {
          refuse(`invalid repetition size: ${opText}`);
        }
        repeat(opText, undefined, r.min, r.max);
        i = r.next;
        break;
      }
      case 0x5e /* ^ */:
        seq().push({ src: '(?<![^\\n])', atom: false, weight: 1 });
        i++;
        break;
      case 0x24 /* $ */:
        seq().push({ src: '(?![^\\n])', atom: false, weight: 1 });
        i++;
        break;
      case 0x2e /* . */:
        seq().push({ src: '[^\\n]', atom: true, weight: 1 });
        i++;
        break;
      case 0x5b /* [ */: {
        const b = bracket(i);
        seq().push(b.piece);
        i = b.next;
        break;
      }
      case 0x5c /* \ */: {
        const e = escape(i + 1);
        seq().push(literal(e.cp));
        i = e.next;
        break;
      }
      default:
        seq().push(literal(c));
        i++;
    }
  }
  if (stack.length > 0) refuse(`missing ): ${pattern}`);
  return groupPiece(cur, true).src;
}

/** A group's alternatives as one piece (a capture group in RE2; never captured here). */
function groupPiece(g: Group, top = false): Piece {
  const alts = g.alts.map((s) => s.map((p) => p.src).join(''));
  const weight = Math.max(1, ...g.alts.flatMap((s) => s.map((p) => p.weight)));
  const body = alts.join('|');
  return { src: top ? body : `(?:${body})`, atom: !top, weight };
}

/** A literal code point. */
function literal(cp: number): Piece {
  return { src: cpRe(cp), atom: cp < 0x10000, weight: 1 };
}

/** `{n}`, `{n,}` or `{n,m}` at i, or undefined where RE2 reads a literal '{'. */
function countedRepeat(cps: readonly number[], i: number): { min: number; max: number; next: number } | undefined {
  let j = i + 1;
  const int = (): number | undefined => {
    const from = j;
    while (j < cps.length && cps[j]! >= 0x30 && cps[j]! <= 0x39) j++;
    if (j === from || j - from > 8) return undefined;
    return Number(String.fromCodePoint(...cps.slice(from, j)));
  };
  const min = int();
  if (min === undefined) return undefined;
  let max = min;
  if (cps[j] === 0x2c) {
    j++;
    if (cps[j] === 0x7d) max = -1;
    else {
      const m = int();
      if (m === undefined) return undefined;
      max = m;
    }
  }
  if (cps[j] !== 0x7d) return undefined;
  return { min, max, next: j + 1 };
}

function indexOfPair(cps: readonly number[], a: number, b: number, from: number): number {
  for (let k = from; k + 1 < cps.length; k++) if (cps[k] === a && cps[k + 1] === b) return k;
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A code point as a RegExp atom, good both inside and outside a set. */
function cpRe(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f) return String.fromCharCode(cp);
  if (cp > 0x20 && cp < 0x7f) return /[\\^$.*+?()[\]{}|/-]/.test(String.fromCharCode(cp)) ? '\\' + String.fromCharCode(cp) : String.fromCharCode(cp);
  if (cp < 0x100) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  const v = cp - 0x10000;
  return cpRe(0xd800 + (v >> 10)) + cpRe(0xdc00 + (v & 0x3ff));
}

/** Code point ranges as the inside of a JavaScript set. */
function rangesRe(ranges: readonly Range[]): string {
  return ranges.filter(([lo]) => lo <= 0xffff).map(([lo, hi]) => (lo === hi ? cpRe(lo) : `${cpRe(lo)}-${cpRe(Math.min(hi, 0xffff))}`)).join('');
}

/** The ranges of an ASCII class's complement, up to U+FFFF (a newline included, as RE2's ClassNL has it). */
function complementRe(ranges: readonly Range[]): string {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  out.push([next, 0xffff]);
  return rangesRe(out);
}

/**
 * The `regex` test as libsinsp runs it: the value (bytes, one per char) read
 * as UTF-8 with each ill-formed part made U+FFFD (as
 * utf8::sanitize_with_lazy_storage does before RE2 sees it), then matched
 * whole. Astral characters are two UTF-16 units here, one character in RE2.
 */
export function regexMatcher(pattern: string, column: number): (value: string) => boolean {
  const re = new RegExp(`^(?:${posixToJs(pattern, column)})$`);
  // eslint-disable-next-line no-control-regex
  return (v) => re.test(/^[\x00-\x7f]*$/.test(v) ? v : Buffer.from(v, 'latin1').toString('utf8'));
}
