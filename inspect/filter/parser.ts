// A parser of libsinsp's filter language, after the grammar documented in
// falcosecurity/libs 48dfd53 userspace/libsinsp/filter/parser.h (tokens and
// productions; written here from that description, scannerless as there):
//
//   Expr    ::= AndExpr ('or' AndExpr)*
//   AndExpr ::= NotExpr ('and' NotExpr)*
//   NotExpr ::= 'not' NotExpr | '(' Expr ')' | Check
//   Check   ::= Operand ('exists' | NumOp (NumValue | Rhs) | StrOp (StrValue | Rhs | Modifier ListValue) | ListOp (ListValue | Rhs))
//   Modifier ::= 'oneof' | 'anyof' | 'allof'
//   Operand ::= Call | Field
//   Rhs     ::= 'val(' Field ')' | Call
//   Field   ::= FieldName ('[' FieldArg ']')?
//
// Call is a transformer call, as format/operand-syntax.ts reads it:
// tolower, toupper, b64, basename, len of one argument, join, concat and
// getopt of several. Keywords and word operators need a blank (or '(')
// after them.

import { userTextAsCaptureText } from '../../scapfile/bytes.js';
import type { Transformer } from '../format/transformers.js';
import {
  ANY_CALL, FIELD_ARG_BARE, FIELD_NAME, NUMBER, OperandError, scanCall, scanQuoted, transformChain, type OperandExpr,
} from '../format/operand-syntax.js';
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
  /**
   * The operand, when it is more than transformers of one argument around a
   * field (`concat(proc.name, "x")`, `toupper("a")`); `field` is then the
   * first field in it, or '' for none.
   */
  readonly expr?: OperandExpr;
}

// libsinsp's filter lexer (filter/parser.cpp) has two notions of blank:
// lex_blank, between tokens and after and/or and the word operators, takes
// space, \t, \b, \r and \n; the POSIX [[:space:]] of its regexes (after
// `not`, and what ends a bare string) takes space, \t, \n, \v, \f and \r.
// JavaScript's \s is neither (it has \v, \f and Unicode spaces, no \b).
const BLANK = /[ \t\b\r\n]/;
const SPACE = /[ \t\n\v\f\r]/;
const BARE_STR = /[^()"'=, \t\n\v\f\r]+/y;
/**
 * Where a list may stand, libsinsp also takes one identifier (in Falco the
 * name of a list; here, as in sinsp-example, a list of that one word):
 * `proc.name in python3`, `proc.name = anyof python3`.
 */
const LIST_IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
/** A word that could be a field name missing its dot. */
const NAME_WORD = /[a-zA-Z][a-zA-Z0-9_]*(?![a-zA-Z0-9_.\[])/y;
const NUM_OPS = ['<=', '<', '>=', '>'] as const;
const STR_OPS = ['==', '=', '!='] as const;
const WORD_STR_OPS = ['glob', 'iglob', 'regex', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith'] as const;
const LIST_OPS = ['intersects', 'in', 'pmatch'] as const;

/** Parses a filter string into its tree; throws FilterError with the column of the problem. */
export function parseFilter(text: string): FilterNode {
  const p = new Parser(text);
  p.blanks();
  // Where the blanks end, as libsinsp counts: '  ' fails at column 3.
  if (p.atEnd()) throw new FilterError(expectedAt('a field, \'not\' or \'(\'', p.pos + 1, ''), p.pos + 1);
  const e = p.orExpr();
  p.blanks();
  if (!p.atEnd()) p.failAfterCheck("'and', 'or' or the end of the filter");
  return e;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean { return this.pos >= this.s.length; }

  blanks(): void {
    while (this.pos < this.s.length && BLANK.test(this.s[this.pos]!)) this.pos++;
  }

  peekWord(): string {
    const m = /\S*/y;
    m.lastIndex = this.pos;
    return (m.exec(this.s)?.[0] ?? '').slice(0, 20);
  }

  private fail(what: string): never {
    throw new FilterError(expectedAt(what, this.pos + 1, this.peekWord()), this.pos + 1);
  }

  /**
   * Fails where a check ended and `what` should follow. `and`/`or` glued to
   * what comes next (`and"x"`, `orvt.type`) is named as libsinsp names it:
   * a blank or '(' is missing after the keyword.
   */
  failAfterCheck(what: string): never {
    const glued = /(?:and|or)(?=[^ \t\b\r\n(])/y;
    glued.lastIndex = this.pos;
    const m = glued.exec(this.s);
    if (m !== null) {
      this.pos += m[0].length;
      this.fail(`a blank or '(' after '${m[0]}'`);
    }
    this.fail(what);
  }

  /**
   * A keyword followed by a blank or '(' (and/or, word operators, modifiers);
   * `not` is followed by a [[:space:]] character, which it takes, or '('.
   */
  private keyword(word: string, parenOk = true): boolean {
    const s = this.s;
    if (!s.startsWith(word, this.pos)) return false;
    const next = s[this.pos + word.length];
    const separator = word === 'not' ? SPACE : BLANK;
    if (next !== undefined && !(separator.test(next) || (parenOk && next === '('))) return false;
    this.pos += word.length;
    if (word === 'not') while (this.pos < s.length && SPACE.test(s[this.pos]!)) this.pos++;
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
      if (this.s[this.pos] !== ')') this.failAfterCheck("')'");
      this.pos++;
      return e;
    }
    return this.check();
  }

  private check(): FilterNode {
    const lhs = this.operand();
    this.blanks();
    const field = lhs.field;
    // libsinsp lexes `exists` as a bare prefix (s_unary_ops, no blank required
    // after it, unlike the word operators): `(proc.name exists)` is a check.
    if (this.s.startsWith('exists', this.pos)) {
      this.pos += 'exists'.length;
      return { kind: 'check', ...lhs, op: 'exists', values: [] };
    }
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
      // libsinsp takes the word alone (no blank needed): `proc.name in(a)`.
      if (this.s.startsWith(op, this.pos)) {
        this.pos += op.length;
        this.blanks();
        const rhs = op === 'pmatch' ? undefined : this.rhs();
        if (rhs !== undefined) return { kind: 'check', ...lhs, op, values: [], rhs };
        return { kind: 'check', ...lhs, op, values: this.listValue(op) };
      }
    }
    this.fail(`an operator after ${field} (=, !=, <, <=, >, >=, contains, icontains, startswith, endswith, glob, iglob, regex, in, intersects, pmatch, exists, bcontains, bstartswith)`);
  }

  /**
   * `oneof`, `anyof` or `allof` and a blank, when a list (or one identifier
   * other than and/or/not) follows; nothing read otherwise.
   */
  private modifier(): Modifier | undefined {
    const save = this.pos;
    for (const m of ['oneof', 'anyof', 'allof'] as const) {
      if (this.keyword(m, false)) {
        this.blanks();
        if (this.s[this.pos] === '(' || (this.identifierAhead() && !/^(?:and|or|not)(?![a-zA-Z0-9])/.test(this.s.slice(this.pos, this.pos + 4)))) return m;
        break;
      }
    }
    this.pos = save;
    return undefined;
  }

  /** The identifier at the cursor, if any (LIST_IDENTIFIER); nothing read. */
  private identifierAhead(): string | undefined {
    LIST_IDENTIFIER.lastIndex = this.pos;
    return LIST_IDENTIFIER.exec(this.s)?.[0];
  }

  /** A field, or a transformer call: `tolower(basename(fd.name))`, `concat(proc.name, "x")`. */
  private operand(): FieldRef {
    const column = this.pos + 1;
    ANY_CALL.lastIndex = this.pos;
    if (!ANY_CALL.test(this.s)) {
      const { field, bracketArg } = this.field("a field name (such as proc.name), 'not' or '('");
      return { field, bracketArg, transforms: [], column };
    }
    let scanned: { expr: OperandExpr; end: number };
    try {
      scanned = scanCall(this.s, this.pos);
    } catch (e) {
      if (e instanceof OperandError) throw new FilterError(`filter: ${e.message}`, e.column);
      throw e;
    }
    this.pos = scanned.end;
    return fieldRefOf(scanned.expr, column);
  }

  /** `val(field)` or a transformer call after an operator; undefined (nothing read) for a plain value. */
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
    ANY_CALL.lastIndex = this.pos;
    return ANY_CALL.test(this.s) ? this.operand() : undefined;
  }

  /** A field name and its optional `[argument]`. */
  private field(what: string): { field: string; bracketArg: string | undefined } {
    FIELD_NAME.lastIndex = this.pos;
    const m = FIELD_NAME.exec(this.s);
    if (m === null) {
      // A name without a dot (`fdl4proto`, `thread`) is likely a field mistyped.
      NAME_WORD.lastIndex = this.pos;
      const word = NAME_WORD.exec(this.s)?.[0];
      throw new FilterError(expectedAt(what, this.pos + 1, this.peekWord()), this.pos + 1, word);
    }
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
    let quoted: { value: string; end: number } | undefined;
    try {
      quoted = scanQuoted(this.s, this.pos);
    } catch (e) {
      if (e instanceof OperandError) throw new FilterError(`filter: ${e.message}`, e.column);
      throw e;
    }
    if (quoted !== undefined) {
      this.pos = quoted.end;
      return quoted.value;
    }
    bare.lastIndex = this.pos;
    const m = bare.exec(this.s);
    if (m === null || m[0] === '') this.fail(what);
    this.pos += m[0].length;
    return userTextAsCaptureText(m[0]);
  }

  private listValue(op: string): string[] {
    this.blanks();
    if (this.s[this.pos] !== '(') {
      const word = this.identifierAhead();
      if (word === undefined) this.fail(`a list such as (a, b), or one word, after '${op}'`);
      this.pos += word.length;
      return [word];
    }
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
 * The operand a call is: transformers of one argument around a field keep
 * the plain form (`transforms`), anything else is kept whole as `expr`.
 */
function fieldRefOf(expr: OperandExpr, column: number): FieldRef {
  const chain = transformChain(expr);
  if (chain !== undefined) return { field: chain.field.field, bracketArg: chain.field.bracketArg, transforms: chain.transforms, column };
  return { field: firstField(expr) ?? '', bracketArg: undefined, transforms: [], column, expr };
}

function firstField(e: OperandExpr): string | undefined {
  if (e.kind === 'field') return e.field;
  if (e.kind === 'text') return undefined;
  for (const a of e.kind === 'call' ? e.args : e.items) {
    const f = firstField(a);
    if (f !== undefined) return f;
  }
  return undefined;
}
