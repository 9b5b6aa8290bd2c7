// The short, fixed-seed fuzz run of CI (issue 9); `npm run fuzz` is the long
// one. Every mutated input must end as a clean read or as one of the two
// error classes of damaged input, within a time bound.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSeeds } from './seeds.js';
import { indexSeed, loadZstd, mutate, type Seed } from './mutate.js';
import { runPipeline } from './pipeline.js';
import { EventBlockKind, eventBlockHasFlags, eventBlockKind } from '../../scapfile/block-types.js';

const INPUTS = Number(process.env.SCAPKIT_FUZZ_INPUTS ?? 1500);
const BOUND_MS = 5000;

describe('fuzz (short run)', () => {
  let seeds: Seed[];
  beforeAll(async () => {
    await loadZstd();
    seeds = buildSeeds();
  });

  it('seeds are valid captures that read cleanly', async () => {
    for (const s of seeds) {
      const r = await runPipeline(s.bytes, { recover: false, convert: false });
      expect(r.outcome, s.name).toBe('ok');
      // A window of only flagged blocks (a cut's state-only events) returns none.
      const plain = s.blocks.some((b) => eventBlockKind(b.type) !== EventBlockKind.None && !eventBlockHasFlags(b.type));
      if (plain) expect(r.events, s.name).toBeGreaterThan(0);
    }
  });

  it('the same id always gives the same input', () => {
    for (const id of [0, 1, 77, 1234]) {
      expect(mutate(seeds, 7, id).bytes.equals(mutate(seeds, 7, id).bytes)).toBe(true);
    }
    expect(mutate(seeds, 7, 1).bytes.equals(mutate(seeds, 8, 1).bytes)).toBe(false);
  });

  it(`${INPUTS} mutated inputs through reader, state, filter, formats, ptree and export: no crash, no hang`, async () => {
    const outcomes: Record<string, number> = {};
    const failures: string[] = [];
    for (let id = 0; id < INPUTS; id++) {
      const input = mutate(seeds, 7, id);
      const t0 = performance.now();
      try {
        const r = await runPipeline(input.bytes, { recover: id % 2 === 1, convert: id % 64 === 0 });
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      } catch (err) {
        failures.push(`id ${id} (${input.seed}: ${input.steps.join(' ')}): ${(err as Error).stack}`);
      }
      const ms = performance.now() - t0;
      if (ms > BOUND_MS) failures.push(`id ${id} took ${ms.toFixed(0)} ms`);
    }
    expect(failures).toEqual([]);
    // The mutations must reach both ends: inputs that still read and inputs
    // the reader rejects (a mutator that never breaks anything tests nothing).
    expect(outcomes.ok ?? 0).toBeGreaterThan(INPUTS / 10);
    expect(outcomes.ScapFormatError ?? 0).toBeGreaterThan(INPUTS / 10);
  }, 600_000);

  it('indexSeed rejects a capture it cannot walk', () => {
    expect(() => indexSeed('bad', Buffer.from([1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/bad block/);
  });
});
