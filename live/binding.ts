// The native side of live mode (native/addon, built by `npm run build:addon`)
// behind an interface, so that everything above it also runs with a fake
// (test/live/fake-binding.ts), as better-sqlite3 takes a `nativeBinding`.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Settings of the driver, checked by `live()` before they get here. */
export interface RingOptions {
  readonly snaplen: number;
  /** 0: every process. */
  readonly pid: number;
  readonly ringBytes: number;
}

/** Counters of a live ring (native/addon/live_ring.h `struct live_stats`). */
export interface RingStats {
  /** Events and block bytes handed to JavaScript. */
  readonly events: number;
  readonly bytes: number;
  /** Events the driver lost on a full ring, summed over CPUs. */
  readonly drops: number;
  /** Events taken from the ring but never handed out (stopped first). */
  readonly discarded: number;
  /** Times the consumer thread found every slot busy and waited for JavaScript. */
  readonly stalls: number;
  /** 0, or the negative errno that stopped the consumer thread. */
  readonly error: number;
}

/**
 * One capture: once started, the driver loaded and a consumer thread filling
 * the slot buffers given to the constructor with whole event blocks.
 */
export interface Ring {
  /**
   * Loads and attaches the driver, scans /proc and starts the consumer
   * thread, on libuv's thread pool. Rejects with an Error carrying `errno`.
   */
  start(): Promise<void>;
  /** Section header and initial state blocks (a copy). */
  preamble(): Buffer;
  /**
   * A section header and state blocks scanned from /proc now, for a file
   * that starts at about this point (rotation), on libuv's thread pool; the
   * consumer thread goes on filling slots meanwhile. One at a time.
   */
  rescan(): Promise<Buffer>;
  /** The next filled slot, or null once stopped and every filled slot was handed out. */
  next(): Promise<{ slot: number; length: number } | null>;
  /** Gives a slot back to the consumer thread. */
  release(slot: number): void;
  stats(): RingStats;
  /** Stops the consumer and destroys every BPF object; `drain` keeps what is in the ring. Idempotent. */
  stop(drain: boolean): void;
}

/** What the addon exports. */
export interface LiveBinding {
  LiveRing: new (options: RingOptions, slots: Buffer[]) => Ring;
}

/** The addon could not be loaded: says where it looked and what to do. */
export class LiveBindingError extends Error {
  constructor(readonly tried: readonly string[], readonly causes: readonly string[]) {
    super(
      'scap live: cannot load the live-capture addon (scap_live.node).\n' +
      tried.map((p, i) => `  tried ${p}: ${causes[i]}`).join('\n') +
      '\nPossible solutions:\n' +
      '  - build it: npm run build:addon (needs clang, bpftool, libbpf-dev and the kernel BTF; scripts/install.sh does it)\n' +
      '  - or point SCAPKIT_LIVE_ADDON at a built scap_live.node',
    );
    this.name = 'LiveBindingError';
  }
}

/** Where the addon may be: $SCAPKIT_LIVE_ADDON, then the build tree next to the sources or dist/. */
function candidates(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const out: string[] = [];
  if (process.env.SCAPKIT_LIVE_ADDON) out.push(resolve(process.env.SCAPKIT_LIVE_ADDON));
  // live/ in the sources, dist/live/ when built.
  for (const root of [resolve(here, '..'), resolve(here, '..', '..')]) {
    out.push(join(root, 'build', 'addon', 'Release', 'scap_live.node'));
  }
  return out;
}

let loaded: LiveBinding | undefined;

/** Loads the addon once; throws LiveBindingError listing every path tried. */
export function loadBinding(): LiveBinding {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const tried: string[] = [];
  const causes: string[] = [];
  for (const path of candidates()) {
    tried.push(path);
    if (!existsSync(path)) { causes.push('not found'); continue; }
    try {
      loaded = require(path) as LiveBinding;
      return loaded;
    } catch (err) {
      causes.push((err as Error).message.split('\n')[0]!);
    }
  }
  throw new LiveBindingError(tried, causes);
}
