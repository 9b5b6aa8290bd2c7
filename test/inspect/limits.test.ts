// Limits of state replay and conversion are enforced and reported, never
// silent (issue 9, docs/limits.md).
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { capturePath } from '../helpers/fixtures.js';

async function warningsOf(options: Parameters<typeof Inspector.open>[1]): Promise<string[]> {
  const insp = await Inspector.open(capturePath('curl_google'), options);
  await insp.run(() => undefined);
  return insp.warnings.map((w) => w.message);
}

describe('state and conversion limits', () => {
  it('default limits: a fixture reads without a limit warning', async () => {
    expect(await warningsOf({})).toEqual([]);
  });

  it('a full thread table is reported with the limit and the count refused', async () => {
    const w = await warningsOf({ maxThreads: 5 });
    expect(w.some((m) => /^the thread table was full \(5 threads, maxThreads\): \d+ new threads were not tracked/.test(m))).toBe(true);
  });

  it('full fd tables are reported', async () => {
    const w = await warningsOf({ maxFdsPerTable: 2 });
    expect(w.some((m) => /^fd tables were full \(2 fds each, maxFdsPerTable\): \d+ new fds/.test(m))).toBe(true);
  });

  it('a full enter-event store (old layouts) is reported', async () => {
    const w = await warningsOf({ maxStoredTids: 1 });
    expect(w.some((m) => /^the store of enter events for old-layout conversion was full \(maxStoredTids \/ maxStoredBytes\): [1-9]\d* exit events came after their enter event was forgotten and got default values$/.test(m))).toBe(true);
  });

  it('a block over maxBlockBytes is an error naming the limit', async () => {
    await expect(warningsOf({ maxBlockBytes: 1024 })).rejects.toThrow(/exceeds the limit of 1024 bytes \(maxBlockBytes\)/);
  });
});
