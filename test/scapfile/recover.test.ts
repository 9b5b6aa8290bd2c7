// `recover`: after damage, reading resumes at the next valid block and every
// event outside the damaged bytes is kept (issue 9).
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ScapFormatError } from '../../scapfile/errors.js';
import { chunkedStream, readCapture, readUntilError, tempDir } from '../helpers/capture-builder.js';
import type { ReadEvent } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { FIXTURES, capturePath } from '../helpers/fixtures.js';

interface Block { at: number; type: number; len: number }

function blocksOf(bytes: Buffer): Block[] {
  const out: Block[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const len = bytes.readUInt32LE(at + 4);
    out.push({ at, type: bytes.readUInt32LE(at), len });
    at += len;
  }
  return out;
}

const EVENT_BLOCK_TYPES = new Set([0x204, 0x208, 0x216, 0x217, 0x221, 0x222]);
const key = (e: ReadEvent): string => `${e.ts}/${e.tid}/${e.type}/${e.len}/${e.params.join(',')}`;

const FLAGGED = new Set([0x208, 0x217, 0x222]);
const OLD_LAYOUT = new Set([0x204, 0x208]);
/** Offset of the event in an event block, and of its first parameter length. */
const eventAt = (blk: Block): number => blk.at + 8 + 2 + (FLAGGED.has(blk.type) ? 4 : 0);
const firstParamLenAt = (blk: Block): number => eventAt(blk) + (OLD_LAYOUT.has(blk.type) ? 22 : 26);

/**
 * Ways one block gets damaged, each leaving the bytes around it intact. (A
 * wrong trailer is not among them: libscap never reads an event block's
 * trailer, and the reader keeps such a block, with a warning.)
 */
const DAMAGE: Record<string, (b: Buffer, blk: Block) => void> = {
  'length too large': (b, blk) => { b.writeUInt32LE(blk.len + 40, blk.at + 4); },
  'length zero': (b, blk) => { b.writeUInt32LE(0, blk.at + 4); },
  'zeroed block': (b, blk) => { b.fill(0, blk.at, blk.at + blk.len); },
  'parameter length': (b, blk) => { b.writeUInt16LE(0xffff, firstParamLenAt(blk)); },
  'event length': (b, blk) => { b.writeUInt32LE(7, eventAt(blk) + 16); },
  'random bytes': (b, blk) => { for (let i = 0; i < blk.len; i++) b[blk.at + i] = (i * 7919 + 13) & 0xff; },
};

describe('recover: a damaged block in the middle of each fixture', () => {
  for (const name of FIXTURES) {
    const bytes = gunzipSync(readFileSync(capturePath(name)));
    const blocks = blocksOf(bytes);
    const events = blocks.filter((b) => EVENT_BLOCK_TYPES.has(b.type));
    // An event with a parameter, so that its first parameter length exists.
    const damaged = events.slice(Math.floor(events.length / 2)).find((blk) => firstParamLenAt(blk) + 2 <= blk.at + blk.len - 4)!;

    it(`${name}: keeps every event outside the damaged block, for each kind of damage`, async () => {
      const clean = await readCapture(bytes);
      expect(clean.events.length).toBe(events.length);
      const kept = clean.events.filter((e) => e.blockOffset !== damaged.at).map(key);
      expect(kept.length).toBe(events.length - 1);
      for (const [what, damage] of Object.entries(DAMAGE)) {
        const b = Buffer.from(bytes);
        damage(b, damaged);
        const strict = await readUntilError(b);
        expect(strict.error, what).toBeInstanceOf(ScapFormatError);
        const r = await readCapture(b, { recover: true });
        expect(r.events.map(key), what).toEqual(kept);
        expect(r.capture.stats.skippedRegions, what).toBe(1);
        expect(r.capture.stats.skippedBytes, what).toBe(damaged.len);
        const w = r.capture.warnings.find((x) => x.message.startsWith('recovered:'));
        expect(w?.offset, what).toBe(damaged.at);
      }
    });
  }
});

describe('recover: other damage', () => {
  const bytes = gunzipSync(readFileSync(capturePath('single_ipv6_conn')));
  const blocks = blocksOf(bytes);
  const events = blocks.filter((b) => EVENT_BLOCK_TYPES.has(b.type));
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('a damaged run of several blocks costs only the events inside it', async () => {
    const clean = await readCapture(bytes);
    const first = events[300]!;
    const last = events[304]!;
    const b = Buffer.from(bytes);
    b.fill(0xaa, first.at + 3, last.at + last.len - 2);
    const r = await readCapture(b, { recover: true });
    const lost = new Set(events.slice(300, 305).map((e) => e.at));
    expect(r.events.map(key)).toEqual(clean.events.filter((e) => !lost.has(e.blockOffset)).map(key));
    expect(r.capture.stats.skippedBytes).toBe(last.at + last.len - first.at);
  });

  it('gives the same events however the input is chunked', async () => {
    const b = Buffer.from(bytes);
    DAMAGE['length too large']!(b, events[777]!);
    const whole = await readCapture(b, { recover: true });
    const drips = await readCapture(chunkedStream(b, 7), { recover: true });
    const file = await readCapture(tmp.file('damaged.scap', b), { recover: true });
    expect(drips.events.map(key)).toEqual(whole.events.map(key));
    expect(file.events.map(key)).toEqual(whole.events.map(key));
    expect(drips.capture.warnings).toEqual(whole.capture.warnings);
  });

  it('skips a damaged state block before the first event and keeps the others', async () => {
    const state = blocks.filter((b) => b.type !== 0x0a0d0d0a && !EVENT_BLOCK_TYPES.has(b.type));
    const proclist = state.find((b) => b.type === 0x215 || (b.type >= 0x202 && b.type <= 0x214))!;
    const b = Buffer.from(bytes);
    b.writeUInt32LE(proclist.len + 1000, proclist.at + 4);
    const strict = await readUntilError(b);
    expect(strict.error).toBeInstanceOf(ScapFormatError);
    const clean = await readCapture(bytes);
    const r = await readCapture(b, { recover: true });
    expect(r.events.map(key)).toEqual(clean.events.map(key));
    expect(r.capture.info.stateBlocks.length).toBe(clean.capture.info.stateBlocks.length - 1);
    expect(r.capture.warnings[0]!.offset).toBe(proclist.at);
  });

  it('a length running past the end: the blocks after it are still found', async () => {
    const clean = await readCapture(bytes);
    const victim = events[events.length - 10]!;
    const b = Buffer.from(bytes);
    b.writeUInt32LE(0x00100000, victim.at + 4 + 0); // 1 MiB: more than the rest of the file
    b.writeUInt32LE(0x204, victim.at); // and an old event block type, so the small-block limit does not catch it
    const r = await readCapture(b, { recover: true });
    expect(r.events.map(key)).toEqual(clean.events.filter((e) => e.blockOffset !== victim.at).map(key));
  });

  it('scans a large damaged region at the speed of reading, not a byte per chunk join', async () => {
    // 16 MiB of zeros after the 500th event block, read from a file in 1 MiB
    // chunks: the scan joined 8 bytes at a time and took ~30 s (0.5 MB/s).
    const at = events[500]!.at;
    const b = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(16 << 20), bytes.subarray(at)]);
    const path = tmp.file('zero-hole.scap', b);
    const t0 = Date.now();
    const r = await readCapture(path, { recover: true });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.events.length).toBe((await readCapture(bytes)).events.length);
    expect(r.capture.warnings.map((w) => w.message)).toEqual([expect.stringMatching(new RegExp(`skipped ${16 << 20} damaged bytes at offsets ${at}\\.\\.${at + (16 << 20)} .*reading resumed at the next valid block, at offset ${at + (16 << 20)}$`))]);
  }, 60_000);

  it('damage at the very end: every event before it, and a warning', async () => {
    const last = events[events.length - 1]!;
    const b = Buffer.from(bytes.subarray(0, last.at + last.len - 5));
    const r = await readCapture(b, { recover: true });
    expect(r.events.length).toBe(events.length - 1);
    expect(r.capture.warnings.map((w) => w.offset)).toContain(last.at);
  });

  it('a damaged section header is still an error: there is nothing to resynchronise to', async () => {
    const b = Buffer.from(bytes);
    b.writeUInt32LE(0x11111111, 8);
    const r = await readUntilError(Readable.from([b]), { recover: true });
    expect(r.error).toBeInstanceOf(ScapFormatError);
  });

  it('scap read --recover: exit 0, the events outside the damage, a warning with the offset', () => {
    const b = Buffer.from(bytes);
    const victim = events[500]!;
    DAMAGE['zeroed block']!(b, victim);
    const path = tmp.file('read-recover.scap', b);
    const strict = scap(['read', '--count', path]);
    expect(strict.status).toBe(1);
    const r = scap(['read', '--count', '--recover', path]);
    expect(r.status).toBe(0);
    expect(Number(r.stdout.trim())).toBeGreaterThan(1700);
    expect(r.stderr).toContain(`skipped ${victim.len} damaged bytes at offsets ${victim.at}..${victim.at + victim.len}`);
    // Said once: it ended with "(offset ${victim.at})" too.
    expect(r.stderr).toMatch(/reading resumed at the next valid block, at offset \d+\n/);
    expect(scap(['read', '--count', '--recover', '--strict', path]).status).toBe(1);
  });

  it('scap convert --recover writes a clean capture that reads without --recover', () => {
    const b = Buffer.from(bytes);
    DAMAGE['zeroed block']!(b, events[900]!);
    const path = tmp.file('convert-recover.scap', b);
    const out = `${tmp.dir}/salvaged.scap`;
    const r = scap(['convert', path, '-o', out, '--recover', '-q']);
    expect(r.status).toBe(0);
    const back = scap(['read', '--count', out]);
    expect(back.status).toBe(0);
    expect(back.stderr).toBe('');
    const direct = scap(['read', '--count', '--recover', path]);
    expect(back.stdout).toBe(direct.stdout);
  });
});
