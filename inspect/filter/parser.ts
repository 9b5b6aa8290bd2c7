// A parser of libsinsp's filter language, after the grammar documented in
// falcosecurity/libs 48dfd53 userspace/libsinsp/filter/parser.h (tokens and
// productions; written here from that description, scannerless as there):
//
//   Expr    ::= AndExpr ('or' AndExpr)*
//   AndExpr ::= NotExpr ('and' NotExpr)*
//   NotExpr ::= 'not' NotExpr | '(' Expr ')' | Check
//   Check   ::= Operand ('exists' | NumOp (NumValue | Rhs) | StrOp (StrValue | Rhs | Modifier ListValue) | ListOp ListValue)
//   Modifier ::= 'oneof' | 'anyof' | 'allof'
//   Operand ::= Transformer '(' Operand ')' | Field
//   Rhs     ::= 'val(' Field ')' | Transformer '(' Operand ')'
//   Field   ::= FieldName ('[' FieldArg ']')?
//
// Transformer is one of tolower, toupper, b64, basename, len. Keywords and
// word operators need a blank (or '(') after them. The transformers with
// several arguments (join, concat, getopt) and transformer lists are not
// supported and fail with a clear error.

import { userTextAsCaptureText } from '../../scapfile/bytes.js';
import { TRANSFORMER_CALL, type Transformer } from '../format/transformers.js';
import { FilterError, expectedAt } from './errors.js';

/** A comparison operator of the language. */
export type FilterOp =
  | 'exists' | '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'icontains' | 'bcontains' | 'startswith'
  | 'bstartswith' | 'endswith' | 'glob' | 'iglob' | 'regex' | 'in' | 'intersects' | 'pmatch';

/** The parsed filter. */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly items: readonly FilterNode[] }
  | { readonly kind: 'not'; readonly item: FilterNode }
  | (FieldRef & {
    readonly kind: 'check';
    readonly op: FilterOp;
    /** The values to compare with; none when the right-hand side is a field (`rhs`). */
    readonly values: readonly string[];
    /** `val(field)` or a transformed field on the right-hand side. */
    readonly rhs?: FieldRef;
    /** `contains anyof (a, b)`: the operator against each value of the list, one, any or all of which must hold. */
    readonly modifier?: Modifier;
  });

export type Modifier = 'oneof' | 'anyof' | 'allof';

/** A field, with the transformers applied to it. */
export interface FieldRef {
  /** The field name as written, without `[arg]` (`evt.arg.fd`, `proc.aname`). */
  readonly field: string;
  /** The text inside `[...]`, if any. */
  readonly bracketArg: string | undefined;
  /** Transformers in the order they apply: `tolower(basename(fd.name))` is basename, tolower. */
  readonly transforms: readonly Transformer[];
  /** 1-based column where the operand starts. */
  readonly column: number;
}

const TRANSFORMER = TRANSFORMER_CALL;
const UNSUPPORTED_TRANSFORMER = /(join|concat|getopt)\(/y;

const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const FIELD_ARG_BARE = /[^\][\s"']+/y;
const NUMBER = /0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?/y;
const BARE_STR = /[^()\s"'=,]+/y;
const NUM_OPS = ['<=', '<', '>=', '>'] as const;
const STR_OPS = ['==', '=', '!='] as const;
const WORD_STR_OPS = ['glob', 'iglob', 'regex', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith'] as const;
const LIST_OPS = ['intersects', 'in', 'pmatch'] as const;

/** Parses a filter string into its tree; throws FilterError with the column of the problem. */
export function parseFilter(text: string): FilterNode {
  const p = new Parser(text);
  p.blanks();
  if (p.atEnd()) throw new FilterError(expectedAt('a field, \'not\' or \'(\'', 1, ''), 1);
  const e = p.orExpr();
  p.blanks();
  if (!p.atEnd()) throw new FilterError(expectedAt("'and', 'or' or the end of the filter", p.pos + 1, p.peekWord()), p.pos + 1);
  return e;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean { return this.pos >= this.s.length; }

  blanks(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos]!)) this.pos++;
  }

  peekWord(): string {
    const m = /\S*/y;
    m.lastIndex = this.pos;
    return (m.exec(this.s)?.[0] ?? '').slice(0, 20);
  }

  private fail(what: string): never {
    throw new FilterError(expectedAt(what, this.pos + 1, this.peekWord()), this.pos + 1);
  }

  /** A keyword followed by a blank or '(' (and/or/not, word operators). */
  private keyword(word: string, parenOk = true): boolean {
    const s = this.s;
    if (!s.startsWith(word, this.pos)) return false;
    const next = s[this.pos + word.length];
    if (next !== undefined && !(/\s/.test(next) || (parenOk && next === '('))) return false;
    this.pos += word.length;
    return true;
  }

  orExpr(): FilterNode {
    const items = [this.andExpr()];
    for (;;) {
      const save = this.pos;
      this.blanks();
      if (!this.keyword('or')) { this.pos = save; break; }
      items.push(this.andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  andExpr(): FilterNode {
    const items = [this.notExpr()];
    for (;;) {
      const save = this.pos;
      this.blanks();
      if (!this.keyword('and')) { this.pos = save; break; }
      items.push(this.notExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  notExpr(): FilterNode {
    this.blanks();
    if (this.keyword('not')) return { kind: 'not', item: this.notExpr() };
    if (this.s[this.pos] === '(') {
      this.pos++;
      const e = this.orExpr();
      this.blanks();
      if (this.s[this.pos] !== ')') this.fail("')'");
      this.pos++;
      return e;
    }
    return this.check();
  }

  private check(): FilterNode {
    const lhs = this.operand();
    this.blanks();
    const field = lhs.field;
    if (this.keyword('exists')) return { kind: 'check', ...lhs, op: 'exists', values: [] };
    for (const op of NUM_OPS) {
      if (this.s.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.blanks();
        const rhs = this.rhs();
        if (rhs !== undefined) return { kind: 'check', ...lhs, op, values: [], rhs };
        NUMBER.lastIndex = this.pos;
        const n = NUMBER.exec(this.s);
        if (n === null) this.fail(`a number after '${op}'`);
        this.pos += n[0].length;
        return { kind: 'check', ...lhs, op, values: [n[0]] };
      }
    }
    for (const op of STR_OPS) {
      if (this.s.startsWith(op, this.pos)) {
        this.pos += op.length;
        const o = op === '==' ? '=' : op;
        const before = this.pos;
        this.blanks();
        const modifier = this.pos > before ? this.modifier() : undefined;
        if (modifier !== undefined) return { kind: 'check', ...lhs, op: o, values: this.listValue(`${op} ${modifier}`), modifier };
        const rhs = this.rhs();
        if (rhs !== undefined) return { kind: 'check', ...lhs, op: o, values: [], rhs };
        return { kind: 'check', ...lhs, op: o, values: [this.strValue(op)] };
      }
    }
    for (const op of WORD_STR_OPS) {
      if (this.keyword(op, false)) {
        this.blanks();
        const modifier = this.modifier();
        if (modifier !== undefined) return { kind: 'check', ...lhs, op, values: this.listValue(`${op} ${modifier}`), modifier };
        const rhs = this.rhs();
        if (rhs !== undefined) return { kind: 'check', ...lhs, op, values: [], rhs };
        return { kind: 'check', ...lhs, op, values: [this.strValue(op)] };
      }
    }
    for (const op of LIST_OPS) {
      if (this.s.startsWith(op, this.pos) && /[\s(]/.test(this.s[this.pos + op.length] ?? '')) {
        this.pos += op.length;
        return { kind: 'check', ...lhs, op, values: this.listValue(op) };
      }
    }
    this.fail(`an operator after ${field} (=, !=, <, <=, >, >=, contains, icontains, startswith, endswith, glob, iglob, regex, in, intersects, pmatch, exists, bcontains, bstartswith)`);
  }

  /** `oneof`, `anyof` or `allof` and a blank, when a list follows; nothing read otherwise. */
  private modifier(): Modifier | undefined {
    const save = this.pos;
    for (const m of ['oneof', 'anyof', 'allof'] as const) {
      if (this.keyword(m, false)) {
        this.blanks();
        if (this.s[this.pos] === '(') return m;
        break;
      }
    }
    this.pos = save;
    return undefined;
  }

  /** A field, or transformers around one: `tolower(basename(fd.name))`. */
  private operand(): FieldRef {
    const column = this.pos + 1;
    const wraps: Transformer[] = [];
    for (;;) {
      TRANSFORMER.lastIndex = this.pos;
      const t = TRANSFORMER.exec(this.s);
      if (t === null) break;
      wraps.push(t[1] as Transformer);
      this.pos += t[0].length;
      this.blanks();
    }
    UNSUPPORTED_TRANSFORMER.lastIndex = this.pos;
    const unsupported = UNSUPPORTED_TRANSFORMER.exec(this.s);
    if (unsupported !== null) {
      throw new FilterError(`filter: the ${unsupported[1]}() transformer is not supported (column ${this.pos + 1}); tolower, toupper, b64, basename, len and val are`, this.pos + 1);
    }
    const { field, bracketArg } = this.field(wraps.length > 0 ? 'a field or a transformer inside the transformer' : "a field name (such as proc.name), 'not' or '('");
    for (let i = 0; i < wraps.length; i++) {
      this.blanks();
      if (this.s[this.pos] !== ')') this.fail("')' closing the transformer");
      this.pos++;
    }
    return { field, bracketArg, transforms: wraps.reverse(), column };
  }

  /** `val(field)` or a transformed field after an operator; undefined (nothing read) for a plain value. */
  private rhs(): FieldRef | undefined {
    if (this.s.startsWith('val(', this.pos)) {
      const column = this.pos + 1;
      this.pos += 4;
      this.blanks();
      const { field, bracketArg } = this.field("a field inside 'val('");
      this.blanks();
      if (this.s[this.pos] !== ')') this.fail("')' closing 'val('");
      this.pos++;
      return { field, bracketArg, transforms: [], column };
    }
    TRANSFORMER.lastIndex = this.pos;
    UNSUPPORTED_TRANSFORMER.lastIndex = this.pos;
    return TRANSFORMER.test(this.s) || UNSUPPORTED_TRANSFORMER.test(this.s) ? this.operand() : undefined;
  }

  /** A field name and its optional `[argument]`. */
  private field(what: string): { field: string; bracketArg: string | undefined } {
    FIELD_NAME.lastIndex = this.pos;
    const m = FIELD_NAME.exec(this.s);
    if (m === null) this.fail(what);
    this.pos += m[0].length;
    let bracketArg: string | undefined;
    if (this.s[this.pos] === '[') {
      this.pos++;
      bracketArg = this.quotedOr(FIELD_ARG_BARE, 'a field argument');
      if (this.s[this.pos] !== ']') this.fail("']'");
      this.pos++;
    }
    return { field: m[0], bracketArg };
  }

  private strValue(op: string): string {
    this.blanks();
    return this.quotedOr(BARE_STR, `a value after '${op}'`);
  }

  /** A quoted string ('...' or "...", backslash escapes) or a bare token matching `bare`. */
  private quotedOr(bare: RegExp, what: string): string {
    const q = this.s[this.pos];
    if (q === '"' || q === "'") {
      const start = this.pos + 1;
      let out = '';
      let i = start;
      for (; i < this.s.length && this.s[i] !== q; i++) {
        if (this.s[i] !== '\\' || i + 1 >= this.s.length) { out += this.s[i]; continue; }
        i++;
        const hex = this.s.slice(i + 1, i + 3);
        out += unescape(this.s[i]!, q, hex, i + 1);
        if (this.s[i] === 'x') i += 2;
      }
      if (i >= this.s.length) throw new FilterError(`filter: unterminated string starting at column ${start}`, start);
      this.pos = i + 1;
      return userTextAsCaptureText(out);
    }
    bare.lastIndex = this.pos;
    const m = bare.exec(this.s);
    if (m === null || m[0] === '') this.fail(what);
    this.pos += m[0].length;
    return userTextAsCaptureText(m[0]);
  }

  private listValue(op: string): string[] {
    this.blanks();
    if (this.s[this.pos] !== '(') this.fail(`a list such as (a, b) after '${op}'`);
    this.pos++;
    const values: string[] = [];
    this.blanks();
    if (this.s[this.pos] === ')') { this.pos++; return values; }
    for (;;) {
      this.blanks();
      values.push(this.quotedOr(BARE_STR, 'a list value'));
      this.blanks();
      const c = this.s[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ')') { this.pos++; return values; }
      this.fail("',' or ')' in the list");
    }
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
      if (c !== quote) throw new FilterError(`filter: invalid \\${c} escape in a ${quote}-quoted string (column ${column})`, column);
      return c;
    case 'x':
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new FilterError(`filter: invalid hex escape \\x${hex} (column ${column})`, column);
      return String.fromCharCode(parseInt(hex, 16));
    default:
      throw new FilterError(`filter: unsupported escape sequence \\${c} in a quoted string (column ${column})`, column);
  }
}
