// Property: any text given as a filter or a format either compiles or is
// refused with a FilterError / FormatError carrying a column, never another
// exception or a hang, and a compiled filter evaluates on real events
// without throwing. The texts are token soup around the grammar's corners
// (transformers, val(), modifiers, lists, quotes, escapes, brackets).

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { FilterError, compileFilter } from '../../inspect/filter/index.js';
import { FormatError, compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { Rng } from '../fuzz/mutate.js';
import { capturePath } from '../helpers/fixtures.js';

/** More cases for a longer local run: FILTER_PROPERTY_N=100000 npx vitest run … */
const N = Number(process.env.FILTER_PROPERTY_N ?? 4000);

const FIELD_TOKENS = ['proc.name', 'proc.pid', 'fd.name', 'fd.port', 'fd.ip', 'fd.net', 'proc.aname', 'proc.aname[2]', 'evt.arg.fd',
  'evt.rawarg.size', 'evt.arg[0]', 'evt.is_io', 'evt.type', 'evt.buffer', 'thread.tid', 'fd.sport', 'proc.env[HOME]', 'evt.res'];
const OTHER_TOKENS = ['tolower(', 'toupper(', 'basename(', 'b64(', 'len(', 'val(', 'join(', 'concat(', 'getopt(', ')', '(', ',', '=', '==', '!=', '<', '<=',
  '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'pmatch', 'in', 'intersects', 'exists',
  'bcontains', 'bstartswith', 'anyof', 'oneof', 'allof', 'and', 'or', 'not', '1', '0x10', '-3', '1.5', 'true', 'https', 'curl',
  "'a b'", '"x\\ty"', "'\\x41'", "'unterminated", '/etc', '127.0.0.1', '10.0.0.0/8', '::1', '[', ']', '*', '%', ' ', '  '];

function soup(rng: Rng): string {
  const n = 1 + rng.below(12);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += rng.chance(0.35) ? rng.pick(FIELD_TOKENS) : rng.pick(OTHER_TOKENS);
    if (rng.chance(0.7)) s += ' ';
  }
  return s;
}

const TRANSFORMERS = ['tolower', 'toupper', 'basename', 'b64', 'len'];
const OPS = ['=', '!=', '<', '>=', 'contains', 'startswith', 'glob', 'in', 'exists', 'pmatch', 'icontains', 'endswith'];
const VALUES = ['1', '-3', '0x10', 'curl', "'a b'", '/etc', 'true', 'https', '127.0.0.1', '10.0.0.0/8', '1.5', "'[z-a]*'", "'[[:alpha:]'", "'[]x]'", "'(?=a)'"];

/** A filter that follows the grammar most of the time, so that many compile. */
function grammatical(rng: Rng, depth = 0): string {
  if (depth < 2 && rng.chance(0.3)) {
    const join = rng.pick([' and ', ' or ']);
    return `${rng.chance(0.2) ? 'not ' : ''}(${grammatical(rng, depth + 1)}${join}${grammatical(rng, depth + 1)})`;
  }
  let operand = rng.pick(FIELD_TOKENS);
  for (let k = rng.below(3); k > 0; k--) if (rng.chance(0.4)) operand = `${rng.pick(TRANSFORMERS)}(${operand})`;
  const op = rng.pick(OPS);
  if (op === 'exists') return `${operand} exists`;
  if (op === 'in' || op === 'pmatch') return `${operand} ${op} (${rng.pick(VALUES)}, ${rng.pick(VALUES)})`;
  if (rng.chance(0.15)) return `${operand} ${op} val(${rng.pick(FIELD_TOKENS)})`;
  if (rng.chance(0.15) && !op.startsWith('<') && !op.startsWith('>')) return `${operand} ${op} ${rng.pick(['anyof', 'oneof', 'allof'])} (${rng.pick(VALUES)}, ${rng.pick(VALUES)})`;
  return `${operand} ${op} ${rng.pick(VALUES)}`;
}

/** Token soup or a grammatical filter, sometimes with a token cut out or added. */
function filterText(rng: Rng): string {
  if (rng.chance(0.3)) return soup(rng);
  let t = grammatical(rng);
  if (rng.chance(0.2)) {
    const at = rng.below(t.length + 1);
    t = rng.chance(0.5) ? t.slice(0, at) + rng.pick(OTHER_TOKENS) + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + rng.below(4));
  }
  return t;
}

describe('filter and format syntax, property', () => {
  it(`${N} random filters: compiled (and run on real events) or refused with a column`, async () => {
    // A replayed event of the capture (the cursor stops at the third) to run the compiled filters on.
    const insp = await Inspector.open(capturePath('test_ipv6_client'));
    const ctx = insp.fieldContext;
    let event: EventCursor | undefined;
    let seen = 0;
    await insp.run((ev) => { event = ev; return ++seen < 3; });
    const rng = new Rng(20261127, 1);
    let compiled = 0;
    for (let i = 0; i < N; i++) {
      const text = filterText(rng);
      let f: ReturnType<typeof compileFilter> | undefined;
      try {
        f = compileFilter(text, FIELDS);
      } catch (e) {
        if (!(e instanceof FilterError)) throw new Error(`filter ${JSON.stringify(text)} threw ${(e as Error).stack}`);
        expect(e.column, text).toBeGreaterThanOrEqual(0);
        continue;
      }
      compiled++;
      // Events are replayed by then; the cursor is the last one, still a whole event.
      expect(() => f!(event!, ctx), text).not.toThrow();
    }
    expect(compiled).toBeGreaterThan(N / 8);
  });

  it(`${N} random formats: compiled or refused with a column`, () => {
    const rng = new Rng(20261127, 2);
    for (let i = 0; i < N; i++) {
      const text = soup(rng).replace(/(^| )(?=[a-z]+\.)/g, (m) => `${m}%`);
      try {
        compileFormat(text, FIELDS);
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`format ${JSON.stringify(text)} threw ${(e as Error).stack}`);
        expect(e.column, text).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
