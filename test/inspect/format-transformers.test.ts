// Transformers in -p formats (%tolower(proc.name)): the text values are
// checked against sinsp-example by fields-golden.test.ts (fields-transform.txt);
// here what the reference cannot show (its len() prints <NA>, its -j skips
// transformers) and the errors.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { FormatError, compileFormat } from '../../inspect/format/format-string.js';
import { eventJson } from '../../inspect/format/json.js';
import { Inspector } from '../../inspect/inspector.js';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

async function firstEvent(render: (ev: never, ctx: never) => string | undefined): Promise<string | undefined> {
  const insp = await Inspector.open(capturePath('curl_google'));
  let line: string | undefined;
  await insp.run((ev) => { line = render(ev as never, insp.fieldContext as never); return false; });
  return line;
}

describe('-p transformers', () => {
  it('len() counts the bytes of the value, and nests inside the others', async () => {
    // Event 1 is systemd's (fixtures/golden/curl_google/events.txt).
    expect(await firstEvent(compileFormat('*%evt.num %len(proc.name) %len(toupper(proc.name)) %toupper(proc.name) %len(fd.name)', FIELDS)))
      .toBe('1 7 7 SYSTEMD <NA>');
  });

  it('-j writes the transformed value under the name as written, len() as a number', async () => {
    expect(await firstEvent(eventJson('*%evt.num %len(proc.name) %tolower( basename(proc.exe) )', FIELDS)))
      .toBe('{"evt.num":1,"len(proc.name)":7,"tolower( basename(proc.exe) )":"init"}');
  });

  it('take each type of fd.types, a list, and len() counts them, as sinsp-example prints them', () => {
    // sinsp-example on scapkit_sysmix (all 2,452 lines the same): event 104 is
    // `104 (file,pipe) (FILE,PIPE) (file) (~)^) 2 (FILE,PIPE)` (b64 decodes).
    const fmt = '*%evt.num %fd.types %toupper(fd.types) %tolower(fd.types[0]) %b64(fd.types[1]) %len(fd.types) %toupper(tolower(fd.types))';
    const r = scap(['read', capturePath('scapkit_sysmix'), '-p', fmt]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('104 '))).toBe('104 (file,pipe) (FILE,PIPE) (file) (~)^) 2 (FILE,PIPE)');
    if (HAVE_SINSP) expect(lines.slice(0, -1)).toEqual(sinspEventLines(capturePath('scapkit_sysmix'), fmt));
  });

  it('refuses what libsinsp refuses', () => {
    const err = (f: string) => { try { compileFormat(f, FIELDS); } catch (e) { if (e instanceof FormatError) return e.message; throw e; } return 'no error'; };
    expect(err('%tolower(proc.pid)')).toMatch(/tolower\(\) takes a string, and proc.pid gives a number/);
    expect(err('%len(proc.aname)')).toMatch(/proc.aname takes no transformer/);
    expect(err('%tolower(len(proc.name))')).toMatch(/tolower\(\) takes a string, and len\(\) gives a number/);
    // fd.cip and co. are addresses (PT_IPADDR), which no transformer takes: sinsp-example aborts on them.
    for (const f of ['%toupper(fd.cip)', '%len(fd.sip)', '%b64(fd.lip)', '%basename(tolower(fd.rip))']) {
      expect(err(f)).toMatch(/\(\) takes a string, and fd\.[a-z]ip gives an address or raw bytes/);
    }
    expect(err('%tolower(proc.name')).toMatch(/expected '\)' closing the transformer/);
  });
});
