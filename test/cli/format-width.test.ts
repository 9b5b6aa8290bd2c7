// Field widths in -p formats (`%20proc.name`): sinsp's eventformatter pads
// the value with spaces or cuts it to the width (std::string::resize),
// `<NA>` included; -j ignores the width.

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

const FORMAT = '*%evt.num:%20proc.name|%5evt.type|%3proc.aname[1]|%0evt.dir|%12fd.name|%1evt.res|%10evt.rawtime';

describe('field widths', () => {
  it('pads and cuts values, <NA> too', () => {
    const r = scap(['read', capturePath('curl_google'), '-n', '2', '-p', '*%evt.num:%20proc.name|%5evt.type|%3proc.pname|']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1:systemd             |proci|<NA|\n2:<NA>                |proci|<NA|\n');
  });

  it('keys -j values by the field name and does not pad them', () => {
    const r = scap(['read', capturePath('curl_google'), '-n', '1', '-j', '-p', '*%evt.num %20proc.name']);
    expect(r.stdout).toBe('{"evt.num":1,"proc.name":"systemd"}\n');
  });

  it.skipIf(!HAVE_SINSP).each(FIXTURES)('%s: lines as the reference prints them', (name) => {
    const r = scap(['read', capturePath(name), '-p', FORMAT]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(sinspEventLines(capturePath(name), FORMAT));
  });

  it.skipIf(!HAVE_SINSP)('without the * prefix, an event whose padded field has no value is not printed', () => {
    const r = scap(['read', capturePath('test_ipv6_client'), '-p', '%evt.num %6fd.num']);
    const all = sinspEventLines(capturePath('test_ipv6_client'), '*%evt.num %6fd.num');
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(all.filter((l) => !l.endsWith('<NA>  ')));
  });
});
