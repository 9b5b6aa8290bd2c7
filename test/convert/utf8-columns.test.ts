// String columns hold a capture string's bytes as they are when those bytes
// are UTF-8 (a UTF-8 path reads back as that path), and otherwise each byte
// as its own character, so that the column stays valid UTF-8 and nothing is
// lost. Capture strings are one char per byte (latin1) in scapkit.

import { Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { Utf8Column, utf8ColumnBytes } from '../../convert/columns.js';
import { hiveValue } from '../../convert/index.js';

/** The string a capture's bytes become in scapkit. */
const captureText = (bytes: Buffer): string => bytes.toString('latin1');

describe('utf8 columns of capture strings', () => {
  it('keep UTF-8 bytes as they are', () => {
    const path = Buffer.from('/tmp/café-ü/日本.txt', 'utf8');
    expect(utf8ColumnBytes(captureText(path))).toEqual(path);
  });

  it('map bytes that are not UTF-8 to the characters of the same codes', () => {
    const bytes = Buffer.from([0x61, 0xe9, 0x62, 0xff]);
    expect(utf8ColumnBytes(captureText(bytes)).toString('utf8')).toBe('a\u00e9b\u00ff');
  });

  it('read back through Arrow, short and long, ASCII or not', () => {
    const long = '/srv/' + 'd'.repeat(80) + '/ü.log';
    const values = ['plain', '/tmp/café', long, 'bad\u00e9', 'x'.repeat(100)];
    const col = new Utf8Column(8);
    for (const v of values) col.push(captureText(Buffer.from(v, 'utf8')));
    col.push(captureText(Buffer.from([0x6e, 0xe9])));
    const read = new Vector([col.flush()]).toArray();
    expect(read).toEqual([...values, 'n\u00e9']);
  });

  it('name partitions by the same bytes', () => {
    expect(hiveValue(captureText(Buffer.from('café', 'utf8')))).toBe('caf%C3%A9');
    expect(hiveValue(captureText(Buffer.from([0x6e, 0xe9])))).toBe('n%C3%A9');
  });
});
