// The operands of filters and output formats that are more than a field:
// transformer calls with several arguments, literal strings and lists
// (falcosecurity/libs 48dfd53 userspace/libsinsp/filter/parser.h,
// FieldTransformer and TransformerList):
//
//   Call     ::= Name '(' Arg (',' Arg)* ')' ('[' FieldArg ']')?
//   Arg      ::= Call | Field | QuotedStr | Number | '(' (Item (',' Item)*)? ')'
//   Item     ::= Call | Field | QuotedStr | Number
//
// `concat(proc.name, "-x")`, `join(",", (proc.name, fd.name))`,
// `getopt(("-n", "-t", "x"), "nt:")[t]`. Shared by the filter parser and
// the format parser, which turn OperandError into their own errors.

import { userTextAsCaptureText } from '../../scapfile/bytes.js';
import { TRANSFORMER_NAMES, type Transformer } from './transformers.js';

/** Transformers of several arguments (sinsp_filtercheck_multivalue_transformer.cpp). */
export const MULTI_TRANSFORMER_NAMES = ['join', 'concat', 'getopt'] as const;
export type CallName = (typeof TRANSFORMER_NAMES)[number] | (typeof MULTI_TRANSFORMER_NAMES)[number];

/** Any transformer's name and its '(' (sticky: set lastIndex). */
export const ANY_CALL = new RegExp(`(${[...TRANSFORMER_NAMES, ...MULTI_TRANSFORMER_NAMES].join('|')})\\(`, 'y');

export type OperandExpr =
  | { readonly kind: 'field'; readonly field: string; readonly bracketArg: string | undefined; readonly column: number }
  | { readonly kind: 'call'; readonly name: CallName; readonly args: readonly OperandExpr[]; readonly bracketArg: string | undefined; readonly column: number }
  /** A quoted string or a number written as an argument. */
  | { readonly kind: 'text'; readonly value: string; readonly column: number }
  /** `(a, b)` written as an argument. */
  | { readonly kind: 'list'; readonly items: readonly OperandExpr[]; readonly column: number };

/**
 * The one-argument transformers around a field that `expr` is, innermost
 * first (`tolower(basename(fd.name))`: basename, tolower); undefined when
 * it is more than that.
 */
export function transformChain(expr: OperandExpr): { field: Extract<OperandExpr, { kind: 'field' }>; transforms: Transformer[] } | undefined {
  const transforms: Transformer[] = [];
  let e = expr;
  while (e.kind === 'call' && e.args.length === 1 && e.bracketArg === undefined && (TRANSFORMER_NAMES as readonly string[]).includes(e.name)) {
    transforms.push(e.name as Transformer);
    e = e.args[0]!;
  }
  return e.kind === 'field' ? { field: e, transforms: transforms.reverse() } : undefined;
}

/** An operand that does not parse or that libsinsp refuses; `column` is 1-based. */
export class OperandError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
    this.name = 'OperandError';
  }
}

/** Tokens of the filter language (sticky: set lastIndex). */
export const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
export const FIELD_ARG_BARE = /[^\][\s"']+/y;
export const NUMBER = /0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?/y;

/**
 * Reads the transformer call at `s[pos]` (which ANY_CALL matches) with its
 * arguments; answers the tree and where it ends.
 */
export function scanCall(s: string, pos: number): { expr: OperandExpr; end: number } {
  const sc = new Scanner(s, pos);
  const expr = sc.call();
  return { expr, end: sc.pos };
}

/**
 * A quoted string at `s[pos]` ('...' or "...") by libsinsp's escaping rules,
 * as capture text; undefined when `s[pos]` is no quote. The string ends, as
 * libsinsp's lexer ends it (filter/parser.cpp lex_quoted_str), at the first
 * quote not right after a backslash, escaped or not: `"a\\"` does not end
 * there, so libsinsp refuses `fd.name = "a\\"`, and in `"a\\" or x = "b"`
 * the string runs to the quote before b. Escapes are read inside it
 * afterwards (escaping.cpp unescape_str), a quote that did not end it
 * standing for itself.
 */
export function scanQuoted(s: string, pos: number): { value: string; end: number } | undefined {
  const q = s[pos];
  if (q !== '"' && q !== "'") return undefined;
  const start = pos + 1;
  let close = start;
  while (close < s.length && (s[close] !== q || s[close - 1] === '\\')) close++;
  if (close >= s.length) throw new OperandError(`unterminated string starting at column ${start}`, start);
  let out = '';
  for (let i = start; i < close; i++) {
    if (s[i] !== '\\' || i + 1 >= close) { out += s[i]; continue; }
    i++;
    out += unescape(s[i]!, q, s.slice(i + 1, Math.min(i + 3, close)), i + 1);
    if (s[i] === 'x') i += 2;
  }
  return { value: userTextAsCaptureText(out), end: close + 1 };
}

class Scanner {
  constructor(private readonly s: string, public pos: number) {}

  private blanks(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos++;
  }

  private fail(what: string): never {
    const found = /\S{0,20}/y;
    found.lastIndex = this.pos;
    const word = found.exec(this.s)?.[0] ?? '';
    throw new OperandError(`expected ${what} at column ${this.pos + 1}, found ${word === '' ? 'end of input' : `'${word}'`}`, this.pos + 1);
  }

  call(): OperandExpr {
    const column = this.pos + 1;
    ANY_CALL.lastIndex = this.pos;
    const m = ANY_CALL.exec(this.s);
    if (m === null) this.fail('a transformer');
    this.pos += m[0].length;
    const args: OperandExpr[] = [];
    for (;;) {
      this.blanks();
      args.push(this.arg(true));
      this.blanks();
      const c = this.s[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ')') { this.pos++; break; }
      this.fail((TRANSFORMER_NAMES as readonly string[]).includes(m[1]!) ? "')' closing the transformer" : `',' or ')' in the arguments of ${m[1]}()`);
    }
    let bracketArg: string | undefined;
    if (this.s[this.pos] === '[') {
      this.pos++;
      bracketArg = this.fieldArg();
    }
    return { kind: 'call', name: m[1] as CallName, args, bracketArg, column };
  }

  /** An argument: a call, a field, a quoted string, a number, or (in a call) a list. */
  private arg(listAllowed: boolean): OperandExpr {
    const column = this.pos + 1;
    const s = this.s;
    if (s[this.pos] === '(' && listAllowed) {
      this.pos++;
      const items: OperandExpr[] = [];
      this.blanks();
      if (s[this.pos] === ')') { this.pos++; return { kind: 'list', items, column }; }
      for (;;) {
        this.blanks();
        items.push(this.arg(false));
        this.blanks();
        const c = s[this.pos];
        if (c === ',') { this.pos++; continue; }
        if (c === ')') { this.pos++; return { kind: 'list', items, column }; }
        this.fail("',' or ')' in the list");
      }
    }
    ANY_CALL.lastIndex = this.pos;
    if (ANY_CALL.test(s)) return this.call();
    const quoted = scanQuoted(s, this.pos);
    if (quoted !== undefined) {
      this.pos = quoted.end;
      return { kind: 'text', value: quoted.value, column };
    }
    FIELD_NAME.lastIndex = this.pos;
    const f = FIELD_NAME.exec(s);
    if (f !== null) {
      this.pos += f[0].length;
      let bracketArg: string | undefined;
      if (s[this.pos] === '[') {
        this.pos++;
        bracketArg = this.fieldArg();
      }
      return { kind: 'field', field: f[0], bracketArg, column };
    }
    NUMBER.lastIndex = this.pos;
    const n = NUMBER.exec(s);
    if (n !== null) {
      this.pos += n[0].length;
      return { kind: 'text', value: n[0], column };
    }
    return this.fail(listAllowed ? 'a field, a transformer, a quoted string, a number or a list' : 'a field, a transformer, a quoted string or a number');
  }

  /** The text inside `[...]` after its '[', and the ']'. */
  private fieldArg(): string {
    const quoted = scanQuoted(this.s, this.pos);
    let value: string;
    if (quoted !== undefined) {
      value = quoted.value;
      this.pos = quoted.end;
    } else {
      FIELD_ARG_BARE.lastIndex = this.pos;
      const m = FIELD_ARG_BARE.exec(this.s);
      if (m === null) this.fail('a field argument');
      value = userTextAsCaptureText(m[0]);
      this.pos += m[0].length;
    }
    if (this.s[this.pos] !== ']') this.fail("']'");
    this.pos++;
    return value;
  }
}

/**
 * The character an escape stands for in a quoted string, by libsinsp's rules
 * (filter/escaping.cpp unescape_str): C's \b \f \n \r \t, \\ and \/, the
 * string's own quote only, \xHH for a byte, and `\ ` for a backslash (kept
 * there for old Falco rules); any other escape is an error. `column` is the
 * escaped character's, 1-based.
 */
function unescape(c: string, quote: string, hex: string, column: number): string {
  switch (c) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case ' ':
    case '\\': return '\\';
    case '/': return '/';
    case '"':
    case "'":
      if (c !== quote) throw new OperandError(`invalid \\${c} escape in a ${quote}-quoted string (column ${column})`, column);
      return c;
    case 'x':
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new OperandError(`invalid hex escape \\x${hex} (column ${column})`, column);
      return String.fromCharCode(parseInt(hex, 16));
    default:
      throw new OperandError(`unsupported escape sequence \\${c} in a quoted string (column ${column})`, column);
  }
}
