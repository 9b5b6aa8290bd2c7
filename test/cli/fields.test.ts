// `scap fields` (sysdig -l): the list comes from the field table, and every
// usage it shows is one that output formats and filters accept as written.

import { describe, expect, it } from 'vitest';
import { fieldCatalog } from '../../inspect/field-catalog.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { parseFormat } from '../../inspect/format/format-parse.js';
import { compileFilter } from '../../inspect/filter/compile.js';
import { scap } from '../helpers/cli.js';

/** A usage with its placeholder filled in: what a user copying it would write. */
function example(usage: string): string {
  return usage.replace('.NAME', '.fd').replace('.TYPE', '.open').replace('[NAME]', '[PATH]').replace('.SUBSYS', '.cpu').replace('[N]', '[1]');
}

describe('scap fields', () => {
  it('lists every field of the table once, by class then name', () => {
    const all = fieldCatalog();
    expect(all.map((e) => e.name).sort()).toEqual([...FIELDS.keys()].sort());
    const keys = all.map((e) => `${e.fieldClass} ${e.name}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('shows usages that -p and -f accept as written', () => {
    for (const e of fieldCatalog()) {
      const text = example(e.usage);
      expect(() => parseFormat(`%${text}`, FIELDS), text).not.toThrow();
      expect(() => compileFilter(`${text} exists`, FIELDS), text).not.toThrow();
      // A required argument is required: the bare name is refused, or read
      // as the longest shorter name that is a field, followed by text, as
      // sinsp reads it (`%evt.type.is x` is evt.type and `.is x`).
      if (e.argument === 'required') {
        let read: ReturnType<typeof parseFormat> | undefined;
        try { read = parseFormat(`%${e.name} x`, FIELDS); } catch { read = undefined; }
        if (read !== undefined) {
          expect(read.fields.map((f) => f.def.name), e.name).not.toContain(e.name);
          expect(e.name.startsWith(read.fields[0]!.def.name), e.name).toBe(true);
        }
      }
      if (e.argument === 'optional') expect(() => parseFormat(`%${e.name}`, FIELDS), e.name).not.toThrow();
    }
  });

  it('finds fields by name or description, in any case, and says when none match', () => {
    const r = scap(['fields', 'ANCESTOR']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Field class: proc');
    expect(r.stdout).toMatch(/^proc\.aname\[N\] +name of an ancestor process/m);
    expect(r.stdout).not.toContain('evt.num');
    const none = scap(['fields', 'no-such-field-text']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("no field name or description contains 'no-such-field-text'");
  });

  it('--json gives one array of entries', () => {
    const r = scap(['fields', '--json', 'evt.rawarg']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ name: 'evt.rawarg', usage: 'evt.rawarg.NAME', class: 'evt', argument: 'required' })]);
  });
});
