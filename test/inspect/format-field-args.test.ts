// Field arguments in formats, read as filters read them (libsinsp parses a
// format's fields with the filter grammar): a quoted argument is its value.

import { describe, expect, it } from 'vitest';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

describe('format field arguments', () => {
  it('a quoted argument is its value, in text and as the -j key (checked with sinsp-example)', () => {
    const file = capturePath('test_ipv6_client');
    // Event 1 is systemd's, whose HOME is /; it printed '' (the variable "HOME", quotes included).
    const fmt = `*%evt.num %proc.env[HOME] %proc.env["HOME"] %proc.env['HOME'] %proc.aname['1'] %toupper(proc.env["HOME"])`;
    const r = scap(['read', file, '-p', fmt]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines[0]).toBe('1 / / / <NA> /');
    expect(lines.some((l) => / bash /.test(l))).toBe(true);
    if (HAVE_SINSP) expect(lines).toEqual(sinspEventLines(file, fmt));
    const j = scap(['read', file, '-n', '1', '-j', '-p', '*%evt.num %proc.env["HOME"]']);
    expect(j.stdout).toBe('{"evt.num":1,"proc.env[HOME]":"/"}\n');
  });

  // sinsp's formatter takes the longest prefix of the text that is a field
  // (it retries one character shorter until a field compiles); scapkit
  // refused `%proc.name_%thread.tid` as an unknown field 'proc.name_'.
  it('a field name runs as far as the longest field it starts with; the rest is text', () => {
    const file = capturePath('curl_google');
    const fmt = '*%evt.num %proc.name_%thread.tid|%evt.numa|%proc.namex|%evt.type.is x|%proc.aname[1]y';
    const r = scap(['read', file, '-n', '1', '-p', fmt]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('1 systemd_1|1a|systemdx|procinfo.is x|<NA>y\n');
    if (HAVE_SINSP) expect(scap(['read', file, '-p', fmt]).stdout.split('\n').slice(0, -1)).toEqual(sinspEventLines(file, fmt));
    // Only evt.arg, evt.rawarg, evt.type.is and thread.cgroup take `.NAME`;
    // after the other fields with arguments it is text.
    const dots = '*%evt.num|%proc.apid.2|%fd.types.x|%proc.aname..|%evt.arg.fd|%thread.cgroup.cpu';
    const d = scap(['read', file, '-n', '1', '-p', dots]);
    expect([d.status, d.stderr]).toEqual([0, '']);
    expect(d.stdout).toBe('1|1.2|<NA>.x|<NA>..|<NA>|/init.scope\n');
    if (HAVE_SINSP) expect(scap(['read', file, '-p', dots]).stdout.split('\n').slice(0, -1)).toEqual(sinspEventLines(file, dots));
    expect(scap(['read', file, '-p', '%evt.around']).stderr).toMatch(/evt.around needs an argument \(evt.around\[N\]\)/);
    // A name no field starts is still an error, with the nearest names.
    expect(scap(['read', file, '-p', '%proc.nmae']).stderr).toMatch(/unknown field 'proc.nmae' at column 1 \(did you mean 'proc.name'/);
  });

  // libsinsp reads a bare argument as its filters do (no spaces, quotes or
  // brackets, at least one character); where it cannot, it prints the field
  // without argument and the brackets as text (`%proc.aname[]` is
  // `systemd[]`). scapkit refuses such formats, as it refuses `[ 1]`; it
  // used to read `[]` as no argument and `[ ]` as the variable ' '.
  it('refuses a bracket argument the filter grammar cannot read, with its column', () => {
    const file = capturePath('curl_google');
    for (const fmt of ['%evt.num %proc.aname[]', '%evt.num %proc.env[ ]', '%evt.num %fd.types[ 1]', "%evt.num %proc.env[a'b]"]) {
      const r = scap(['read', file, '-n', '1', '-p', fmt]);
      expect(r.status, fmt).not.toBe(0);
      expect(r.stderr, fmt).toMatch(/the argument of %[a-z.]+\[\] is a quoted string or text without spaces, quotes or brackets \(column 10\)/);
    }
    // An argument the field itself refuses is placed too.
    expect(scap(['read', file, '-n', '1', '-p', '%evt.num %proc.aname[x]']).stderr)
      .toMatch(/format: proc.aname: expected a number in \[\], got 'x' \(column 10\)/);
  });
});
