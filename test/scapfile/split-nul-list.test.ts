// splitNulList (args, env and cgroups, in events and in process lists)
// against a byte-by-byte model of sinsp_split after one trailing NUL is
// dropped: it now decodes the list at once and splits the string, which must
// give the same items for any bytes, empty items and high bytes included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitNulList } from '../../scapfile/bytes.js';

function model(bytes: number[]): string[] {
  const b = bytes[bytes.length - 1] === 0 ? bytes.slice(0, -1) : bytes;
  if (b.length === 0) return [];
  const out: string[] = [];
  let item = '';
  for (const x of b) {
    if (x === 0) { out.push(item); item = ''; } else item += String.fromCharCode(x);
  }
  out.push(item);
  return out;
}

describe('splitNulList', () => {
  it.each([
    [[], []],
    [[0], []],
    [[0, 0], ['', '']],
    [[0x61], ['a']],
    [[0x61, 0], ['a']],
    [[0x61, 0, 0], ['a', '']],
    [[0, 0x61], ['', 'a']],
    [[0x61, 0, 0x62, 0], ['a', 'b']],
    [[0xc3, 0xa9, 0, 0xff], ['\u00c3\u00a9', '\u00ff']],
  ])('%j splits into %j', (bytes, items) => {
    expect(splitNulList(Buffer.from(bytes), 0, bytes.length)).toEqual(items);
  });

  it('reads only its range of a larger buffer', () => {
    const buf = Buffer.from([0x78, 0x61, 0, 0x62, 0, 0x79]);
    expect(splitNulList(buf, 1, 5)).toEqual(['a', 'b']);
    expect(splitNulList(buf, 3, 3)).toEqual([]);
  });

  it('agrees with the model on any bytes', () => {
    const byte = fc.constantFrom(0, 0, 0x20, 0x61, 0x3d, 0x7f, 0x80, 0xe9, 0xff);
    fc.assert(fc.property(fc.array(byte, { maxLength: 64 }), fc.nat(8), (bytes, pad) => {
      const buf = Buffer.concat([Buffer.alloc(pad, 0x41), Buffer.from(bytes), Buffer.alloc(pad, 0x42)]);
      expect(splitNulList(buf, pad, pad + bytes.length)).toEqual(model(bytes));
    }), { numRuns: 2000 });
  });
});
