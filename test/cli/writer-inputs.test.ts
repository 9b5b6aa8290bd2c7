// The commands that write captures (convert, cut, merge) and their inputs:
// an output that is an input however it is spelled (cut --force used to
// delete its input before reading it), stdin (`-`) as an input, the same
// file named twice, an output left without events (libscap refuses such a
// file), a damaged input (the output keeps the events before the damage,
// complete, or goes), a missing input (no output is created), and captures
// of different machines whose process and user ids clash.

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureWriteError } from '../../scapfile/writer/index.js';
import { readCapture, tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';

const tmp = tempDir('scapkit-writer-inputs-');
afterAll(() => tmp.cleanup());

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Offsets of the blocks of a plain capture. */
function blockOffsets(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += bytes.readUInt32LE(at + 4)) out.push(at);
  return out;
}

let plain: string;
let damaged: string;
/** Event blocks of `plain` before the damaged one. */
let blocksBeforeDamage: number;

beforeAll(() => {
  plain = join(tmp.dir, 'plain.scap');
  expect(scap(['convert', capturePath('scapkit_sysmix'), '-o', plain, '--compression', 'none', '-q']).status).toBe(0);
  const bytes = readFileSync(plain);
  const offsets = blockOffsets(bytes);
  // Block 3000 (an event block well past the state blocks) gets a length no block can have.
  const bad = Buffer.from(bytes);
  bad.writeUInt32LE(7, offsets[3000]! + 4);
  damaged = join(tmp.dir, 'damaged.scap');
  writeFileSync(damaged, bad);
  // Event blocks, with flags (0x217: the fixture's state-only events) or without.
  blocksBeforeDamage = offsets.slice(0, 3000).filter((at) => [0x216, 0x217].includes(bytes.readUInt32LE(at))).length;
});

describe('an output that is an input', () => {
  for (const [cmd, extra] of [['cut', ['-n', '5']], ['convert', []], ['merge', []]] as const) {
    it(`scap ${cmd} refuses it, even with --force and spelled another way, and leaves the input as it was`, () => {
      const input = join(tmp.dir, `self-${cmd}.scap`);
      copyFileSync(plain, input);
      const before = digest(input);
      mkdirSync(join(tmp.dir, 'sub'), { recursive: true });
      const other = `${tmp.dir}/sub/../self-${cmd}.scap`;
      for (const out of [input, other]) {
        const r = scap([cmd, input, '-o', out, '--force', ...extra]);
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toMatch(/is the input.*write to another file/);
      }
      expect(digest(input)).toBe(before);
    });
  }
});

describe('stdin as an input', () => {
  const stdin = readFileSync(capturePath('scapkit_sysmix'));
  it('scap convert - and scap cut - read it', async () => {
    const a = join(tmp.dir, 'stdin-convert.scap');
    expect(scap(['convert', '-', '-o', a, '-q'], stdin).status).toBe(0);
    expect((await readCapture(a)).events.length).toBe((await readCapture(plain)).events.length);
    const b = join(tmp.dir, 'stdin-cut.scap');
    const r = scap(['cut', '-', '-o', b, '-n', '10'], stdin);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^scap: kept 10 of/);
  });

  it('scap merge takes - as one of its inputs', async () => {
    const out = join(tmp.dir, 'stdin-merge.scap');
    const r = scap(['merge', '-', capturePath('curl_google'), '-o', out], stdin);
    expect(r.stderr).toMatch(/of 2 captures/);
    const m = await readCapture(out);
    const a = await readCapture(plain);
    const b = await readCapture(capturePath('curl_google'));
    expect(m.events.length).toBe(a.events.length + b.events.length);
  });
});

describe('scap merge', () => {
  it('refuses a capture named twice (every event would be there twice)', () => {
    mkdirSync(join(tmp.dir, 'sub'), { recursive: true });
    const r = scap(['merge', plain, `${tmp.dir}/sub/../plain.scap`, '-o', join(tmp.dir, 'twice.scap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/are the same file; name each capture once/);
    expect(existsSync(join(tmp.dir, 'twice.scap'))).toBe(false);
  });

  it('warns when captures of different machines give one tid or uid to different processes or users', () => {
    const out = join(tmp.dir, 'hosts.scap');
    const r = scap(['merge', capturePath('single_ipv6_conn'), capturePath('curl_google'), '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('the inputs come from different machines (ubuntu, ip-10-0-0-79): 2 thread ids name other processes in different inputs (1, 1420)');
    expect(r.stderr).toMatch(/user ids name other users in different inputs/);
    expect(scap(['merge', capturePath('single_ipv6_conn'), capturePath('curl_google'), '-o', out, '--force', '--strict']).status).toBe(1);
    // Pieces of one machine do not clash.
    const piece = join(tmp.dir, 'piece.scap');
    expect(scap(['cut', plain, '-o', piece, '-n', '100', '-q']).status).toBe(0);
    const r2 = scap(['merge', piece, plain, '-o', join(tmp.dir, 'pieces.scap')]);
    expect(r2.stderr).not.toMatch(/warning/);
  });
});

describe('an output without events', () => {
  it('is written with a warning that libscap will not open it, an error with --strict', () => {
    const out = join(tmp.dir, 'none.scap');
    const r = scap(['cut', plain, '-o', out, '-f', 'proc.name = nonexistent']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('none.scap holds no events; libscap (sysdig, Falco) will not open it');
    expect(scap(['cut', plain, '-o', out, '-f', 'proc.name = nonexistent', '--force', '--strict', '-q']).status).toBe(1);
  });
});

describe('a damaged input', () => {
  for (const cmd of ['convert', 'cut'] as const) {
    it(`scap ${cmd}: the output is a complete capture of the event blocks before the damage`, async () => {
      const out = join(tmp.dir, `damaged-${cmd}.scap`);
      const r = scap([cmd, damaged, '-o', out]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`at offset ${blockOffsets(readFileSync(plain))[3000]! + 4}`);
      expect(r.stderr).toContain(`${out} holds the ${blocksBeforeDamage} event blocks before it, a complete capture`);
      const back = await readCapture(out);
      expect(back.capture.warnings).toEqual([]);
      expect(back.events.length).toBe(blocksBeforeDamage);
    });
  }

  it('damaged before its first event: no output is left', () => {
    const bytes = Buffer.from(readFileSync(plain));
    const firstEvent = blockOffsets(bytes).find((at) => [0x216, 0x217].includes(bytes.readUInt32LE(at)))!;
    bytes.writeUInt32LE(7, firstEvent + 4);
    const out = join(tmp.dir, 'no-events.scap');
    const r = scap(['convert', tmp.file('damaged-first.scap', bytes), '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/block length 7/);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing input: no output is created', () => {
    const out = join(tmp.dir, 'from-missing.scap');
    const r = scap(['cut', join(tmp.dir, 'missing.scap'), '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot open .*missing\.scap: no such file/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a stream whose reader went away', () => {
  it('is not said to keep anything in a file', () => {
    const e = new CaptureWriteError('stdout', 100, Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), true);
    expect(e.message).toBe('cannot write stdout: the reader went away (EPIPE); 100 bytes of complete blocks went out before');
  });
});
