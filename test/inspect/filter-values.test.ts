// Right-hand values as libsinsp's string_to_rawval reads them for the
// field's type (inspect/filter/filter-values.ts). Which events the filters
// select is checked against sinsp-example by filter-golden.test.ts; here
// the readings themselves, beyond what the fixtures' addresses show.

import { describe, expect, it } from 'vitest';
import { FilterError } from '../../inspect/filter/errors.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { integerValue, ipAddressValue, prefixLengthValue, rawArgValueKind } from '../../inspect/filter/filter-values.js';

describe('PT_IPADDR values', () => {
  it('are written as the field prints the address: IPv6 in any form becomes inet_ntop\'s', () => {
    expect(ipAddressValue('2A00:1450:4007:080b:0:0:0:200e', 'fd.rip', 1)).toBe('2a00:1450:4007:80b::200e');
    expect(ipAddressValue('0:0:0:0:0:0:0:1', 'fd.sip', 1)).toBe('::1');
    expect(ipAddressValue('172.217.0.4', 'fd.sip', 1)).toBe('172.217.0.4');
  });

  it.each(['172.217.000.4', '01.2.3.4', '1.2.3', '256.1.1.1', ' 1.2.3.4', '::ffff:1.2.3.4', '1::2::3', 'example.com'])(
    'refuses %j as inet_pton does', (v) => {
      expect(() => ipAddressValue(v, 'fd.sip', 7)).toThrow(FilterError);
    });
});

describe('fd.ip and fd.net values (PT_IPADDR, PT_IPNET)', () => {
  // Each checked with sinsp-example (libs 48dfd53) on a capture of our driver.
  it.each(['fd.ip = 127..0.1', 'fd.ip = 0x7f.0.0.1', 'fd.ip = 127.0.0.1e0', 'fd.ip = 0127.0.0.1', 'fd.ip = "127.0.0.1 "',
    'fd.ip = ::ffff:127.0.0.1', 'fd.ip = 64:ff9b::127.0.0.1', 'fd.net = 127.0.0.01/8', 'fd.cnet = ::ffff:0.0.0.0/96',
    'fd.net = "127.0.0.1/8 "', 'fd.net = 127.0.0.1/33', 'fd.net = ::1/0', 'fd.net = ::1/8.0'])(
    'refuses %j as libsinsp does: with a dot, IPv4 as inet_pton reads it', (f) => {
      expect(() => compileFilter(f, FIELDS)).toThrow(FilterError);
    });

  it.each(['fd.ip = 127.0.0.1', 'fd.ip = ::1', 'fd.net = 127.0.0.1/0008', 'fd.net = 127.0.0.1/+8', 'fd.net = "127.0.0.1/ 8"',
    'fd.net = ::1/0128', 'fd.net = 127.0.0.1/264', 'fd.lnet = 10.0.0.0/0'])(
    'accepts %j as libsinsp does: the prefix is read by sscanf %u and cut to 8 bits', (f) => {
      expect(() => compileFilter(f, FIELDS)).not.toThrow();
    });

  it('reads prefix lengths as sinsp_numparser::parseu8', () => {
    expect([prefixLengthValue('8'), prefixLengthValue(' 08'), prefixLengthValue('+8'), prefixLengthValue('264')]).toEqual([8, 8, 8, 8]);
    expect(prefixLengthValue('-8')).toBe(248);
    expect(prefixLengthValue('99999999999999999999999')).toBe(255);
    expect([prefixLengthValue('8 '), prefixLengthValue(''), prefixLengthValue('8a'), prefixLengthValue('0x8')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('names fd.proto, not fd.port, in its errors', () => {
    expect(() => compileFilter('fd.proto intersects (53)', FIELDS)).toThrow(/fd\.proto supports only/);
  });
});

describe('PT_PORT values', () => {
  it('are digits (none is 0, 16 bits kept) or a service name, without blanks', () => {
    expect(integerValue('080', 'fd.sport', 1)).toBe(80);
    expect(integerValue('', 'fd.sport', 1)).toBe(0);
    expect(integerValue('70000', 'fd.sport', 1)).toBe(70000 & 0xffff);
    expect(integerValue('https', 'fd.sport', 1)).toBe(443);
    expect(() => integerValue(' 80', 'fd.sport', 1)).toThrow(/expected a port number or service name/);
    expect(() => integerValue('99999999999', 'fd.sport', 1)).toThrow(FilterError);
  });
});

describe('evt.rawarg values', () => {
  it('read by the type of the first parameter of that name in the event table', () => {
    expect(rawArgValueKind('fd', 1)).toBe('number');
    expect(rawArgValueKind('res', 1)).toBe('number');
    expect(rawArgValueKind('uid', 1)).toBe('number'); // the first "uid" is a UINT32
    expect(rawArgValueKind('name', 1)).toBe('text');
    for (const n of ['data', 'tuple', 'addr', 'euid', 'sig', 'fds', 'ppid', 'argv']) {
      expect(() => rawArgValueKind(n, 3), n).toThrow(/takes no value to compare with/);
    }
  });
});

describe('integer values', () => {
  it('are exact beyond 2^53, and wrap below 0 for unsigned fields', async () => {
    const { exactIntegerValue } = await import('../../inspect/filter/filter-values.js');
    expect(exactIntegerValue('1534527348515336663', 'evt.rawtime', 1)).toBe(1534527348515336663n);
    expect(exactIntegerValue('-1', 'evt.num', 1)).toBe(2n ** 64n - 1n);
    expect(exactIntegerValue('-1', 'user.uid', 1)).toBe(2n ** 32n - 1n);
    expect(exactIntegerValue(' -1', 'proc.pid', 1)).toBe(-1n);
    expect(exactIntegerValue('+7', 'fd.num', 1)).toBe(7n);
    expect(() => exactIntegerValue('0x10', 'fd.num', 1)).toThrow(/expected a number/);
  });

  // Every PT_UINT64, PT_RELTIME and PT_ABSTIME field of libsinsp 48dfd53's
  // tables (sinsp_filtercheck_event.cpp, _thread.cpp, _utils.cpp) wraps:
  // sinsp-example matches no event of test_ipv6_client with
  // `evt.latency.ns > -100` or `evt.reltime.s > -1`, every one with
  // `evt.type.is.open < -1` (PT_UINT32).
  it.each(['evt.buflen.file', 'evt.buflen.file.in', 'evt.buflen.file.out', 'evt.buflen.in', 'evt.buflen.net',
    'evt.buflen.net.in', 'evt.buflen.net.out', 'evt.buflen.out', 'evt.deltatime.ns', 'evt.latency.ns',
    'evt.latency.quantized', 'evt.latency.s', 'evt.rawtime.ns', 'evt.rawtime.s', 'evt.reltime', 'evt.reltime.ns',
    'evt.reltime.s', 'proc.pid.ts', 'proc.ppid.duration', 'proc.ppid.ts', 'util.cnt'])('wrap below 0 for the 64-bit %s', async (f) => {
    const { exactIntegerValue } = await import('../../inspect/filter/filter-values.js');
    expect(exactIntegerValue('-1', f, 1)).toBe(2n ** 64n - 1n);
  });

  it('wrap below 0 for evt.type.is, a PT_UINT32', async () => {
    const { exactIntegerValue } = await import('../../inspect/filter/filter-values.js');
    expect(exactIntegerValue('-1', 'evt.type.is', 1)).toBe(2n ** 32n - 1n);
  });
});
