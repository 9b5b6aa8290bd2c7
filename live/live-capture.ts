// A live capture as a Source: the addon's byte stream (section header and
// state blocks, then whole EV_V2 blocks in reused slot buffers) goes through
// the same BlockReader as a file, so batches are the EventBatch objects
// `openCapture` hands out and everything downstream works unchanged.

import type { ByteSource } from '../scapfile/byte-source.js';
import { BlockReader } from '../scapfile/block-reader.js';
import type { ReaderStats, ReadWarning } from '../scapfile/block-reader.js';
import type { EventBatch } from '../scapfile/event-batch.js';
import type { CaptureInfo, Source } from '../scapfile/open-capture.js';
import { collectState } from '../scapfile/state-blocks/index.js';
import type { CaptureState } from '../scapfile/state-blocks/index.js';
import { loadBinding } from './binding.js';
import type { LiveBinding, Ring, RingStats } from './binding.js';

/** Bounds of the driver's settings (driver/scap_driver.h). */
export const DEFAULT_SNAPLEN = 80;
export const MAX_SNAPLEN = 16 * 1024;
/** Per CPU, as scap-capture (SCAP_DEFAULT_RING_BYTES). */
const DEFAULT_RING_BYTES = 8 << 20;
/** The signals that stop a capture cleanly (as scap-capture stops on them). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A slot must hold the largest event block (SCAP_MAX_EVENT_SIZE plus framing). */
const MIN_SLOT_BYTES = (64 << 10) + 64;
/**
 * Slots handed out and not yet given back: the chunk the reader parses
 * now and the one before, so a batch stays valid while the next is read.
 */
const HELD_SLOTS = 2;

/** Options of `live()`. */
export interface LiveOptions {
  /** Bytes kept of I/O buffers (default 80, at most 16384). */
  readonly snaplen?: number;
  /** Capture only this process and its descendants. */
  readonly pid?: number;
  /** Size of each CPU's kernel ring buffer: a power of two, at least 64 KiB (default 8 MiB). */
  readonly ringBytes?: number;
  /** Buffers the consumer thread fills for JavaScript (default 8, at least 3). */
  readonly slots?: number;
  /** Size of each (default 1 MiB). */
  readonly slotBytes?: number;
  /**
   * Stop on SIGINT, SIGTERM and SIGHUP (default true): the events already in
   * the ring are still delivered, then iteration ends normally. (SIGHUP, a
   * closed terminal or ssh session, killed the process with its file unwritten.)
   */
  readonly stopOnSignals?: boolean;
  /** The native binding, for tests (default: the built addon). */
  readonly binding?: LiveBinding;
}

/** What a live capture delivered and lost so far. */
export interface LiveStats {
  /** Events handed to JavaScript. */
  readonly events: number;
  /** Events the driver lost on a full ring (JavaScript slower than the kernel). */
  readonly drops: number;
  /** Bytes of event blocks handed to JavaScript. */
  readonly bytes: number;
  /** Events read from the ring but not delivered because the capture stopped first. */
  readonly discarded: number;
  /** Times the consumer thread waited because JavaScript held every buffer. */
  readonly stalls: number;
}

/** A live option that cannot work, with what was expected. */
export class LiveOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveOptionError';
  }
}

/** The driver did not load or attach; libbpf and the loader printed the failing step on stderr. */
export class LiveStartError extends Error {
  readonly errno: number | undefined;
  constructor(cause: Error & { errno?: number }) {
    const hint = cause.errno === 1
      ? ' (loading eBPF programs needs root, or CAP_BPF and CAP_PERFMON)'
      : ' (the lines above say which step failed; a kernel without BTF cannot load the driver)';
    super(`scap live: ${cause.message}${hint}`);
    this.name = 'LiveStartError';
    this.errno = cause.errno;
  }
}

/** The capture stopped on its own: polling the ring failed. */
export class LiveCaptureError extends Error {
  constructor(readonly errno: number) {
    super(`scap live: polling the ring buffer failed (errno ${errno})`);
    this.name = 'LiveCaptureError';
  }
}

const outOfRange = (name: string, value: unknown, what: string): string =>
  `live: ${name} must be ${what}, got ${String(value)}`;

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LiveOptionError(outOfRange(name, value, `an integer in ${min}..${max}`));
  }
  return value;
}

/**
 * Captures syscalls of the running system with the scapkit eBPF driver
 * (needs root). Iterating starts the driver; batches are the EventBatch
 * objects of `openCapture`, so Inspector, filters, formats and writers take
 * them as they are.
 *
 * ```ts
 * const src = live({ pid: 1234 });
 * for await (const batch of src) {
 *   if (src.stats().events > 1e6) break;   // break stops and frees the driver
 * }
 * console.log(src.stats());               // { events, drops, bytes, ... }
 * ```
 *
 * Batch memory is reused: a batch, its bytes and its arrays, stays valid
 * until the next one is read; copy what you keep longer (`Buffer.from`,
 * `slice`). (Arrays allocated per batch were most of a live capture's
 * garbage: ~26 bytes an event, 48 MB of ArrayBuffers waiting for a
 * collection at times under `scap live -w`, 22 MB now.)
 */
export function live(options: LiveOptions = {}): LiveCapture {
  return new LiveCapture(options);
}

/** A running (or not yet started) live capture; see `live()`. */
export class LiveCapture implements Source {
  private readonly snaplen: number;
  private readonly pid: number;
  private readonly ringBytes: number;
  private readonly slotCount: number;
  private readonly slotBytes: number;
  private readonly stopOnSignals: boolean;
  private readonly bindingOverride: LiveBinding | undefined;

  private opening: Promise<CaptureInfo> | undefined;
  private opened: { ring: Ring; info: CaptureInfo; reader: BlockReader } | undefined;
  private slots: Buffer[] = [];
  private readonly held: number[] = [];
  private draining = false;
  private destroyed = false;
  private iterating = false;
  /** Iteration ended (done, break or error). */
  private finished = false;
  private readonly onSignal = (sig: NodeJS.Signals): void => { this.signal = sig; this.drain(); };
  /** The signal that stopped the capture, if one did. */
  signal: NodeJS.Signals | undefined;

  constructor(options: LiveOptions = {}) {
    this.snaplen = intOption('snaplen', options.snaplen, DEFAULT_SNAPLEN, 0, MAX_SNAPLEN);
    // 0 is the driver's "every process": a pid of 0 given by a user is no process.
    this.pid = intOption('pid', options.pid, 0, 1, 0xffffffff);
    this.ringBytes = intOption('ringBytes', options.ringBytes, DEFAULT_RING_BYTES, 64 << 10, 1 << 30);
    if ((this.ringBytes & (this.ringBytes - 1)) !== 0) {
      throw new LiveOptionError(outOfRange('ringBytes', this.ringBytes, 'a power of two'));
    }
    this.slotCount = intOption('slots', options.slots, 8, HELD_SLOTS + 1, 1024);
    this.slotBytes = intOption('slotBytes', options.slotBytes, 1 << 20, MIN_SLOT_BYTES, 1 << 30);
    this.stopOnSignals = options.stopOnSignals ?? true;
    this.bindingOverride = options.binding;
  }

  /**
   * Loads the driver, takes the /proc state and starts the consumer thread;
   * resolves with the capture's info. Iterating calls it; call it first to
   * read `info` before the first batch. Idempotent.
   */
  open(): Promise<CaptureInfo> {
    this.opening ??= this.start();
    return this.opening;
  }

  /** Machine info and the initial state; available once `open()` resolved. */
  get info(): CaptureInfo {
    if (!this.opened) throw new Error('live: the capture is not open yet (await open() before reading info)');
    return this.opened.info;
  }

  /**
   * The state of the system now, scanned from /proc again (threads, fds,
   * users, interfaces, machine), as the preamble gave it at the start: what
   * a rotated file's state is completed with. Events keep coming into the
   * slots meanwhile (a scan of 90 threads takes ~25 ms).
   */
  async rescan(): Promise<CaptureState> {
    if (!this.opened) throw new Error('live: the capture is not open yet (await open() before rescan())');
    const { stateBlocks } = await new BlockReader(oneChunk(await this.opened.ring.rescan())).readPreamble();
    return collectState(stateBlocks);
  }

  /** Problems the block reader met (none expected from the driver). */
  get warnings(): readonly ReadWarning[] { return this.opened?.reader.warnings ?? []; }

  /** Block counts of the event stream. */
  get readerStats(): ReaderStats | undefined { return this.opened?.reader.stats; }

  /** Events and bytes delivered, drops in the kernel. */
  stats(): LiveStats {
    const s: RingStats | undefined = this.opened?.ring.stats();
    return {
      events: s?.events ?? 0, drops: s?.drops ?? 0, bytes: s?.bytes ?? 0,
      discarded: s?.discarded ?? 0, stalls: s?.stalls ?? 0,
    };
  }

  /**
   * Stops capturing. During an iteration, the driver stops producing events
   * and those already in the ring are still delivered, then the iteration
   * ends and every BPF object is freed; otherwise they are freed at once.
   */
  async close(): Promise<void> {
    if (this.iterating && !this.finished) {
      this.drain();
    } else {
      this.destroy();
      this.detachSignals();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<EventBatch> {
    if (this.iterating) throw new Error('live: a capture can be iterated once');
    this.iterating = true;
    return {
      next: async (): Promise<IteratorResult<EventBatch>> => {
        const { reader, ring } = await this.ensureOpen();
        let batch: EventBatch | null;
        try {
          batch = await reader.nextBatch();
        } catch (err) {
          this.finish();
          throw err;
        }
        if (batch) return { done: false, value: batch };
        this.finish();
        const error = ring.stats().error;
        if (error !== 0) throw new LiveCaptureError(-error);
        return { done: true, value: undefined };
      },
      // `break` in for-await: nobody wants the rest, drop it.
      return: async (): Promise<IteratorResult<EventBatch>> => {
        this.finish();
        return { done: true, value: undefined };
      },
    };
  }

  private async ensureOpen(): Promise<{ ring: Ring; reader: BlockReader }> {
    await this.open();
    return this.opened!;
  }

  private async start(): Promise<CaptureInfo> {
    if (this.destroyed) throw new Error('live: the capture was closed before it started');
    const binding = this.bindingOverride ?? loadBinding();
    // Off the V8 heap, so their memory stays where the consumer thread writes.
    this.slots = Array.from({ length: this.slotCount }, () => Buffer.allocUnsafeSlow(this.slotBytes));
    const ring = new binding.LiveRing({ snaplen: this.snaplen, pid: this.pid, ringBytes: this.ringBytes }, this.slots);
    try {
      await ring.start();
    } catch (err) {
      throw new LiveStartError(err as Error & { errno?: number });
    }
    try {
      const preamble = ring.preamble();
      const pre = new BlockReader(oneChunk(preamble));
      const { header, stateBlocks } = await pre.readPreamble();
      const info: CaptureInfo = {
        inputName: 'live', compression: 'none', fileBytes: undefined, header, stateBlocks,
        ...collectState(stateBlocks),
      };
      const reader = new BlockReader(this.slotSource(ring), { firstOffset: preamble.length, recycleBatches: true });
      this.opened = { ring, info, reader };
    } catch (err) {
      ring.stop(false);
      throw err;
    }
    if (this.destroyed) {
      // Closed while starting.
      ring.stop(false);
    } else {
      // A close() or a signal while the driver loaded found no ring to stop
      // and only marked the capture draining: it is stopped now (it ran on,
      // driver attached, deaf to later signals).
      if (this.draining) ring.stop(true);
      if (this.stopOnSignals) for (const sig of STOP_SIGNALS) process.on(sig, this.onSignal);
    }
    return this.opened.info;
  }

  /** The filled slots as the chunks of a byte source, each given back two chunks later. */
  private slotSource(ring: Ring): ByteSource {
    const held = this.held;
    const slots = this.slots;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (;;) {
        while (held.length >= HELD_SLOTS) ring.release(held.shift()!);
        const r = await ring.next();
        if (r === null) return;
        held.push(r.slot);
        yield slots[r.slot]!.subarray(0, r.length);
      }
    }
    return { compression: 'none', fileBytes: undefined, name: 'live', chunks: chunks(), close: () => this.destroy() };
  }

  /** Iteration is over (done, break or error): free the driver. */
  private finish(): void {
    this.finished = true;
    this.destroy();
    this.detachSignals();
  }

  /**
   * Kept until iteration ends, not only until the stop: a signal sent to the
   * whole process group (timeout(1), a terminal) can arrive twice, and the
   * second must not kill the process while it delivers the drained events.
   */
  private detachSignals(): void {
    for (const sig of STOP_SIGNALS) process.off(sig, this.onSignal);
  }

  /** No new events; what is in the ring still comes, then the iteration ends. */
  private drain(): void {
    if (this.destroyed || this.draining) return;
    this.draining = true;
    this.opened?.ring.stop(true);
  }

  /** Joins the consumer thread and destroys every BPF object. */
  private destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.opened?.ring.stop(false);
  }
}

/** A byte source of one buffer. */
function oneChunk(buf: Buffer): ByteSource {
  async function* chunks(): AsyncGenerator<Buffer> { yield buf; }
  return { compression: 'none', fileBytes: undefined, name: 'live', chunks: chunks(), close: () => {} };
}
