// Structure-aware mutation of scap captures for the fuzz harness (issue 9).
// A seed is a small, valid, uncompressed capture; a mutation knows where its
// blocks, events and parameter lengths are, so it hits the fields the reader
// must distrust (block lengths and types, trailers, event lengths, nparams,
// parameter lengths, state block entries) with boundary values, and damages
// structure (truncation at each offset class, dropped/duplicated/swapped
// blocks, misaligned bytes) and compression. Every input is a pure function of
// (seed list, input id): a failure is reproduced from its id alone.

import { deflateRawSync, gzipSync } from 'node:zlib';
import { BlockType, eventBlockHasFlags, eventBlockKind, EventBlockKind } from '../../scapfile/block-types.js';
import { PPM_EVENT_MAX } from '../../scapfile/schema/events.js';

/** A block of a seed, with its event's fields located when it is an event block. */
export interface SeedBlock {
  readonly at: number;
  readonly type: number;
  readonly len: number;
  /** Offset of the event header, or -1. */
  readonly event: number;
  /** Offset of the first parameter length, or -1. */
  readonly paramLens: number;
  readonly nparams: number;
  readonly lenSize: number;
}

export interface Seed {
  readonly name: string;
  /** Without the initial state blocks: cheap to run. */
  readonly light?: boolean;
  readonly bytes: Buffer;
  readonly blocks: readonly SeedBlock[];
}

/** Locates the blocks of a valid uncompressed capture. */
export function indexSeed(name: string, bytes: Buffer, light = false): Seed {
  const blocks: SeedBlock[] = [];
  for (let at = 0; at + 12 <= bytes.length;) {
    const type = bytes.readUInt32LE(at);
    const len = bytes.readUInt32LE(at + 4);
    if (len < 12 || at + len > bytes.length) throw new Error(`seed ${name}: bad block at ${at}`);
    const kind = eventBlockKind(type);
    let event = -1, paramLens = -1, nparams = 0, lenSize = 2;
    if (kind !== EventBlockKind.None) {
      event = at + 10 + (eventBlockHasFlags(type) ? 4 : 0);
      const large = type === BlockType.EVENT_V2_LARGE || type === BlockType.EVENT_FLAGS_V2_LARGE;
      lenSize = large ? 4 : 2;
      if (kind === EventBlockKind.V2) {
        nparams = bytes.readUInt32LE(event + 22);
        paramLens = event + 26;
      } else {
        paramLens = event + 22;
        // Old layout: no count; the lengths run up to the first byte of data.
        nparams = 0;
        const evLen = bytes.readUInt32LE(event + 16);
        for (let sum = 22; nparams < 32 && sum + 2 <= evLen; nparams++) {
          sum += 2 + bytes.readUInt16LE(paramLens + nparams * 2);
          if (sum > evLen) break;
        }
      }
    }
    blocks.push({ at, type, len, event, paramLens, nparams, lenSize });
    at += len;
  }
  return { name, bytes, blocks, light };
}

/** xorshift128+: deterministic, seeded per input. */
export class Rng {
  private s0: number;
  private s1: number;
  constructor(seed: number, stream: number) {
    this.s0 = (seed ^ 0x9e3779b9) | 0 || 1;
    this.s1 = (stream * 0x85ebca6b + 0x27d4eb2f) | 0 || 2;
    for (let i = 0; i < 8; i++) this.u32();
  }
  u32(): number {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= x << 23; x ^= x >>> 17; x ^= y ^ (y >>> 26);
    this.s1 = x;
    return (this.s0 + this.s1) >>> 0;
  }
  /** 0 <= n < bound. */
  below(bound: number): number { return bound <= 1 ? 0 : this.u32() % bound; }
  chance(p: number): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]!; }
}

const ALL_BLOCK_TYPES = Object.values(BlockType) as number[];
const u32Edges = (v: number): number[] => [0, 1, 4, 7, 8, 11, 12, 16, v - 4, v - 1, v + 1, v + 4, v * 2, 0xffff, 0x10000, 0x10008,
  0x10009, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff];
const u16Edges = (v: number): number[] => [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 26, 28, v - 1, v + 1, v * 2, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x0a, 0x10, 0x7f, 0x80, 0xfe, 0xff];

/** What one input is: which seed, which mutations, which compression. */
export interface MutatedInput {
  readonly bytes: Buffer;
  readonly seed: string;
  readonly steps: readonly string[];
}

/** Builds input `id` of a run with `runSeed` over `seeds`. */
export function mutate(seeds: readonly Seed[], runSeed: number, id: number): MutatedInput {
  const rng = new Rng(runSeed, id);
  // Seeds without state (a few KiB) are eight times cheaper to run than those
  // with the fixtures' whole initial state: most inputs use them, so a long
  // run reaches its million; the others keep state blocks and replay covered.
  const light = seeds.filter((s) => s.light);
  const seed = light.length > 0 && rng.chance(0.9) ? rng.pick(light) : rng.pick(seeds);
  let b: Buffer = Buffer.from(seed.bytes);
  const steps: string[] = [];
  const blocks = seed.blocks;
  const events = blocks.filter((x) => x.event >= 0);
  const anyBlock = (): SeedBlock => (rng.chance(0.3) ? rng.pick(blocks) : events.length > 0 ? rng.pick(events) : rng.pick(blocks));
  const put32 = (at: number, v: number, what: string): void => {
    if (at < 0 || at + 4 > b.length) return;
    b.writeUInt32LE(v >>> 0, at);
    steps.push(`${what}@${at}=${v >>> 0}`);
  };
  const put16 = (at: number, v: number, what: string): void => {
    if (at < 0 || at + 2 > b.length) return;
    b.writeUInt16LE(v & 0xffff, at);
    steps.push(`${what}@${at}=${v & 0xffff}`);
  };

  // Field mutations on the seed's layout (offsets still valid: sizes unchanged).
  const n = 1 + rng.below(rng.chance(0.2) ? 6 : 2);
  for (let k = 0; k < n; k++) {
    const blk = anyBlock();
    switch (rng.below(12)) {
      case 0: put32(blk.at + 4, rng.pick(u32Edges(blk.len)), 'blocklen'); break;
      case 1: put32(blk.at, rng.chance(0.8) ? rng.pick(ALL_BLOCK_TYPES) : rng.u32(), 'blocktype'); break;
      case 2: put32(blk.at + blk.len - 4, rng.chance(0.5) ? rng.pick(u32Edges(blk.len)) : rng.u32(), 'trailer'); break;
      case 3: if (blk.event >= 0) put32(blk.event + 16, rng.pick(u32Edges(blk.len - 14)), 'evlen'); break;
      case 4: if (blk.event >= 0) put16(blk.event + 20, rng.pick([rng.below(PPM_EVENT_MAX), PPM_EVENT_MAX - 1, PPM_EVENT_MAX, 0xffff, b.readUInt16LE(blk.event + 20) ^ 1]), 'evtype'); break;
      case 5: if (blk.event >= 0 && blk.paramLens === blk.event + 26) put32(blk.event + 22, rng.pick([0, 1, blk.nparams - 1, blk.nparams + 1, 255, 256, 0xffff, 0xffffffff, rng.below(64)]), 'nparams'); break;
      case 6: case 7: {
        if (blk.event < 0 || blk.nparams === 0) break;
        const at = blk.paramLens + rng.below(blk.nparams) * blk.lenSize;
        const cur = blk.lenSize === 2 ? b.readUInt16LE(at) : b.readUInt32LE(at);
        if (blk.lenSize === 2) put16(at, rng.pick(u16Edges(cur)), 'paramlen');
        else put32(at, rng.pick(u32Edges(cur)), 'paramlen');
        break;
      }
      case 8: {
        // Parameter bytes: the decoders' input (socket families, tuples, strings without NULs).
        if (blk.event < 0) break;
        const start = blk.paramLens + blk.nparams * blk.lenSize;
        const end = blk.at + blk.len - 4;
        for (let i = 0, m = 1 + rng.below(4); i < m && end > start; i++) {
          const at = start + rng.below(end - start);
          b[at] = rng.chance(0.6) ? rng.pick(INTERESTING_BYTES) : rng.below(256);
          steps.push(`parambyte@${at}`);
        }
        break;
      }
      case 9: {
        // Inside a state block: entry and string lengths are u16/u32 at aligned offsets.
        const state = blocks.filter((x) => x.event < 0 && x.type !== BlockType.SECTION_HEADER);
        if (state.length === 0) break;
        const s = rng.pick(state);
        const at = s.at + 8 + 2 * rng.below(Math.max(1, (s.len - 12) >> 1));
        if (rng.chance(0.5)) put16(at, rng.pick(u16Edges(b.readUInt16LE(at))), 'statefield16');
        else put32(at, rng.pick(u32Edges(at + 4 <= b.length ? b.readUInt32LE(at) : 0)), 'statefield32');
        break;
      }
      case 10: {
        const at = rng.below(b.length);
        b[at] = b[at]! ^ (1 << rng.below(8));
        steps.push(`bitflip@${at}`);
        break;
      }
      default: {
        const at = rng.below(b.length);
        b[at] = rng.pick(INTERESTING_BYTES);
        steps.push(`byte@${at}`);
        break;
      }
    }
  }

  // At most one structural change, on the seed's block boundaries.
  if (rng.chance(0.25) && blocks.length > 2) {
    const i = 1 + rng.below(blocks.length - 1);
    const blk = blocks[i]!;
    const before = b.subarray(0, blk.at);
    const self = b.subarray(blk.at, blk.at + blk.len);
    const after = b.subarray(blk.at + blk.len);
    switch (rng.below(4)) {
      case 0: b = Buffer.concat([before, after]); steps.push(`drop#${i}`); break;
      case 1: b = Buffer.concat([before, self, self, after]); steps.push(`dup#${i}`); break;
      case 2: {
        const nxt = blocks[i + 1];
        if (nxt === undefined) break;
        b = Buffer.concat([before, b.subarray(nxt.at, nxt.at + nxt.len), self, b.subarray(nxt.at + nxt.len)]);
        steps.push(`swap#${i}`);
        break;
      }
      default: {
        const junk = Buffer.alloc(1 + rng.below(7));
        for (let k = 0; k < junk.length; k++) junk[k] = rng.below(256);
        b = Buffer.concat([before, junk, self, after]);
        steps.push(`insert${junk.length}#${i}`);
        break;
      }
    }
  }

  // Truncation at an offset class of some block.
  if (rng.chance(0.25)) {
    const blk = rng.pick(blocks);
    const cut = Math.min(b.length, rng.pick([
      blk.at, blk.at + 1 + rng.below(7), blk.at + 8 + rng.below(Math.max(1, blk.len - 12)),
      blk.at + blk.len - 1 - rng.below(4), rng.below(b.length + 1),
    ]));
    b = b.subarray(0, cut);
    steps.push(`truncate@${cut}`);
  }

  // Compression, and damage to the compressed stream.
  const c = rng.below(10);
  if (c === 0 || c === 1) {
    let z: Buffer = c === 0 ? gzipSync(b, { level: 1 }) : Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), deflateRawSync(b)]);
    steps.push('gzip');
    if (rng.chance(0.6)) z = damageStream(z, rng, steps);
    b = z;
  } else if (c === 2 && zstdCompress !== undefined) {
    let z = zstdCompress(b);
    steps.push('zstd');
    if (rng.chance(0.6)) z = damageStream(z, rng, steps);
    b = z;
  }
  return { bytes: b, seed: seed.name, steps };
}

function damageStream(z: Buffer, rng: Rng, steps: string[]): Buffer {
  if (rng.chance(0.5)) {
    const cut = rng.below(z.length);
    steps.push(`ztruncate@${cut}`);
    return z.subarray(0, cut);
  }
  const out = Buffer.from(z);
  for (let i = 0, m = 1 + rng.below(3); i < m; i++) {
    const at = rng.below(out.length);
    out[at] = rng.below(256);
    steps.push(`zbyte@${at}`);
  }
  return out;
}

/** zstd compression for seeds (zstd-napi's synchronous compress), when it loads. */
let zstdCompress: ((b: Buffer) => Buffer) | undefined;
export async function loadZstd(): Promise<void> {
  try {
    const zstd = await import('zstd-napi');
    zstdCompress = (b: Buffer) => zstd.compress(b, { compressionLevel: 1 });
  } catch {
    zstdCompress = undefined;
  }
}
