// Seeds of the fuzz harness: small valid captures cut from the bundled
// fixtures (section header, the state blocks, then a window of consecutive
// event blocks), so that one input costs about a millisecond and a long run
// reaches a million inputs, while every block type of the fixtures, their
// old and new event layouts and their state are covered.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { BlockType, eventBlockKind, EventBlockKind } from '../../scapfile/block-types.js';
import { EventType } from '../../scapfile/schema/events.js';
import { indexSeed, type Seed, type SeedBlock } from './mutate.js';

/** The repository root, from test/fuzz or its build in dist/test/fuzz. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('fuzz seeds: repository root not found');
    dir = up;
  }
  return dir;
}
export const ROOT = repoRoot();
// scapkit_sysmix: our driver's modern layouts and a cut's state-only (flagged) event blocks;
// libs_sysmix and libs_nsmix: the same layouts as libs' own driver and writer make them.
const FIXTURES = ['curl_google', 'curl_google_comments', 'single_ipv6_conn', 'test_ipv6_client', 'scapkit_sysmix', 'libs_sysmix', 'libs_nsmix'];
/** Event blocks per seed, and seeds per fixture with the full state / with the machine info only. */
const WINDOW = 32;
const WINDOWS = 6;

/** An event block of a user or group table entry (the header's type: after ts, tid and len). */
function isTableEvent(bytes: Buffer, b: SeedBlock): boolean {
  const type = bytes.readUInt16LE(b.event + 20);
  return type === EventType.USER_ADDED_E || type === EventType.GROUP_ADDED_E;
}

export function buildSeeds(): Seed[] {
  const seeds: Seed[] = [];
  for (const name of FIXTURES) {
    const whole = indexSeed(name, gunzipSync(readFileSync(join(ROOT, 'fixtures', 'captures', `${name}.scap`))));
    // libs' own writer puts its user and group tables first, as useradded
    // and groupadded events that sinsp takes in and returns none of: they
    // go with the state blocks, and every window holds events.
    const firstEvent = whole.blocks.findIndex((b) => eventBlockKind(b.type) !== EventBlockKind.None && !isTableEvent(whole.bytes, b));
    const pre = whole.blocks.slice(0, firstEvent);
    const events = whole.blocks.slice(firstEvent);
    const bytesOf = (bs: typeof pre) => bs.map((b) => whole.bytes.subarray(b.at, b.at + b.len));
    const header = pre.filter((b) => b.type === BlockType.SECTION_HEADER || b.type === BlockType.MACHINE_INFO);
    for (let w = 0; w < WINDOWS; w++) {
      const start = Math.floor((w * Math.max(0, events.length - WINDOW)) / Math.max(1, WINDOWS - 1));
      const window = events.slice(start, start + WINDOW);
      // Most seeds carry the whole initial state: state replay and the state
      // block parsers are what a damaged file hits hardest.
      seeds.push(indexSeed(`${name}[${start}+${WINDOW}]`, Buffer.concat([...bytesOf(pre), ...bytesOf(window)])));
      seeds.push(indexSeed(`${name}[${start}+${WINDOW}]-nostate`, Buffer.concat([...bytesOf(header), ...bytesOf(window)]), true));
    }
  }
  return seeds;
}
