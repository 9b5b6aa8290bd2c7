// String columns hold a capture string's bytes as they are when those bytes
// are UTF-8 (a UTF-8 path reads back as that path), and otherwise each byte
// as its own character, so that the column stays valid UTF-8 and nothing is
// lost. Capture strings are one char per byte (latin1) in scapkit.

import { Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { Int32, Utf8 } from 'apache-arrow';
import { columnText, Utf8Column, utf8ColumnBytes } from '../../convert/columns.js';
import { rowTableBatch, rowTableSchema, type RowColumn } from '../../convert/row-table.js';
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

  // The processes, files and connections tables are built from rows by
  // apache-arrow, which encodes JavaScript strings itself: it wrote each byte
  // of a UTF-8 name as a character (café as cafÃ©), so they did not join with
  // the events table on names.
  it('hold the same bytes in the row tables (processes, files, connections)', () => {
    const names = [Buffer.from('café', 'utf8'), Buffer.from('/tmp/日本.txt', 'utf8'), Buffer.from([0x6e, 0xe9]), Buffer.from('plain')];
    const columns: RowColumn<Buffer>[] = [['name', new Utf8(), false, (b) => captureText(b)], ['n', new Int32(), false, (b) => b.length]];
    const batch = rowTableBatch(rowTableSchema('test', columns), columns, names);
    const read = batch.getChild('name')!.toArray() as string[];
    expect(read.map((v) => Buffer.from(v, 'utf8'))).toEqual(names.map((b) => utf8ColumnBytes(captureText(b))));
    expect(read[0]).toBe('café');
    expect(columnText(captureText(Buffer.from([0x6e, 0xe9])))).toBe('n\u00e9');
  });

  it('name partitions by the same bytes', () => {
    expect(hiveValue(captureText(Buffer.from('café', 'utf8')))).toBe('caf%C3%A9');
    expect(hiveValue(captureText(Buffer.from([0x6e, 0xe9])))).toBe('n%C3%A9');
  });

  // The args column is written piece by piece (ArgsFormatter.argsTo): the
  // UTF-8 rule must still apply to the whole value, not to each piece (a
  // character split across pieces, an invalid byte in a later piece, a
  // char that is no byte at all).
  it('written in pieces, hold the bytes the joined value would', () => {
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    const alphabet = ['a', '/', '=', ' ', '(', '\u00c3', '\u00a9', '\u00e9', '\u00ff', '\u0100', '\u65e5', '\u00e6', '\u0097', '\u00a5'];
    const values: string[][] = [['op', 'en=', '/tmp/caf\u00c3', '\u00a9']];
    for (let i = 0; i < 400; i++) {
      const pieces: string[] = [];
      for (let p = rnd(5); p >= 0; p--) {
        let piece = '';
        for (let c = rnd(6); c > 0; c--) piece += alphabet[rnd(i % 3 === 0 ? alphabet.length : 5)]!;
        pieces.push(piece);
      }
      values.push(pieces);
    }
    const whole = new Utf8Column(4);
    const inPieces = new Utf8Column(4);
    for (const pieces of values) {
      whole.push(pieces.join(''));
      for (const p of pieces) inPieces.text(p);
      inPieces.endText();
    }
    const a = whole.flush();
    const b = inPieces.flush();
    expect(Buffer.from(b.values)).toEqual(Buffer.from(a.values));
    expect([...b.valueOffsets]).toEqual([...a.valueOffsets]);
    expect(new Vector([b]).get(0)).toBe('open=/tmp/caf\u00e9');
  });
});
