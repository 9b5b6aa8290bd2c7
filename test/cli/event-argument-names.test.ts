// evt.arg.NAME and evt.rawarg.NAME name a parameter of some event, as in
// libsinsp (find_longest_matching_evt_param): in a format the longest known
// name the text starts with is the argument and the rest is text
// (`%evt.rawarg.fdx` prints the fd, then x); a name nothing starts with is an
// error, and so is, in a filter, a name that is not whole.

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

const FORMAT = '*%evt.num %evt.rawarg.fdx|%evt.arg.sizes|%evt.arg.res';

describe('event argument names', () => {
  it.skipIf(!HAVE_SINSP).each(FIXTURES)('%s: a format reads the longest parameter name, as the reference', (name) => {
    const r = scap(['read', capturePath(name), '-p', FORMAT]);
    expect(r.stderr).toBe('');
    const ours = r.stdout.split('\n').slice(0, -1);
    expect(ours.some((l) => /^\d+ \d+x\|/.test(l))).toBe(true);
    expect(ours).toEqual(sinspEventLines(capturePath(name), FORMAT));
  });

  it('refuses a name no parameter has, in formats and filters', () => {
    const f = scap(['read', capturePath('test_ipv6_client'), '-p', '%evt.num %evt.arg.zzz']);
    expect(f.status).not.toBe(0);
    expect(f.stderr).toMatch(/unknown event argument 'zzz' of evt.arg/);
    const g = scap(['read', capturePath('test_ipv6_client'), '-f', 'evt.rawarg.fdx = 3']);
    expect(g.status).not.toBe(0);
    expect(g.stderr).toMatch(/unknown event argument 'fdx' of evt.rawarg/);
  });
});
