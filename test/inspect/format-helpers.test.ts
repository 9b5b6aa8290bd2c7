// The small printing helpers behind parameter rendering, each against the C
// behaviour it reproduces (glibc printf/inet_ntop, libsinsp utils.cpp).

import { describe, expect, it } from 'vitest';
import { bufferToAsciiOnly, bufferToDots, bufferToHex, renderFieldBuffer } from '../../inspect/format/buffers.js';
import { enumFlagsNames, flagsNames, modeNames } from '../../inspect/format/flag-names.js';
import { ipv6ToString, isIpv4MappedIpv6 } from '../../inspect/format/net.js';
import { concatenatePaths } from '../../inspect/state/paths.js';
import { formatAbsTime, formatFixed, formatFixed1, formatG } from '../../inspect/format/printf.js';
import { ip6 } from '../helpers/event-builder.js';

describe('formatG (%lg)', () => {
  it.each([
    [1.5, '1.5'], [1e-7, '1e-07'], [12345.678901234, '12345.7'], [0.0025, '0.0025'], [0, '0'],
    [1234565, '1.23456e+06'], // exact tie: glibc rounds half to even (confirmed with sinsp-example)
    [1234575, '1.23458e+06'], [999999.5, '1e+06'], [123456, '123456'], [0.0001, '0.0001'], [0.00001, '1e-05'],
    [1e21, '1e+21'], [1.8446744073709552e10, '1.84467e+10'], [100, '100'], [0.5, '0.5'], [2.5e-5, '2.5e-05'],
  ])('%d → %s', (x, want) => expect(formatG(x)).toBe(want));
});

describe('formatFixed1 (%.1f, as proc.fdusage and thread.cpu print)', () => {
  // Expected values: glibc printf("%.1f"). 10 open fds of 20000 is 0.05,
  // which sinsp-example printed as 0.1 on a live capture (it was 0.0 here
  // when 0.05 was taken for an exact tie).
  it.each([
    [(10 * 100) / 20000, '0.1'], [0.25, '0.2'], [0.75, '0.8'], [1.25, '1.2'], [12.75, '12.8'], [0.15, '0.1'],
    [0.45, '0.5'], [0.35, '0.3'], [0.125, '0.1'], [33.35, '33.4'], [99.95, '100.0'], [0.005, '0.0'], [2.5, '2.5'],
    [100 / 3, '33.3'], [0, '0.0'], [100, '100.0'], [37.5, '37.5'], [-0.25, '-0.2'],
  ])('%d → %s', (x, want) => expect(formatFixed1(x)).toBe(want));
});

describe('formatFixed (%.Nf)', () => {
  // Expected values: glibc printf. toFixed rounds an exact tie away from
  // zero, printf to the even digit (1.125 is 1.12; LuaJIT's string.format,
  // and so the chisels' format_bytes, rounds it as toFixed does).
  it.each([
    [1.125, 2, '1.12'], [1.375, 2, '1.38'], [-1.125, 2, '-1.12'], [0.125, 2, '0.12'], [1234.5625, 3, '1234.562'],
    [2.5, 0, '2'], [3.5, 0, '4'], [99.995, 2, '100.00'], [0.05, 1, '0.1'], [1.5, 1, '1.5'], [0, 2, '0.00'], [1e-7, 2, '0.00'],
  ])('%d with %d decimals → %s', (x, d, want) => expect(formatFixed(x, d)).toBe(want));
});

describe('renderFieldBuffer (a byte buffer as evt.buffer / evt.rawarg print it: 1,023 bytes of room)', () => {
  // sinsp-example on a capture with -s 4096 printed 1,021 chars of every
  // evt.buffer and evt.rawarg.data of 2,996 to 4,096 bytes (and evt.args whole).
  const bytes = (n: number, c = 0x61): Uint8Array => new Uint8Array(n).fill(c);
  it('normal: whole up to 1,022 bytes, then the first 1,021', () => {
    expect(renderFieldBuffer(bytes(1022))).toHaveLength(1022);
    expect(renderFieldBuffer(bytes(1023))).toHaveLength(1021);
    expect(renderFieldBuffer(bytes(4096))).toBe('a'.repeat(1021));
    expect(renderFieldBuffer(Uint8Array.of(0x41, 0, 0x42))).toBe('A.B');
  });
  it('eols: the leading newline counts, and dropped bytes do not', () => {
    expect(renderFieldBuffer(bytes(1020), 'eols')).toHaveLength(1021);
    expect(renderFieldBuffer(bytes(1021), 'eols')).toHaveLength(1022);
    expect(renderFieldBuffer(bytes(1022), 'eols')).toHaveLength(1021);
    expect(renderFieldBuffer(bytes(3000, 0x01), 'eols')).toBe('\n');
  });
  it('hex: whole rows that fit, then the newline', () => {
    const full = bufferToHex(bytes(4096), false);
    const cut = renderFieldBuffer(bytes(4096), 'hex');
    const row = '\n\t0x0000: 6161 6161 6161 6161 6161 6161 6161 6161'.length;
    expect(cut.length).toBe(Math.floor(1021 / row) * row + 1);
    expect(full.startsWith(cut.slice(0, -1))).toBe(true);
    expect(renderFieldBuffer(bytes(16), 'hex')).toBe(bufferToHex(bytes(16), false));
  });
});

describe('formatAbsTime', () => {
  it('prints UTC date, time and 9-digit nanoseconds', () => {
    expect(formatAbsTime(0n)).toBe('1970-01-01 00:00:00.000000000');
    expect(formatAbsTime(1700000000123456789n)).toBe('2023-11-14 22:13:20.123456789');
  });
});

describe('ipv6ToString (glibc inet_ntop)', () => {
  it.each([
    [ip6(0, 0, 0, 0, 0, 0, 0, 0), '::'],
    [ip6(0, 0, 0, 0, 0, 0, 0, 1), '::1'],
    [ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 3), '2001:db8::3'],
    [ip6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), '2001:db8::1:0:0:1'],
    [ip6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1), '2001:db8:0:1::1'],
    [ip6(1, 0, 2, 3, 4, 5, 6, 7), '1:0:2:3:4:5:6:7'],
    [ip6(0xfe80, 0, 0, 0, 0, 0, 0, 0), 'fe80::'],
    [ip6(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304), '::ffff:1.2.3.4'],
    [ip6(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), '::1.2.3.4'],
    [ip6(0, 0, 0, 0, 0, 0xfffe, 0x0102, 0x0304), '::fffe:102:304'],
    [ip6(0x2607, 0xf8b0, 0x4004, 0x802, 0, 0, 0, 0x2004), '2607:f8b0:4004:802::2004'],
  ])('%#', (b, want) => expect(ipv6ToString(b)).toBe(want));
  it('treats ::ffff:a.b.c.d and :: as IPv4 for tuples', () => {
    expect(isIpv4MappedIpv6(ip6(0, 0, 0, 0, 0, 0xffff, 1, 2))).toBe(true);
    expect(isIpv4MappedIpv6(ip6(0, 0, 0, 0, 0, 0, 0, 0))).toBe(true);
    expect(isIpv4MappedIpv6(ip6(0, 0, 0, 0, 0, 0, 0, 1))).toBe(false);
  });
});

describe('concatenatePaths (sinsp_utils::concatenate_paths)', () => {
  it.each([
    ['/home/u/', 'a', '/home/u/a'],
    ['/home/u/', './a/./b/', '/home/u/a/b'],
    ['/home/u/', '../../../..', '/'],
    ['/home/u/', '..', '/home'],
    ['', 'rel/./a/../b/', 'rel/b'],
    ['', '..', ''],
    ['', './x/', 'x'],
    ['/a/', '/abs//p/', '/abs/p'],
    ['/a/', '', ''],
    ['/a/', '.hidden', '/a/.hidden'],
    ['/a/', 'x/..', '/a'],
  ])('%s + %s → %s', (dir, path, want) => expect(concatenatePaths(dir, path)).toBe(want));
  it('gives libsinsp fixed text past 1023 bytes (SCAP_MAX_PATH_SIZE is 1024)', () => {
    // The driver keeps paths up to 4096 bytes, so longer ones do reach the join.
    const dir = '/' + 'd'.repeat(500) + '/';
    expect(concatenatePaths(dir, 'f'.repeat(1023 - dir.length))).toBe(dir + 'f'.repeat(1023 - dir.length));
    expect(concatenatePaths(dir, 'f'.repeat(1024 - dir.length))).toBe('/DIR_TOO_LONG/FILENAME_TOO_LONG');
    // An absolute path counts the directory too, as libsinsp's check does.
    expect(concatenatePaths(dir, '/' + 'a'.repeat(600))).toBe('/DIR_TOO_LONG/FILENAME_TOO_LONG');
    expect(concatenatePaths('/', '/' + 'a'.repeat(1021))).toBe('/' + 'a'.repeat(1021));
  });
});

describe('buffers', () => {
  it('dots: bytes 0x20..0x7e stay, others become .', () => {
    expect(bufferToDots(Buffer.from([0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 0x41]))).toBe('. ~...A');
    // Every byte value, and a buffer past the 4 KiB the dots are first built in.
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const want = Array.from({ length: 256 }, (_, i) => (i >= 0x20 && i <= 0x7e ? String.fromCharCode(i) : '.')).join('');
    expect(bufferToDots(all)).toBe(want);
    const big = Buffer.concat(Array.from({ length: 20 }, () => all));
    expect(bufferToDots(big)).toBe(want.repeat(20));
    expect(bufferToDots(all.subarray(0x41, 0x44))).toBe('ABC');
  });
  it('ascii only: \\r becomes \\n, \\n after \\r or first is dropped, other control bytes vanish', () => {
    expect(bufferToAsciiOnly(Buffer.from('\nA\r\nB\tC\n', 'latin1'), true)).toBe('A\nBC\n');
  });
  it('hex with ascii: rows of 16 bytes padded to 8 groups', () => {
    const b = Buffer.from('0123456789abcdefXYZ', 'latin1');
    expect(bufferToHex(b, true)).toBe(
      '\n\t0x0000: 3031 3233 3435 3637 3839 6162 6364 6566  0123456789abcdef' +
      '\n\t0x0010: 5859 5a' + ' '.repeat(5 * 6) + '  XYZ\n');
  });
});

describe('flag names', () => {
  const table = [{ name: 'RW', value: 3 }, { name: 'W', value: 2 }, { name: 'R', value: 1 }, { name: 'X', value: 8 }, { name: 'NONE', value: 0 }];
  it('flags take bits in table order and stop at an entry equal to the whole value', () => {
    expect(flagsNames(11, table)).toBe('RW|X');
    expect(flagsNames(2, table)).toBe('W');
    expect(flagsNames(0, table)).toBe('NONE');
    expect(flagsNames(16, table)).toBe('');
  });
  it('enum flags list every equal entry', () => {
    expect(enumFlagsNames(2, [...table, { name: 'W2', value: 2 }])).toBe('W|W2');
  });
  it('mode stops before the equal entry and appends it', () => {
    expect(modeNames(9, [{ name: 'A', value: 1 }, { name: 'B', value: 9 }, { name: 'C', value: 8 }])).toBe('A|B');
    expect(modeNames(0, table)).toBe('NONE');
  });
});
