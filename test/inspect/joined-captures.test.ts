// Captures joined end to end (cat a.scap b.scap): libsinsp meets the second
// section header, drops its state and loads the second capture's
// (sinsp::restart_capture). The events of the second part must then read
// as they do in the second capture alone; before, they kept the first
// capture's state (1,260 of 2,653 lines of such a file named no process).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCapture } from '../../bench/make-capture.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { chunkedStream, tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { capturePath, ROOT, type FixtureName } from '../helpers/fixtures.js';

const tmp = tempDir('scapkit-joined-');
afterAll(() => tmp.cleanup());

const FORMAT = '*%evt.type %evt.dir %thread.tid %proc.name %proc.exepath %proc.pname %user.name %fd.name %evt.args';
const plain = (name: FixtureName): Buffer => gunzipSync(readFileSync(capturePath(name)));

async function lines(input: string | Readable, readAhead: false | 'read' | 'convert' = false): Promise<string[]> {
  const insp = await Inspector.open(input, { readAhead });
  const render = compileFormat(FORMAT, FIELDS);
  const out: string[] = [];
  await insp.run((ev) => { out.push(render(ev, insp.fieldContext)!); });
  return out;
}

describe('captures joined end to end', () => {
  it('the second part reads as the second capture alone, however the input is chunked', async () => {
    const a = plain('curl_google');
    const b = plain('single_ipv6_conn');
    const alone = [await lines(tmp.file('a.scap', a)), await lines(tmp.file('b.scap', b))];
    const joined = Buffer.concat([a, b]);
    for (const input of [() => tmp.file('ab.scap', joined), () => chunkedStream(joined, 4093)]) {
      const got = await lines(input());
      expect(got.length).toBe(alone[0]!.length + alone[1]!.length);
      expect(got.slice(0, alone[0]!.length)).toEqual(alone[0]);
      expect(got.slice(alone[0]!.length)).toEqual(alone[1]);
    }
  });

  it('through the read-ahead worker too (a file worth one)', async () => {
    const big = join(tmp.dir, 'big.scap');
    makeCapture(capturePath('curl_google'), big, 100);
    const b = plain('single_ipv6_conn');
    const path = tmp.file('big-b.scap', Buffer.concat([readFileSync(big), b]));
    const tail = await lines(tmp.file('b2.scap', b));
    const inspect = await import(join(ROOT, 'dist', 'inspect', 'index.js')) as {
      Inspector: { open(path: string, options: object): Promise<{ run(visit: (ev: unknown) => void): Promise<void>; fieldContext: unknown }> };
      compileFormat(format: string, fields: unknown): (ev: unknown, ctx: unknown) => string;
      FIELDS: unknown;
    };
    const render = inspect.compileFormat(FORMAT, inspect.FIELDS);
    for (const readAhead of ['read', 'convert'] as const) {
      const insp = await inspect.Inspector.open(path, { readAhead });
      const got: string[] = [];
      await insp.run((ev) => { got.push(render(ev, insp.fieldContext)); });
      expect(got.slice(-tail.length), readAhead).toEqual(tail);
    }
  }, 60_000);

  it('convert and cut keep the join: their outputs read as the input does', async () => {
    const joined = tmp.file('ab2.scap', Buffer.concat([plain('curl_google'), plain('single_ipv6_conn')]));
    const want = await lines(joined);
    const converted = join(tmp.dir, 'converted.scap');
    expect(scap(['convert', joined, '-o', converted, '-q']).status).toBe(0);
    expect(await lines(converted)).toEqual(want);
    // A piece that begins in the first capture and ends in the second.
    const piece = join(tmp.dir, 'piece.scap');
    const r = scap(['cut', joined, '-o', piece, '-q', '--skip', '500']);
    expect(r.status, r.stderr).toBe(0);
    const got = await lines(piece);
    expect(got.slice(-1000)).toEqual(want.slice(-1000));
    // Rotated files: the one holding the join reads on with the second capture's state.
    const rotated = join(tmp.dir, 'rot.scap');
    const rr = scap(['convert', joined, '-o', rotated, '-C', '0.2']);
    expect(rr.status, rr.stderr).toBe(0);
    const files = /wrote \d+ files: (.*)\n/.exec(rr.stderr)![1]!.split(', ');
    const all: string[] = [];
    for (const f of files) all.push(...await lines(f));
    expect(all.slice(-1000)).toEqual(want.slice(-1000));
  });
});
