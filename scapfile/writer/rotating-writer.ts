// Rotation: a stream of events spread over a series of files, each a
// complete capture on its own (section header, state blocks describing the
// state at its first event, events), as `sysdig -C/-G/-W` and the capture
// command need. A file is written under a temporary name and renamed into
// place when it is finished, so a file with the final name is always whole.

import { readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { i32, u16, u32 } from '../bytes.js';
import type { EventBatch } from '../event-batch.js';
import type { CaptureState } from '../state-blocks/index.js';
import { CaptureWriter, compressionForPath, stateBlocks } from './capture-writer.js';
import type { CaptureWriterOptions, StartEvent } from './capture-writer.js';
import { CaptureWriteError, OutputExistsError } from './byte-sinks.js';
import { eventBlockLen } from './event-blocks.js';

/** Options of `RotatingWriter.open`. */
export interface RotationOptions extends Omit<CaptureWriterOptions, 'endStream'> {
  /**
   * Start a new file before one would exceed this many bytes of blocks
   * (before compression), state included: `-C`. A file whose state takes
   * more than half of it gets half of it in events all the same.
   */
  readonly maxBytes?: number;
  /** Start a new file when an event is this many seconds (capture time) after the file's first: `-G`. */
  readonly maxSeconds?: number;
  /** Keep at most this many files, reusing names in a ring: `-W`. */
  readonly maxFiles?: number;
}

/**
 * The name of file `index` of a rotation on `path`: the index goes before
 * the capture extensions, `trace.scap.gz` → `trace.3.scap.gz`.
 */
export function rotatedName(path: string, index: number): string {
  const { dir, stem, ext } = rotationParts(path);
  return join(dir, `${stem}.${index}${ext}`);
}

/** The directory, the name before the index and the extensions after it of a rotation on `path`. */
function rotationParts(path: string): { dir: string; stem: string; ext: string } {
  const base = basename(path);
  const m = /^(.*?)((?:\.scap)?(?:\.gz|\.zst)?)$/i.exec(base)!;
  return { dir: dirname(path), stem: m[1] === '' ? base : m[1]!, ext: m[1] === '' ? '' : m[2]! };
}

/** The files of an earlier rotation on `path` (any index), in index order. */
async function earlierRotation(path: string): Promise<string[]> {
  const { dir, stem, ext } = rotationParts(path);
  const quote = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = new RegExp(`^${quote(stem)}\\.(\\d+)${quote(ext)}$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => named.test(n))
    .sort((a, b) => Number(named.exec(a)![1]) - Number(named.exec(b)![1]))
    .map((n) => join(dir, n));
}

const NS_PER_S = 1e9;

/** The event's time (ns, as a double: rotation compares seconds) and thread id. */
const tsAt = (src: Buffer, at: number): number => u32(src, at + 4) * 4294967296 + u32(src, at);
const tidAt = (src: Buffer, at: number): number => i32(src, at + 12) * 4294967296 + u32(src, at + 8);
/** `openEnter`'s value for a thread whose last event was not an enter event. */
const NO_ENTER = -1;

/**
 * Writes events over rotated files. The caller supplies the state at the
 * current point of the stream (e.g. a StateReplay snapshot in inspect/) when
 * a file starts, and keeps that state up to date after each event it hands
 * over.
 *
 * ```ts
 * const rw = await RotatingWriter.open('trace.scap.gz', { maxBytes: 100e6, maxFiles: 10 }, () => snapshot());
 * const p = rw.writeEvent(batch, i); if (p) await p;   // then apply event i to the state
 * // or, faster: events up to the next rotation as one run, then apply them
 * const next = await rw.writeUntilRotation(batch, i);   // apply events i..next-1, then writeEvent(batch, next)
 * const files = await rw.close();
 * ```
 */
export class RotatingWriter {
  /** Final names of the files finished so far, oldest first (those still on disk with -W). */
  readonly files: string[] = [];
  private writer: CaptureWriter | undefined;
  private index = 0;
  private fileStartNs = 0;
  private events = 0;
  /** Bytes of the current file's state blocks and the events written with them (`afterState`). */
  private stateBytes = 0;
  /** The file being finished in the background (retireFile), and its failure. */
  private retiring: Promise<void> = Promise.resolve();
  private retireFailure: unknown = undefined;
  /**
   * For each thread that had an enter event (even type): that type while
   * it was the thread's last event, else NO_ENTER. Exit-only captures
   * leave it (nearly) empty, so their events cost no lookup; a map of every
   * thread's last type was set on every event.
   */
  private readonly openEnter = new Map<number, number>();
  /** The state the last file started with, and its blocks. */
  private lastState: CaptureState | undefined;
  private lastStateBlocks: Buffer | undefined;
  /** Chunk buffers the files' writers share: each file took fresh ones. */
  private readonly chunkPool: Buffer[] = [];

  private constructor(
    private readonly path: string,
    private readonly options: RotationOptions,
    private readonly stateNow: () => CaptureState | Promise<CaptureState>,
    private readonly afterState: () => readonly StartEvent[],
  ) {}

  /**
   * `stateNow` gives each file's state blocks (or a promise of them: a
   * /proc scan); `afterState` events written right after them (events that
   * say what state blocks cannot, flagged as the caller says: state-only,
   * say). Neither counts toward rotation.
   */
  static async open(path: string, options: RotationOptions, stateNow: () => CaptureState | Promise<CaptureState>,
    afterState: () => readonly StartEvent[] = () => []): Promise<RotatingWriter> {
    if (options.maxFiles !== undefined && options.maxFiles < 1) throw new RangeError('maxFiles must be at least 1');
    // Names already taken are ours to reuse only when asked (a ring reuses
    // its own names later on). Any index counts: an earlier run's x.1.scap
    // was overwritten when only x.0.scap was looked for.
    if (!options.force) {
      const [taken] = await earlierRotation(path);
      if (taken !== undefined) throw new OutputExistsError(taken);
    }
    const rw = new RotatingWriter(path, { ...options, compression: options.compression ?? compressionForPath(path) }, stateNow, afterState);
    await rw.startFile();
    return rw;
  }

  /** Name of the file being written (its final name). */
  get currentName(): string { return this.finalName(this.index); }

  /** Writes event `i` of `batch`; returns a promise to await when a file or chunk had to be written first. */
  writeEvent(batch: EventBatch, i: number): Promise<void> | undefined {
    const w = this.writer!;
    const src = batch.buf;
    const at = batch.offsets[i]!;
    const rotate = this.events > 0 && this.rotationDue(w.bytesBuffered, src, at, eventBlockLen(u32(src, at + 16), batch.flags[i]!));
    this.notePairing(src, at);
    if (rotate) return this.rotateThenWrite(batch, i, tsAt(src, at));
    if (this.events === 0) this.fileStartNs = tsAt(src, at);
    this.events++;
    const p = w.writeEvent(src, at, batch.cpus[i]!, batch.flags[i]!);
    return p === undefined ? undefined : this.guarded(p);
  }

  /**
   * Writes events of `batch` from `from` on, as `writeEvent` would, up to
   * the first that must start a new file (or the batch's end), and returns
   * its index: the caller brings its state up to date with the events
   * written, then hands that one to `writeEvent`, which rotates. The events
   * go to the file as one run (blocks read as they are written are copied
   * whole), not one call each.
   */
  async writeUntilRotation(batch: EventBatch, from: number): Promise<number> {
    const w = this.writer!;
    const src = batch.buf;
    const offsets = batch.offsets;
    const flags = batch.flags;
    let pending = 0;
    let i = from;
    for (; i < batch.count; i++) {
      const at = offsets[i]!;
      const blockLen = eventBlockLen(u32(src, at + 16), flags[i]!);
      if (this.events > 0 && this.rotationDue(w.bytesBuffered + pending, src, at, blockLen)) break;
      this.notePairing(src, at);
      if (this.events === 0) this.fileStartNs = tsAt(src, at);
      this.events++;
      pending += blockLen;
    }
    if (i > from) await this.guarded(w.writeRange(batch, from, i));
    return i;
  }

  /**
   * Whether the event at `at`, a block of `blockLen` bytes, must start a
   * new file that holds `bytes` of blocks before it. An exit event right after its own enter
   * event on the same thread stays in the enter's file: libsinsp reads the
   * pair together (the enter carries what the exit lacks, e.g. connect's
   * address), and a state block cannot carry a pending enter event.
   */
  private rotationDue(bytes: number, src: Buffer, at: number, blockLen: number): boolean {
    if (!this.mustRotate(bytes, src, at, blockLen)) return false;
    const type = u16(src, at + 20);
    if ((type & 1) === 0 || this.openEnter.size === 0) return true;
    const enter = this.openEnter.get(tidAt(src, at));
    return enter === undefined || type !== enter + 1;
  }

  /**
   * Keeps `openEnter` up to date with the event at `at` (written now). The
   * tid is read only where needed: exit-only captures leave the map empty.
   */
  private notePairing(src: Buffer, at: number): void {
    const type = u16(src, at + 20);
    if ((type & 1) === 0) this.openEnter.set(tidAt(src, at), type);
    else if (this.openEnter.size !== 0) {
      const tid = tidAt(src, at);
      const enter = this.openEnter.get(tid);
      if (enter !== undefined && enter >= 0) this.openEnter.set(tid, NO_ENTER);
    }
  }

  /** Starts a joined capture in the current file (see CaptureWriter.writeJoined); later files start from the state callback. */
  async writeJoined(state: CaptureState): Promise<void> {
    await this.guarded(this.writer!.writeJoined(state));
  }

  /** Writes every event of a batch (the state callback then sees the state at the batch's start). */
  async writeBatch(batch: EventBatch): Promise<void> {
    let i = 0;
    while ((i = await this.writeUntilRotation(batch, i)) < batch.count) {
      const p = this.writeEvent(batch, i++);
      if (p !== undefined) await p;
    }
  }

  /**
   * Finishes the current file (and waits for those retired before it);
   * returns the files on disk, oldest first. When that fails, no
   * temporary file stays (the caller need not abort).
   */
  async close(): Promise<string[]> {
    try {
      await this.retired();
    } catch (err) {
      await this.abort();
      throw err;
    }
    await this.finishFile();
    return this.files;
  }

  /** Stops without renaming the current file into place (its temporary file is removed). */
  async abort(): Promise<void> {
    await this.retiring;
    await this.discard(this.writer, this.index);
  }

  /**
   * -C: the event would take the file past maxBytes, state included (as
   * libsinsp's cycle dumper counts), and the file's events with it would
   * pass half of maxBytes. The second half only matters when the state
   * takes more than half the limit (a host with thousands of processes and
   * -C 1), where libsinsp starts a file per event, each all state.
   */
  private mustRotate(bytes: number, src: Buffer, at: number, blockLen: number): boolean {
    const { maxBytes, maxSeconds } = this.options;
    if (maxBytes !== undefined && bytes + blockLen > maxBytes
      && bytes - this.stateBytes + blockLen > maxBytes / 2) return true;
    return maxSeconds !== undefined && tsAt(src, at) - this.fileStartNs >= maxSeconds * NS_PER_S;
  }

  private async rotateThenWrite(batch: EventBatch, i: number, tsNs: number): Promise<void> {
    // One file finishes at a time: a disk slower than the events holds the
    // writer back here, as it did when each rotation waited for its file,
    // instead of piling up files and their buffers.
    await this.retired();
    this.retireFile();
    this.index = this.options.maxFiles === undefined ? this.index + 1 : (this.index + 1) % this.options.maxFiles;
    // -W 1: the one name's file is still being finished, and its temporary name is about to be reused.
    if (this.options.maxFiles === 1) await this.retiring;
    await this.guarded(this.startFile());
    this.fileStartNs = tsNs;
    this.events = 1;
    const p = this.writer!.writeEvent(batch.buf, batch.offsets[i]!, batch.cpus[i]!, batch.flags[i]!);
    if (p !== undefined) await this.guarded(p);
  }

  private finalName(index: number): string { return rotatedName(this.path, index); }
  private tempName(index: number): string { return `${this.finalName(index)}.partial`; }

  private async startFile(): Promise<void> {
    this.events = 0;
    this.writer = await CaptureWriter.open(this.tempName(this.index), { ...this.options, force: true, chunkPool: this.chunkPool });
    const state = await this.stateNow();
    // The same state as the last file's (a live capture's files may share
    // one): encoded once.
    if (state !== this.lastState) {
      this.lastState = state;
      this.lastStateBlocks = stateBlocks(state);
    }
    await this.writer.writeState(this.lastStateBlocks!);
    await this.writer.writeEvents(this.afterState());
    this.stateBytes = this.writer.bytesBuffered;
  }

  private async finishFile(): Promise<void> {
    const w = this.writer;
    if (w === undefined) return;
    this.writer = undefined;
    try {
      await this.finish(w, this.index);
    } catch (err) {
      throw await this.dropFile(w, this.index, err);
    }
  }

  /** `p`, a write to the current file; when it fails, the file is dropped (dropFile). */
  private async guarded(p: Promise<void>): Promise<void> {
    try {
      await p;
    } catch (err) {
      const w = this.writer;
      this.writer = undefined;
      throw await this.dropFile(w, this.index, err);
    }
  }

  /** Stops file `index`'s writer and removes its temporary file. */
  private async discard(w: CaptureWriter | undefined, index: number): Promise<void> {
    await w?.abort();
    await unlink(this.tempName(index)).catch(() => undefined);
  }

  /**
   * File `index` failed (`err`): its writer stops and its temporary file
   * goes, so no half-written file stays. Returns the error to throw: a
   * write error names the file by its final name and says what is on disk
   * (it named the temporary file and called it "readable").
   */
  private async dropFile(w: CaptureWriter | undefined, index: number, err: unknown): Promise<unknown> {
    await this.discard(w, index);
    if (!(err instanceof CaptureWriteError) || err.isStream) return err;
    const n = this.files.length;
    const before = n === 0 ? '' : `; the ${n === 1 ? 'file' : `${n} files`} finished before it ${n === 1 ? 'is' : 'are'} complete`;
    return new CaptureWriteError(this.finalName(index), 0, err.cause, false, `that file was removed${before}`);
  }

  /**
   * Finishes the current file in the background: its last chunk, the
   * fsync, the close and the rename took 6-30 ms per rotation, during which
   * `scap live -w -C` read no event from the rings (it loses events when it
   * falls behind). The caller waits for the one before (so `files` keeps
   * their order); a failure is thrown by the next rotation or `close`, the
   * file removed.
   */
  private retireFile(): void {
    const w = this.writer!;
    const index = this.index;
    this.writer = undefined;
    this.retiring = this.finish(w, index).catch(async (err: unknown) => {
      this.retireFailure = await this.dropFile(w, index, err);
    });
  }

  /** Waits for the file being finished in the background; throws its failure. */
  private async retired(): Promise<void> {
    await this.retiring;
    if (this.retireFailure !== undefined) throw this.retireFailure;
  }

  private async finish(w: CaptureWriter, index: number): Promise<void> {
    await w.close();
    const name = this.finalName(index);
    await rename(this.tempName(index), name);
    const seen = this.files.indexOf(name);
    if (seen >= 0) this.files.splice(seen, 1);
    this.files.push(name);
  }
}
