// Files written by scapkit, read by the reference libsinsp (sinsp-example,
// /work/shared/tools/reference): the same event count and the same rendered
// lines as the original capture, names of threads and fds included (they
// come from the state blocks we write). Runs whenever the reference binary
// is built; otherwise says so and skips.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyCapture } from '../../../scapfile/writer/index.js';
import { tempDir } from '../../helpers/capture-builder.js';
import { capturePath, FIXTURES } from '../../helpers/fixtures.js';
import { SINSP_EXAMPLE, sinspLines } from './sinsp-reference.js';

const haveReference = existsSync(SINSP_EXAMPLE);
if (!haveReference) {
  console.warn(`reference.test: sinsp-example not found at ${SINSP_EXAMPLE}; build it with /work/shared/tools/reference/build.sh. Skipping.`);
}

const tmp = tempDir('scapkit-writer-ref-');
afterAll(() => tmp.cleanup());

describe.skipIf(!haveReference)('files written by scapkit read by the reference sinsp-example', () => {
  for (const name of FIXTURES) {
    for (const compression of ['none', 'gzip'] as const) {
      it(`${name} (${compression}): same event count and same lines as the original`, async () => {
        const out = join(tmp.dir, `${name}.${compression === 'gzip' ? 'scap.gz' : 'scap'}`);
        await copyCapture(capturePath(name), out, { compression });
        const want = sinspLines(capturePath(name));
        const got = sinspLines(out);
        expect(want.lines.length).toBeGreaterThan(100);
        expect(got.retrieved).toBe(want.retrieved);
        expect(got.lines).toEqual(want.lines);
        console.info(`reference.test: ${name} ${compression}: sinsp-example read ${got.retrieved} events, ${got.lines.length} lines identical`);
      });
    }
  }

  it('reads a gzip file of many members (one per 4 KiB chunk) like the original', async () => {
    const out = join(tmp.dir, 'members.scap.gz');
    await copyCapture(capturePath('single_ipv6_conn'), out, { chunkBytes: 4096 });
    const want = sinspLines(capturePath('single_ipv6_conn'));
    const got = sinspLines(out);
    expect(got.retrieved).toBe(want.retrieved);
    expect(got.lines).toEqual(want.lines);
  });
});
