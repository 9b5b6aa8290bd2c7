import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeCommand } from '../../cli/commands/merge.js';
import { CaptureWriter, PartialOutputError, mergeCaptures } from '../../scapfile/writer/index.js';
import { ScapFormatError } from '../../scapfile/errors.js';
import type { CaptureState } from '../../scapfile/state-blocks/index.js';
import { readCapture, tempDir } from '../helpers/capture-builder.js';
import { capturePath } from '../helpers/fixtures.js';
import { batchOf, captureState, randomEvent } from '../scapfile/writer/random-captures.js';
import type { RandomEvent } from '../scapfile/writer/random-captures.js';

const tmp = tempDir('scapkit-merge-');
afterAll(() => tmp.cleanup());

type Args = Parameters<NonNullable<typeof mergeCommand.handler>>[0];

async function writeFile(path: string, state: CaptureState, events: readonly RandomEvent[]): Promise<void> {
  const w = await CaptureWriter.open(path, { force: true, sync: false });
  await w.writeState(state);
  for (let i = 0; i < events.length; i += 5) await w.writeBatch(batchOf(events.slice(i, i + 5)));
  await w.close();
}

describe('scap merge', () => {
  it('interleaves two fixtures by timestamp and keeps the threads of both', async () => {
    const out = join(tmp.dir, 'two.scap.gz');
    await Promise.resolve(mergeCommand.handler({
      _: [], $0: 'scap', files: [capturePath('curl_google'), capturePath('test_ipv6_client')], output: out,
      force: false, strict: false, quiet: true,
    } as Args));
    const a = await readCapture(capturePath('curl_google'));
    const b = await readCapture(capturePath('test_ipv6_client'));
    const m = await readCapture(out);
    expect(m.events.length).toBe(a.events.length + b.events.length);
    // Each input's events appear in their own order.
    const keyOf = (e: { ts: bigint; tid: number; type: number; params: string[] }): string => `${e.ts}/${e.tid}/${e.type}/${e.params.join(',')}`;
    const fromA = new Set(a.events.map(keyOf));
    expect(m.events.filter((e) => fromA.has(keyOf(e))).map(keyOf)).toEqual(a.events.map(keyOf));
    const tids = new Set(m.capture.info.threads.map((t) => t.tid));
    for (const t of [...a.capture.info.threads, ...b.capture.info.threads]) expect(tids.has(t.tid)).toBe(true);
    expect(m.capture.info.fds.length).toBe(a.capture.info.fds.length + b.capture.info.fds.length);
  });

  it('an error names the input its offset is in', async () => {
    // One block past 60% of curl_google gets length 5: the second input is damaged there.
    const bytes = gunzipSync(readFileSync(capturePath('curl_google')));
    let at = 0;
    while (at < bytes.length * 0.6) at += bytes.readUInt32LE(at + 4);
    const damaged = Buffer.from(bytes);
    damaged.writeUInt32LE(5, at + 4);
    const bad = tmp.file('damaged.scap', damaged);
    const good = capturePath('test_ipv6_client');
    const mid = await mergeCaptures([good, bad], join(tmp.dir, 'mid.scap'), { force: true }).catch((e: unknown) => e);
    // The output keeps what was merged before it (PartialOutputError, its cause the reader's error).
    expect(mid).toBeInstanceOf(PartialOutputError);
    expect((mid as PartialOutputError).cause.offset).toBe(at + 4);
    expect((mid as Error).message).toMatch(new RegExp(`^scap: ${bad}: block length 5 is shorter .*, at offset ${at + 4} \\(event block`));
    // At open: the section header of the second input is cut short.
    const cut = tmp.file('cut.scap', bytes.subarray(0, 12));
    const open = await mergeCaptures([good, cut], join(tmp.dir, 'open.scap'), { force: true }).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(ScapFormatError);
    expect((open as Error).message).toMatch(new RegExp(`^scap: ${cut}: input ends inside the section header`));
  });

  it('property: pieces of a time-sorted capture merge back into it', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(
      captureState,
      fc.array(randomEvent, { maxLength: 40 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
      async (state, events, k, picks) => {
        // Distinct, increasing timestamps: the merged order is then unique.
        const sorted = events.map((e, i) => ({ ...e, ts: 1_000_000n + BigInt(i) * 7n }));
        const pieces: RandomEvent[][] = Array.from({ length: k }, () => []);
        sorted.forEach((e, i) => pieces[picks[i]! % k]!.push(e));
        const paths = pieces.map((_, j) => join(tmp.dir, `p${run}-${j}.scap`));
        for (const [j, p] of pieces.entries()) await writeFile(paths[j]!, j === 0 ? state : { ...state, machine: undefined }, p);
        const sink = new PassThrough();
        const parts: Buffer[] = [];
        sink.on('data', (c: Buffer) => parts.push(c));
        await mergeCaptures(paths, sink, { compression: 'zstd' });
        const back = await readCapture(Buffer.concat(parts));
        expect(back.events.map((e) => [e.ts, e.type, e.cpu, e.flags, e.params])).toEqual(
          sorted.map((e) => [e.ts, e.type, e.cpu, e.flags, e.params.map((p) => p.toString('hex'))]));
        expect(back.capture.info.machine).toEqual(state.machine);
        expect(back.capture.info.threads.length).toBe(state.threads.length * k);
        run++;
      },
    ), { numRuns: 30 });
  });
});
