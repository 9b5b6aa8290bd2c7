// `inspect(source)`: an async iterable of event batches whose iteration
// replays the state, with the state's queries beside it. It must see what
// `Inspector.run` sees, and a batch left half-read must not leave the state
// behind.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Inspector, inspect } from '../../inspect/index.js';
import { chunkedStream } from '../helpers/capture-builder.js';
import { capturePath, type FixtureName } from '../helpers/fixtures.js';

/** evt.num, the process name and the fd name, as the state gives them after each event. */
async function viaRun(name: FixtureName): Promise<string[]> {
  const insp = await Inspector.open(capturePath(name));
  const out: string[] = [];
  await insp.run((ev) => { out.push(`${ev.num} ${insp.state.thread(ev.tid)?.comm} ${insp.state.eventFd(ev).name}`); });
  return out;
}

/** The capture through a stream of small chunks: many batches. */
const streamOf = (name: FixtureName) => chunkedStream(gunzipSync(readFileSync(capturePath(name))), 4096);

describe('inspect(source)', () => {
  it.each<FixtureName>(['curl_google', 'single_ipv6_conn'])('%s: its batches give every event with the state run() gives', async (name) => {
    const capture = await inspect(streamOf(name));
    const out: string[] = [];
    let batches = 0;
    let counted = 0;
    for await (const batch of capture) {
      batches++;
      counted += batch.count;
      for (const ev of batch) out.push(`${ev.num} ${capture.state.thread(ev.tid)?.comm} ${capture.state.eventFd(ev).name}`);
    }
    expect(batches).toBeGreaterThan(5);
    expect(counted).toBe(out.length);
    expect(out).toEqual(await viaRun(name));
    expect(capture.totals.sinsp).toBe(out.length);
  });

  it('replays the rest of a batch left early, so later events see the same state', async () => {
    const full = await viaRun('curl_google');
    const capture = await inspect(streamOf('curl_google'));
    const firsts: string[] = [];
    for await (const batch of capture) {
      for (const ev of batch) {
        firsts.push(`${ev.num} ${capture.state.thread(ev.tid)?.comm} ${capture.state.eventFd(ev).name}`);
        break;
      }
    }
    expect(firsts.length).toBeGreaterThan(5);
    const byNum = new Map(full.map((l) => [l.split(' ')[0], l]));
    for (const l of firsts) expect(l).toBe(byNum.get(l.split(' ')[0]));
    expect(capture.totals.sinsp).toBe(full.length);
  });

  it('refuses to be iterated with a filter set (the filter is run()\'s); run() visits only what it keeps', async () => {
    const capture = await Inspector.open(capturePath('curl_google'));
    capture.setFilter((ev) => ev.num % 2 === 0);
    await expect((async () => { for await (const batch of capture) void batch; })()).rejects.toThrow(/setFilter applies to run\(\)/);
    const nums: number[] = [];
    await capture.run((ev) => { nums.push(ev.num); });
    expect(nums.length).toBeGreaterThan(100);
    expect(nums.every((n) => n % 2 === 0)).toBe(true);
  });
});
