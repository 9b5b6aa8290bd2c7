// Capture strings are bytes, one char per byte (latin1), everywhere: in
// state, in rendered arguments, in what is printed. A UTF-8 path used to be
// decoded as UTF-8 by state replay and then written as latin1, so fd.name,
// proc.exe and friends printed "caf\xe9" where sinsp prints the recorded
// bytes "caf\xc3\xa9". Filter values and a format's own text, typed in
// UTF-8, are taken as their bytes too.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { jsonString } from '../../inspect/format/json.js';
import { StateReplay, type InitialState } from '../../inspect/state/index.js';
import { userTextAsCaptureText } from '../../scapfile/bytes.js';
import { defaultThreadInfo } from '../../scapfile/state-blocks/index.js';
import { evn, i64, replay, str, strList, u32, u64 } from '../helpers/synthetic-events.js';

const PATH = '/tmp/café-ü.txt';
const PATH_BYTES = Buffer.from(PATH, 'utf8');

function init(): InitialState {
  return { threads: [{ ...defaultThreadInfo(), tid: 7, pid: 7, vtid: 7, vpid: 7, ptid: 1, comm: 'touch' }], fds: [], interfaces: [] };
}

/** Replays an openat of PATH (UTF-8) by tid 7 and gives the line `format` prints for it, as bytes, and whether `filter` matches. */
function openat(format: string, filter: string): { line: Buffer; matched: boolean; state: StateReplay } {
  const state = new StateReplay(init());
  const render = compileFormat(format, FIELDS);
  const matches = compileFilter(filter, FIELDS);
  let line = Buffer.alloc(0);
  let matched = false;
  const open = evn('SYSCALL_OPENAT_2_X', 7, {
    fd: i64(3), dirfd: i64(-100), name: str(PATH), flags: u32(0), mode: u32(0), dev: u32(0), ino: u64(0),
  });
  replay([open], (ev) => {
    state.apply(ev);
    const ctx = { state };
    // Printed as the CLI prints: one byte per char.
    const text = render(ev, ctx);
    if (text === undefined) throw new Error(`'${format}' prints no line for the openat`);
    line = Buffer.from(text, 'latin1');
    matched = matches(ev, ctx);
  });
  return { line, matched, state };
}

describe('capture text is bytes', () => {
  it('keeps the recorded bytes of a UTF-8 path in state, and prints them back as recorded', () => {
    const { line, state } = openat('%fd.name|%evt.arg.name', 'fd.num = 3');
    expect(state.fd(7, 3)?.name).toBe(PATH_BYTES.toString('latin1'));
    expect(line).toEqual(Buffer.concat([PATH_BYTES, Buffer.from('|'), PATH_BYTES]));
  });

  it('matches filter values typed in UTF-8 against those bytes, quoted or bare', () => {
    expect(openat('%fd.name', 'fd.name contains café').matched).toBe(true);
    expect(openat('%fd.name', `fd.name = "${PATH}"`).matched).toBe(true);
    expect(openat('%fd.name', 'fd.name in (/x, /tmp/café-ü.txt)').matched).toBe(true);
    expect(openat('%fd.name', 'fd.name contains cafe').matched).toBe(false);
  });

  it("prints a format's own UTF-8 text as its bytes", () => {
    expect(openat('→ %fd.num é', 'fd.num = 3').line).toEqual(Buffer.from('→ 3 é', 'utf8'));
  });

  it('leaves ASCII text as it is and maps other text to the chars of its UTF-8 bytes', () => {
    const ascii = 'proc.name = bash';
    expect(userTextAsCaptureText(ascii)).toBe(ascii);
    expect(userTextAsCaptureText('é')).toBe('\u00c3\u00a9');
    expect(Buffer.from(userTextAsCaptureText('日本'), 'latin1')).toEqual(Buffer.from('日本', 'utf8'));
  });

  it('keeps process arguments as bytes too', () => {
    const state = new StateReplay(init());
    const exec = evn('SYSCALL_EXECVE_19_X', 7, { res: i64(0), exe: str('/bin/écho'), args: strList(['ünïcode']), comm: str('écho') });
    replay([exec], (ev) => state.apply(ev));
    const t = state.thread(7)!;
    expect(Buffer.from(t.exe, 'latin1')).toEqual(Buffer.from('/bin/écho', 'utf8'));
    expect(Buffer.from(t.args[0]!, 'latin1')).toEqual(Buffer.from('ünïcode', 'utf8'));
    expect(Buffer.from(t.comm, 'latin1')).toEqual(Buffer.from('écho', 'utf8'));
  });

  // Expected strings are what sinsp-example -j printed for files of these
  // names, captured with scap-capture (jsoncpp reads bytes as UTF-8 leniently).
  it.each([
    ['UTF-8 two-byte', [0x63, 0x61, 0x66, 0xc3, 0xa9], '"caf\\u00e9"'],
    ['beyond the BMP', [0x62, 0xf0, 0x9f, 0x98, 0x80], '"b\\ud83d\\ude00"'],
    ['overlong', [0x63, 0xc0, 0x80, 0x64], '"c\\ufffdd"'],
    ['surrogate', [0x64, 0xed, 0xa0, 0x80, 0x65], '"d\\ufffde"'],
    ['a lead byte that takes ASCII as continuation', [0x61, 0xe9, 0x29, 0x20, 0x64], '"a\\u9a60d"'],
    ['a sequence cut short by the end', [0x78, 0xe9], '"x\\ufffd"'],
    ['ASCII escapes as JSON.stringify', [0x68, 0x22, 0x5c, 0x01, 0x7f, 0xe9], '"h\\"\\\\\\u0001\x7f\\ufffd"'],
  ])('writes JSON strings as sinsp does: %s', (_name, bytes, json) => {
    expect(jsonString(Buffer.from(bytes).toString('latin1'))).toBe(json);
  });

  it('writes every ASCII string as JSON.stringify does, plain or with escapes', () => {
    // Seeded: the same 2000 strings every run, over all 128 ASCII chars, half of them from printable ones only.
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    for (let k = 0; k < 2000; k++) {
      const len = rnd(40);
      let str = '';
      for (let i = 0; i < len; i++) str += String.fromCharCode(k % 2 ? 0x20 + rnd(0x5f) : rnd(0x80));
      expect(jsonString(str), JSON.stringify(str)).toBe(JSON.stringify(str));
    }
  });
});
