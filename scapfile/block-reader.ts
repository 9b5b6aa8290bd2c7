import { TrailingBytesError, type ByteSource } from './byte-source.js';
import { viewOf } from './bytes.js';
import { EventBatchBuilder, EVENT_HEADER_LEN } from './event-batch.js';
import type { EventBatch } from './event-batch.js';
import {
  BlockType, EventBlockKind, eventBlockHasFlags, eventBlockIsLarge, eventBlockKind,
  SECTION_MAGIC, SECTION_MAGIC_SWAPPED,
} from './block-types.js';
import { PacketCaptureError, ScapFormatError, blockTypeHex, blockTypeName, scapMessage } from './errors.js';
import { EventType, LARGE_PAYLOAD_TYPES, PPM_EVENT_MAX, eventTypeTable } from './schema/events.js';
import { isStateBlockType, parseStateBlock } from './state-blocks/index.js';
import type { StateBlock } from './state-blocks/index.js';

/**
 * Bytes gathered at a time while scanning damaged bytes for the next block:
 * asking only for the 8 bytes a candidate header needs joined the few bytes
 * left with 8 of the next chunk, and the scan moved one byte per join
 * (0.5 MB/s: 32 MiB of zeros took 54 s).
 */
const SKIP_SCAN_BYTES = 1 << 20;
/**
 * Whether the 4 bytes at `pos` can be a block type: 0x000002xx (scap
 * blocks), 0x0a0d0d0a (section header) or 0x80xxabcd (the internal types).
 */
function mayBeBlockType(buf: Buffer, pos: number): boolean {
  const b1 = buf[pos + 1]!;
  if (b1 === 0x02) return buf[pos + 2] === 0 && buf[pos + 3] === 0;
  if (b1 === 0x0d) return buf[pos] === 0x0a;
  return b1 === 0xab && buf[pos] === 0xcd && buf[pos + 3] === 0x80;
}

/** Blocks of a type nobody reads longer than this are passed over, not gathered. */
const SKIP_UNREAD_BYTES = 1 << 20;
/** Event blocks with a wrong trailer reported one by one. */
const MAX_TRAILER_WARNINGS = 10;
/** Block header (type + total length) and trailer sizes. */
const BLOCK_HEADER_LEN = 8;
const BLOCK_TRAILER_LEN = 4;
/** Smallest section header: header, magic, versions, section length, trailer. */
const MIN_SECTION_HEADER_LEN = BLOCK_HEADER_LEN + 16 + BLOCK_TRAILER_LEN;
/** pcapng's packet blocks (obsolete, simple, enhanced): network packets, which a scap capture never holds. */
const isPcapngPacketBlock = (type: number): boolean => type === 2 || type === 3 || type === 6;
/** Event header of pre-1.2 event blocks: no nparams field. */
const V1_EVENT_HEADER_LEN = EVENT_HEADER_LEN - 4;
/**
 * libscap reads non-large event blocks into a 64 KiB buffer and rejects
 * longer ones (READER_BUF_SIZE in libscap/engine/savefile/savefile.h).
 */
const MAX_SMALL_EVENT_BLOCK_BODY = 1 << 16;

const SCHEMA_NPARAMS = eventTypeTable(Uint8Array, (e) => e.params.length);

/** Options of the block reader. */
export interface BlockReaderOptions {
  /**
   * Largest block accepted, in bytes. Larger declared lengths are reported as
   * corruption before anything is allocated for them. Default 256 MiB.
   */
  readonly maxBlockBytes?: number;
  /**
   * After a corrupt block, skip ahead to the next block that is valid (known
   * type, lengths in bounds, matching trailer, an event or state body that
   * parses) and go on, with a warning naming the bytes skipped, instead of
   * stopping with a ScapFormatError. Default false: damage is an error.
   */
  readonly recover?: boolean;
  /**
   * Absolute offset of the source's first byte, for a stream that continues
   * bytes read elsewhere (a live capture's events after its preamble). Default 0.
   */
  readonly firstOffset?: number;
  /**
   * The caller is done with each batch, its buffer and its arrays, when it
   * asks for the next one (as counting is): the reader then reads into the
   * chunks and arrays of earlier batches instead of allocating new ones.
   * Default false: batches stay valid after later calls.
   */
  readonly recycleBatches?: boolean;
}

/** The section header block. */
export interface SectionHeader {
  readonly majorVersion: number;
  readonly minorVersion: number;
  /** -1 when the writer did not know the length (libscap always writes -1 or the real length). */
  readonly sectionLength: bigint;
  /** Bytes of pcapng options after the fixed fields (skipped, as libscap does). */
  readonly optionBytes: number;
}

/** A complaint about the input that did not stop reading. */
export interface ReadWarning {
  readonly offset: number;
  readonly message: string;
}

/** Counts of what the reader met, for `scap info` and diagnostics. */
export interface ReaderStats {
  /** Blocks seen by block type id. */
  readonly blockCounts: Map<number, number>;
  /** Blocks of unknown type that were skipped. */
  unknownBlocks: number;
  /** Events whose type id is beyond the schema (newer libs); skipped as libscap does. */
  unknownEventTypes: number;
  /** Event blocks read. */
  eventBlocks: number;
  /** Decompressed bytes consumed. */
  bytesRead: number;
  /** Damaged regions skipped by `recover`, and their bytes. */
  skippedRegions: number;
  skippedBytes: number;
}

/**
 * Splits a decompressed capture into blocks: the section header and state
 * blocks up to the first event block (`readPreamble`), then batches of events
 * (`nextBatch`). Each batch references the chunk it was read from; events of
 * pre-1.2 blocks get the current header layout in place (`rewriteV1Header`).
 *
 * ```ts
 * const r = new BlockReader(await openByteSource(path));
 * const pre = await r.readPreamble();
 * for (let b = await r.nextBatch(); b; b = await r.nextBatch()) consume(b);
 * r.warnings; // e.g. a truncated last block
 * ```
 */
export class BlockReader {
  readonly stats: ReaderStats = {
    blockCounts: new Map(), unknownBlocks: 0, unknownEventTypes: 0, eventBlocks: 0, bytesRead: 0,
    skippedRegions: 0, skippedBytes: 0,
  };
  readonly warnings: ReadWarning[] = [];
  /** State blocks met after the first event block (libscap stops there; we keep reading). */
  readonly lateStateBlocks: StateBlock[] = [];

  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Absolute stream offset of `buf[0]`. */
  private bufOffset = 0;
  private eof = false;
  /** The part of the last chunk after a joined block, not yet parsed (see `fill`). */
  private tail: Buffer | undefined = undefined;
  private eventNum = 0;
  private readonly maxBlockBytes: number;
  private readonly builder = new EventBatchBuilder(4096);
  /**
   * A format error met after some events of the pass were already accepted:
   * those events are handed out first (as libscap returns every event before
   * the bad block, and so the events delivered do not depend on how the input
   * happened to be chunked), and the error is thrown by the next call.
   */
  private pendingError: unknown = undefined;
  /** A section header after events is next at `pos` (see takeRestart). */
  private restartPending = false;
  private restart: { header: SectionHeader; stateBlocks: StateBlock[] } | undefined = undefined;
  /** Why a compressed input ended early; reported with the truncation warning. */
  private streamEndedEarly: string | undefined;
  /** Event block type met last, and how many in a row: keeps the per-type count off the hot path. */
  private runType = -1;
  private runCount = 0;
  private readonly recover: boolean;
  private readonly recycleBatches: boolean;
  /** While recovering: absolute offset where the damaged bytes begin, else -1. */
  private skipFrom = -1;
  private skipReason = '';
  /** While recovering: bytes needed from `pos` to judge the candidate block there. */
  private skipNeed = 0;

  constructor(private readonly source: ByteSource, options: BlockReaderOptions = {}) {
    this.maxBlockBytes = options.maxBlockBytes ?? 256 * 1024 * 1024;
    this.recover = options.recover ?? false;
    this.recycleBatches = options.recycleBatches ?? false;
    this.bufOffset = options.firstOffset ?? 0;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number { return this.bufOffset + this.pos; }

  /**
   * Reads the section header and every block before the first event block.
   * Returns the header and the state blocks in file order.
   */
  async readPreamble(): Promise<{ header: SectionHeader; stateBlocks: StateBlock[] }> {
    if (!(await this.ensure(BLOCK_HEADER_LEN))) {
      const why = this.streamEndedEarly === undefined ? '' : ` (${this.streamEndedEarly})`;
      throw new ScapFormatError(`scap: input ends after ${this.available} bytes, before the section header${why}`, { offset: 0 });
    }
    const type = this.buf.readUInt32LE(this.pos);
    if (type !== BlockType.SECTION_HEADER) {
      this.fail(`first block has type 0x${type.toString(16)}, expected a section header 0x0a0d0d0a`, 0, type, 0);
    }
    const header = await this.readSectionHeader();
    return { header, stateBlocks: await this.readStateBlocks() };
  }

  /** The state blocks from `pos` up to the first event block, in file order. */
  private async readStateBlocks(): Promise<StateBlock[]> {
    const stateBlocks: StateBlock[] = [];
    for (;;) {
      if (!(await this.ensure(BLOCK_HEADER_LEN))) break;
      const t = this.buf.readUInt32LE(this.pos);
      if (eventBlockKind(t) !== EventBlockKind.None) break;
      if (isPcapngPacketBlock(t)) throw new PacketCaptureError(this.offset, t);
      try {
        // A large block of a type nobody reads is passed over, not gathered:
        // libscap seeks past it (seventeen of 256 MiB took 1.1 GB and 17 s).
        // Held nowhere, it is not bound by maxBlockBytes, which libscap does
        // not have: it passes over one of 2 GiB too.
        const unread = !isStateBlockType(t) && t !== BlockType.SECTION_HEADER && !this.recover;
        const len = this.checkedBlockLen(!unread);
        if (unread && (len > SKIP_UNREAD_BYTES || len > this.maxBlockBytes)) {
          if (await this.passOver(len)) {
            this.countBlock(t);
            this.stats.unknownBlocks++;
            continue;
          }
          break;
        }
        if (!(await this.ensure(len))) {
          // A damaged length can point past the end: look for blocks after it.
          if (!this.recover || this.available < 2 * BLOCK_HEADER_LEN) break;
          this.fail(`block declares ${len} bytes, only ${this.available} remain`, this.offset + 4, t, this.offset);
        }
        this.checkTrailer(len);
        const start = this.pos;
        const block = isStateBlockType(t) ? this.parseState(t, start, len) : undefined;
        this.countBlock(t);
        this.pos += len;
        if (block !== undefined) {
          stateBlocks.push(block);
        } else if (t === BlockType.SECTION_HEADER) {
          this.warn(this.bufOffset + start, 'a second section header before any event; its blocks are read as part of the first');
        } else {
          this.stats.unknownBlocks++;
        }
      } catch (err) {
        if (!this.recover || !(err instanceof ScapFormatError)) throw err;
        this.pos = this.beginSkip(this.pos, err);
        await this.finishSkip();
      }
    }
    return stateBlocks;
  }

  /**
   * The capture that follows a section header met after events (captures
   * joined end to end): libsinsp restarts there, reloading its state from
   * the state blocks after the header (sinsp::restart_capture). The newest
   * one read, taken once: it applies before the events of the batch
   * `nextBatch` returned last.
   */
  takeRestart(): { header: SectionHeader; stateBlocks: StateBlock[] } | undefined {
    const r = this.restart;
    this.restart = undefined;
    return r;
  }

  private async readRestart(): Promise<void> {
    this.restartPending = false;
    const header = await this.readSectionHeader();
    this.restart = { header, stateBlocks: await this.readStateBlocks() };
  }

  /** The next batch of events, or null at the end of the input. */
  async nextBatch(): Promise<EventBatch | null> {
    if (this.pendingError !== undefined) throw this.pendingError;
    for (;;) {
      if (this.restartPending) await this.readRestart();
      const batch = this.parseAvailable();
      if (batch) return batch;
      if (!(await this.fill(this.neededForNextBlock()))) {
        if (this.recover && this.available >= 2 * BLOCK_HEADER_LEN && this.skipFrom < 0) {
          // The last block is incomplete: its length may be the damage.
          const len = this.buf.readUInt32LE(this.pos + 4);
          this.skipReason = `a block at offset ${this.offset} declares ${len} bytes, only ${this.available} remain`;
          this.skipFrom = this.offset;
          this.pos += 1;
        }
        if (this.skipFrom >= 0) {
          // At the end of the input every candidate is judged on what is there.
          this.pos = this.scanForBlock(this.pos);
          if (this.skipFrom < 0) continue;
          this.endSkip(this.offset + this.available);
          this.pos = this.buf.length;
        }
        this.flushRun();
        this.noteTruncation();
        return null;
      }
    }
  }

  /** Stops reading and releases the input. */
  close(): void | Promise<void> { return this.source.close(); }

  private get available(): number { return this.buf.length - this.pos; }

  /** Parses every complete block in the buffer; returns a batch if any event was found. */
  private parseAvailable(): EventBatch | null {
    const buf = this.buf;
    const dv = viewOf(buf);
    const b = this.builder;
    let pos = this.pos;
    for (;;) {
    if (this.skipFrom >= 0) {
      pos = this.scanForBlock(pos);
      if (this.skipFrom >= 0) break;
    }
    try {
      while (buf.length - pos >= BLOCK_HEADER_LEN) {
        const type = dv.getUint32(pos, true);
        const len = dv.getUint32(pos + 4, true);
        if (len < BLOCK_HEADER_LEN + BLOCK_TRAILER_LEN || len > this.maxBlockBytes) {
          this.pos = pos;
          this.checkedBlockLen(); // throws with the details
        }
        const kind = eventBlockKind(type);
        // libscap rejects every non-large event block whose body does not fit its
        // 64 KiB read buffer, and pre-1.2 ones that no longer fit once nparams is
        // inserted (next_event_from_file). Checked on the header, before waiting
        // for the body: a corrupt length in the middle of a file is then an error
        // at once, not a long read to the end of the input and a truncation
        // warning; and the limit used to be checked for 1.2 blocks only.
        if (kind !== EventBlockKind.None && !eventBlockIsLarge(type)) {
          const smallLimit = kind === EventBlockKind.V2 ? MAX_SMALL_EVENT_BLOCK_BODY : MAX_SMALL_EVENT_BLOCK_BODY - 4;
          if (len - BLOCK_HEADER_LEN > smallLimit) {
            this.fail(`event block length ${len} exceeds the ${smallLimit + BLOCK_HEADER_LEN} bytes of a non-large event block`, this.bufOffset + pos + 4, type, this.bufOffset + pos);
          }
        }
        if (len > buf.length - pos) break;
        if (dv.getUint32(pos + len - 4, true) !== len) {
          this.pos = pos;
          // libscap reads an event block's trailer with its body and never
          // looks at it (scap_savefile.c next_event_from_file): a block whose
          // event fills it exactly, padding and trailer included, is read by
          // its header with a warning. Otherwise the trailer is what shows a
          // damaged length (it would swallow the next block), and it fails.
          const evLenAt = pos + BLOCK_HEADER_LEN + (eventBlockHasFlags(type) ? 6 : 2) + 16;
          const fits = kind !== EventBlockKind.None && evLenAt + 4 <= pos + len
            && ((evLenAt - 16 - pos + dv.getUint32(evLenAt, true) + 3) & ~3) + BLOCK_TRAILER_LEN === len;
          if (fits) this.warnTrailer(dv.getUint32(pos + len - 4, true), len, type, this.bufOffset + pos);
          else this.checkTrailer(len);
        }
        if (kind !== EventBlockKind.None) {
          if (type !== this.runType) { this.flushRun(); this.runType = type; }
          this.runCount++;
          this.stats.eventBlocks++;
          const blockOffset = this.bufOffset + pos;
          const flagged = eventBlockHasFlags(type);
          const evStart = pos + BLOCK_HEADER_LEN + (flagged ? 6 : 2);
          const bodyEnd = pos + len - BLOCK_TRAILER_LEN;
          const avail = bodyEnd - evStart;
          if (kind === EventBlockKind.V2) {
            if (avail < EVENT_HEADER_LEN) {
              this.fail(`event header needs ${EVENT_HEADER_LEN} bytes but the block holds ${Math.max(avail, 0)}`, blockOffset, type, blockOffset);
            }
            const evType = dv.getUint16(evStart + 20, true);
            if (evType >= PPM_EVENT_MAX) {
              this.stats.unknownEventTypes++;
            } else {
              validateV2Event(dv, evStart, avail, evType, type, blockOffset, blockOffset + (evStart - pos));
              this.push(evStart, dv.getUint16(pos + 8, true), flagged ? dv.getUint32(pos + 10, true) : 0, blockOffset);
            }
          } else {
            if (avail < V1_EVENT_HEADER_LEN) {
              this.fail(`event header needs ${V1_EVENT_HEADER_LEN} bytes but the block holds ${Math.max(avail, 0)}`, blockOffset, type, blockOffset);
            }
            const evType = dv.getUint16(evStart + 20, true);
            if (evType >= PPM_EVENT_MAX) {
              this.stats.unknownEventTypes++;
            } else {
              const evLen = dv.getUint32(evStart + 16, true);
              if (evLen < V1_EVENT_HEADER_LEN || evLen > avail) {
                this.fail(`event length ${evLen} does not fit the ${avail} bytes of its block`, blockOffset + (evStart - pos) + 16, type, blockOffset);
              }
              // Inferred here rather than while copying, so that an event whose
              // lengths fit no count stops the pass at its own block.
              const nparams = inferV1Nparams(dv, evStart, evLen, evType, type, blockOffset);
              const cpu = dv.getUint16(pos + 8, true);
              const evFlags = flagged ? dv.getUint32(pos + 10, true) : 0;
              rewriteV1Header(dv, evStart, evLen, evType, nparams);
              this.push(evStart - 4, cpu, evFlags, blockOffset);
            }
          }
        } else {
          this.flushRun();
          if (type === BlockType.SECTION_HEADER) {
            // Captures joined end to end: the batch ends here, and the next
            // call reads the header (counting it) and the state after it (takeRestart).
            this.restartPending = true;
            break;
          }
          this.countBlock(type);
          if (isStateBlockType(type)) {
            this.pos = pos;
            this.lateStateBlocks.push(this.parseState(type, pos, len));
            this.warnLate(pos, `${withArticle(blockTypeName(type))} block after the first event: libscap refuses such a file; it is kept apart, not applied to the state`);
          } else {
            this.stats.unknownBlocks++;
            this.warnLate(pos, `an unknown block (type ${blockTypeHex(type)}) after the first event: libscap refuses such a file; skipped`);
          }
        }
        pos += len;
      }
      break;
    } catch (err) {
      this.flushRun();
      if (this.recover && err instanceof ScapFormatError) {
        pos = this.beginSkip(pos, err);
        continue;
      }
      // Deliver the events accepted before the bad block; throw on the next call.
      if (b.count === 0) throw err;
      this.pendingError = err;
      break;
    }
    }
    this.pos = pos;
    if (b.count === 0) return null;
    return b.finish(buf, this.recycleBatches);
  }

  private push(evStart: number, cpu: number, flags: number, blockOffset: number): void {
    this.builder.push(evStart, cpu, flags, ++this.eventNum, blockOffset);
  }

  private parseState(type: number, start: number, len: number): StateBlock {
    return parseStateBlock(type, this.buf, start + BLOCK_HEADER_LEN, start + len - BLOCK_TRAILER_LEN, {
      blockType: type,
      blockOffset: this.bufOffset + start,
    });
  }

  private async readSectionHeader(): Promise<SectionHeader> {
    const len = this.buf.readUInt32LE(this.pos + 4);
    if (len < MIN_SECTION_HEADER_LEN || len > this.maxBlockBytes) {
      this.fail(`section header length ${len} is outside ${MIN_SECTION_HEADER_LEN}..${this.maxBlockBytes}`, 4, BlockType.SECTION_HEADER, 0);
    }
    if (!(await this.ensure(len))) {
      this.fail(`input ends inside the section header (${this.available} of ${len} bytes)`, this.offset + this.available, BlockType.SECTION_HEADER, 0);
    }
    const p = this.pos + BLOCK_HEADER_LEN;
    const magic = this.buf.readUInt32LE(p);
    if (magic === SECTION_MAGIC_SWAPPED) {
      this.fail('big-endian capture (byte-swapped section magic); libscap does not read these either', p, BlockType.SECTION_HEADER, 0);
    }
    if (magic !== SECTION_MAGIC) {
      this.fail(`section magic 0x${magic.toString(16)}, expected 0x${SECTION_MAGIC.toString(16)}`, p, BlockType.SECTION_HEADER, 0);
    }
    const majorVersion = this.buf.readUInt16LE(p + 4);
    const minorVersion = this.buf.readUInt16LE(p + 6);
    if (majorVersion > 1) {
      this.fail(`capture format ${majorVersion}.${minorVersion} is newer than 1.x, which is all this reader knows`, p + 4, BlockType.SECTION_HEADER, 0);
    }
    const sectionLength = this.buf.readBigInt64LE(p + 8);
    this.checkTrailer(len);
    this.countBlock(BlockType.SECTION_HEADER);
    this.pos += len;
    return { majorVersion, minorVersion, sectionLength, optionBytes: len - MIN_SECTION_HEADER_LEN };
  }

  /** Length of the block at `pos`, checked against the format's bounds (and `maxBlockBytes` when it is to be held). */
  private checkedBlockLen(held = true): number {
    const type = this.buf.readUInt32LE(this.pos);
    const len = this.buf.readUInt32LE(this.pos + 4);
    if (len < BLOCK_HEADER_LEN + BLOCK_TRAILER_LEN) {
      this.fail(`block length ${len} is shorter than a block's header and trailer (12 bytes)`, this.offset + 4, type, this.offset);
    }
    if (held && len > this.maxBlockBytes) {
      this.fail(`block length ${len} exceeds the limit of ${this.maxBlockBytes} bytes (maxBlockBytes)`, this.offset + 4, type, this.offset);
    }
    return len;
  }

  /** Whether a block libscap refuses after the first event was reported (once per read). */
  private lateReported = false;

  private warnLate(pos: number, message: string): void {
    if (this.lateReported) return;
    this.lateReported = true;
    this.warn(this.bufOffset + pos, `${message} (later ones are not reported)`);
  }

  /** Event blocks with a wrong trailer reported so far (the first few are, then one line says more were). */
  private badTrailers = 0;

  private warnTrailer(trailer: number, len: number, type: number, blockOffset: number): void {
    const n = ++this.badTrailers;
    if (n <= MAX_TRAILER_WARNINGS) {
      this.warn(blockOffset + len - 4, `${withArticle(blockTypeName(type))} block at offset ${blockOffset}: its trailer says ${trailer} bytes, its header ${len}; read by its header, as libscap reads it`);
    } else if (n === MAX_TRAILER_WARNINGS + 1) {
      this.warn(blockOffset + len - 4, `more event blocks with a wrong trailer, from offset ${blockOffset} on, are not reported one by one`);
    }
  }

  private checkTrailer(len: number): void {
    const trailer = this.buf.readUInt32LE(this.pos + len - 4);
    if (trailer !== len) {
      const type = this.buf.readUInt32LE(this.pos);
      this.fail(`block trailer says ${trailer} bytes but the header says ${len}`, this.offset + len - 4, type, this.offset);
    }
  }

  /**
   * Starts skipping damaged bytes at `buf[pos]`, the start of the block that
   * failed; returns where to look for the next valid block. A block whose
   * own framing holds (length in bounds, matching trailer) is skipped whole,
   * so nothing inside its body is mistaken for a block.
   */
  private beginSkip(pos: number, err: ScapFormatError): number {
    this.skipFrom = this.bufOffset + pos;
    this.skipReason = err.message.replace(/^scap: /, '');
    const buf = this.buf;
    if (buf.length - pos >= BLOCK_HEADER_LEN) {
      const len = buf.readUInt32LE(pos + 4);
      if (len >= BLOCK_HEADER_LEN + BLOCK_TRAILER_LEN && len % 4 === 0 && len <= buf.length - pos &&
        buf.readUInt32LE(pos + len - 4) === len) return pos + len;
    }
    return pos + 1;
  }

  /** Scans (reading on as needed) until the skip begun by `beginSkip` ends. */
  private async finishSkip(): Promise<void> {
    for (;;) {
      this.pos = this.scanForBlock(this.pos);
      if (this.skipFrom < 0) return;
      if (!(await this.fill(Math.max(this.skipNeed, SKIP_SCAN_BYTES))) && this.skipFrom >= 0) {
        this.pos = this.scanForBlock(this.pos);
        if (this.skipFrom < 0) return;
        this.endSkip(this.offset + this.available);
        this.pos = this.buf.length;
        return;
      }
    }
  }

  /**
   * While skipping: the first position from `pos` where a valid block starts
   * (the skip then ends there), or the position of a candidate that needs
   * more input to be judged (`skipNeed` bytes; the skip goes on). Once the
   * input has ended, a candidate running past it is no block.
   */
  private scanForBlock(pos: number): number {
    const buf = this.buf;
    const end = this.eof && this.tail === undefined;
    for (; buf.length - pos >= BLOCK_HEADER_LEN; pos++) {
      // Most damaged bytes fail at the first look: no block type has them.
      if (!mayBeBlockType(buf, pos)) continue;
      const need = this.judgeCandidate(pos);
      if (need === 0) {
        this.endSkip(this.bufOffset + pos);
        return pos;
      }
      if (need > 0 && !end) {
        this.skipNeed = need;
        return pos;
      }
    }
    this.skipNeed = BLOCK_HEADER_LEN;
    return pos;
  }

  /**
   * Whether a valid block starts at `buf[pos]`: 0 if so, -1 if not, or the
   * bytes from `pos` needed to tell. Stricter than reading (padded length,
   * known event type): a false start inside damaged bytes costs real events.
   */
  private judgeCandidate(pos: number): number {
    const buf = this.buf;
    const type = buf.readUInt32LE(pos);
    const len = buf.readUInt32LE(pos + 4);
    const kind = eventBlockKind(type);
    if (kind === EventBlockKind.None && !isStateBlockType(type) && type !== BlockType.SECTION_HEADER) return -1;
    if (len < BLOCK_HEADER_LEN + BLOCK_TRAILER_LEN || len % 4 !== 0 || len > this.maxBlockBytes) return -1;
    if (kind !== EventBlockKind.None && !eventBlockIsLarge(type) && len - BLOCK_HEADER_LEN > MAX_SMALL_EVENT_BLOCK_BODY) return -1;
    if (len > buf.length - pos) return len;
    if (buf.readUInt32LE(pos + len - 4) !== len) return -1;
    const blockOffset = this.bufOffset + pos;
    try {
      if (type === BlockType.SECTION_HEADER) {
        return len >= MIN_SECTION_HEADER_LEN && buf.readUInt32LE(pos + 8) === SECTION_MAGIC ? 0 : -1;
      }
      if (kind === EventBlockKind.None) {
        this.parseState(type, pos, len);
        return 0;
      }
      const dv = viewOf(buf);
      const evStart = pos + BLOCK_HEADER_LEN + (eventBlockHasFlags(type) ? 6 : 2);
      const avail = pos + len - BLOCK_TRAILER_LEN - evStart;
      const headerLen = kind === EventBlockKind.V2 ? EVENT_HEADER_LEN : V1_EVENT_HEADER_LEN;
      if (avail < headerLen) return -1;
      const evType = dv.getUint16(evStart + 20, true);
      if (evType >= PPM_EVENT_MAX) return -1;
      if (kind === EventBlockKind.V2) {
        validateV2Event(dv, evStart, avail, evType, type, blockOffset, blockOffset);
      } else {
        const evLen = dv.getUint32(evStart + 16, true);
        if (evLen < V1_EVENT_HEADER_LEN || evLen > avail) return -1;
        inferV1Nparams(dv, evStart, evLen, evType, type, blockOffset);
      }
      return 0;
    } catch (err) {
      if (err instanceof ScapFormatError) return -1;
      throw err;
    }
  }

  /** Ends a skip at absolute offset `to` with a warning naming the bytes skipped. */
  private endSkip(to: number): void {
    const from = this.skipFrom;
    this.skipFrom = -1;
    this.stats.skippedRegions++;
    this.stats.skippedBytes += to - from;
    this.warn(from, `recovered: skipped ${to - from} damaged bytes at offsets ${from}..${to} (${this.skipReason}); ` +
      (to === this.offset + this.available && this.eof ? 'nothing valid follows them' : `reading resumed at the next valid block, at offset ${to}`));
  }

  private fail(message: string, offset: number, blockType: number, blockOffset: number): never {
    throw formatError(message, offset, blockType, blockOffset);
  }

  private warn(offset: number, message: string): void {
    this.warnings.push({ offset, message });
  }

  private countBlock(type: number): void {
    this.stats.blockCounts.set(type, (this.stats.blockCounts.get(type) ?? 0) + 1);
  }

  private flushRun(): void {
    if (this.runCount > 0) {
      this.stats.blockCounts.set(this.runType, (this.stats.blockCounts.get(this.runType) ?? 0) + this.runCount);
    }
    this.runCount = 0;
    this.runType = -1;
  }

  /** Bytes needed from `pos` to complete the next block (its header first). */
  private neededForNextBlock(): number {
    if (this.skipFrom >= 0) return Math.max(this.skipNeed, SKIP_SCAN_BYTES);
    if (this.available < BLOCK_HEADER_LEN) return BLOCK_HEADER_LEN;
    return this.buf.readUInt32LE(this.pos + 4);
  }

  /**
   * Moves past the `len`-byte block at `pos` without gathering its bytes;
   * false (and nothing left) when the input ends inside it.
   */
  private async passOver(len: number): Promise<boolean> {
    let left = len;
    for (;;) {
      const here = Math.min(left, this.available);
      this.pos += here;
      left -= here;
      if (left === 0) return true;
      const chunk = await this.nextChunk();
      if (chunk === undefined) {
        this.warn(this.offset - (len - left), `input ends inside an unknown block of ${len} bytes, ${len - left} present`);
        return false;
      }
      this.bufOffset += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
    }
  }

  private async ensure(n: number): Promise<boolean> {
    if (this.available >= n) return true;
    return this.fill(n);
  }

  /**
   * Reads chunks until `n` bytes are buffered from `pos` (false at the end of
   * the input). Chunks are gathered and joined once, so a large block costs
   * one copy, and nothing is allocated beyond the bytes actually read.
   */
  private async fill(n: number): Promise<boolean> {
    const parts: Buffer[] = [];
    let have = this.available;
    if (have > 0) parts.push(this.buf.subarray(this.pos));
    while (have < n) {
      const chunk = await this.nextChunk();
      if (chunk === undefined) break;
      parts.push(chunk);
      have += chunk.length;
    }
    this.bufOffset += this.pos;
    this.pos = 0;
    if (have >= n && parts.length > 1) {
      // A block straddles chunks: join only the bytes up to its end and keep
      // the rest of the last chunk, uncopied, for the passes that follow.
      // Joining whole chunks would copy every byte of the input once more.
      const last = parts[parts.length - 1]!;
      const cut = n - (have - last.length);
      if (cut < last.length) {
        parts[parts.length - 1] = last.subarray(0, cut);
        this.tail = last.subarray(cut);
        have = n;
      }
    }
    const old = this.buf;
    this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    // The chunk left behind is referenced by no batch the caller still
    // holds (they were all handed out before this call) and by no state
    // block (those are decoded into values): its memory can take a later read.
    if (this.recycleBatches && old.buffer !== this.buf.buffer && old.buffer !== this.tail?.buffer) {
      this.source.recycle?.(old);
    }
    return have >= n;
  }

  /** The next chunk: the kept tail of the last one first, then the input's; undefined at its end. */
  private async nextChunk(): Promise<Buffer | undefined> {
    if (this.tail !== undefined) {
      const t = this.tail;
      this.tail = undefined;
      return t;
    }
    while (!this.eof) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.source.chunks.next();
      } catch (err) {
        if (isTruncatedCompressedStream(err)) {
          // Reported once, with the incomplete block if any (noteTruncation).
          this.streamEndedEarly = `the ${this.source.compression} stream ends early (${(err as Error).message})`;
          r = { done: true, value: undefined };
        } else if (err instanceof TrailingBytesError) {
          const at = this.bufOffset + this.buf.length;
          this.warn(at, `the gzip data ends at decompressed offset ${at}; ${err.message}: ignored, as gzip and libscap ignore them`);
          r = { done: true, value: undefined };
        } else if (this.source.compression === 'none' || !/^Z_/.test((err as NodeJS.ErrnoException).code ?? 'Z_')) {
          // The input failed to read (EIO, a stream destroyed): not damage in the file.
          throw err;
        } else {
          const at = this.bufOffset + this.buf.length;
          throw new ScapFormatError(
            `scap: cannot decompress ${this.source.compression} input: ${(err as Error).message}, after decompressed offset ${at}`,
            { offset: at },
          );
        }
      }
      if (r.done) { this.eof = true; break; }
      if (r.value.length === 0) continue;
      this.stats.bytesRead += r.value.length;
      return r.value;
    }
    return undefined;
  }


  private noteTruncation(): void {
    const left = this.available;
    const at = this.offset;
    const early = this.streamEndedEarly === undefined ? '' : `${this.streamEndedEarly}: `;
    this.streamEndedEarly = undefined;
    if (left === 0) {
      if (early) this.warn(at, `${early}input ends at decompressed offset ${at}, after a complete block; every event before it was read`);
      return;
    }
    if (left < BLOCK_HEADER_LEN) {
      this.warn(at, `${early}input ends with ${left} bytes of an incomplete block header; every complete event before offset ${at} was read`);
    } else {
      const type = this.buf.readUInt32LE(this.pos);
      const len = this.buf.readUInt32LE(this.pos + 4);
      this.warn(at, `${early}input ends inside ${withArticle(blockTypeName(type))} block at offset ${at}: it declares ${len} bytes, ${left} are present; every complete event before it was read`);
    }
  }
}

/**
 * Gives a pre-1.2 event (22-byte header at `at`) the current header, in
 * place: libscap inserts nparams (next_event_from_file in
 * libscap/engine/savefile/scap_savefile.c). The 4 bytes before the event are
 * its block's length/cpu/flags, already read; moving the old header back over
 * them leaves room for nparams right where the parameter lengths begin, so
 * no event is copied. Done as each event is accepted: its block is complete
 * and is never parsed again.
 */
function rewriteV1Header(dv: DataView, at: number, len: number, type: number, nparams: number): void {
  const to = at - 4;
  dv.setUint32(to, dv.getUint32(at, true), true);
  dv.setUint32(to + 4, dv.getUint32(at + 4, true), true);
  dv.setUint32(to + 8, dv.getUint32(at + 8, true), true);
  dv.setUint32(to + 12, dv.getUint32(at + 12, true), true);
  // Old captures store a length 3 bytes too long for these two types; the
  // bytes stay in the buffer but are no longer part of the event.
  const quirk = type === EventType.NOTIFICATION_E || type === EventType.INFRASTRUCTURE_EVENT_E ? 3 : 0;
  dv.setUint32(to + 16, len + 4 - quirk, true);
  dv.setUint16(to + 20, type, true);
  dv.setUint32(to + 22, nparams, true);
}

/**
 * Checks an event of a 1.2 event block before anything reads its parameters,
 * as libscap does (validate_v2_event in libscap/engine/savefile/scap_savefile.c).
 */
function validateV2Event(
  dv: DataView, at: number, avail: number, evType: number, blockType: number, blockOffset: number,
  /** Absolute offset of the event: errors point at the offending field. */
  evOffset: number,
): void {
  const len = dv.getUint32(at + 16, true);
  if (len < EVENT_HEADER_LEN) throw formatError(`event length ${len} is shorter than the ${EVENT_HEADER_LEN}-byte event header`, evOffset + 16, blockType, blockOffset);
  if (len > avail) throw formatError(`event length ${len} exceeds the ${avail} bytes of its block`, evOffset + 16, blockType, blockOffset);
  const nparams = dv.getUint32(at + 22, true);
  const lenSize = LARGE_PAYLOAD_TYPES[evType] === 1 ? 4 : 2;
  const dataStart = EVENT_HEADER_LEN + nparams * lenSize;
  if (dataStart > len) throw formatError(`${nparams} parameters do not fit in event length ${len}`, evOffset + 22, blockType, blockOffset);
  let sum = dataStart;
  let lenAt = at + EVENT_HEADER_LEN;
  for (let k = 0; k < nparams; k++) {
    sum += lenSize === 2 ? dv.getUint16(lenAt, true) : dv.getUint32(lenAt, true);
    lenAt += lenSize;
  }
  if (sum > len) throw formatError(`parameter lengths add up to ${sum} bytes, beyond event length ${len}`, evOffset + EVENT_HEADER_LEN, blockType, blockOffset);
}

/**
 * Parameter count of a pre-1.2 event (22-byte header at `at`, stored length
 * `len`) whose lengths add up exactly to its length, found as libscap does:
 * from the schema's count downwards, giving up at the first count whose
 * lengths fall short. NOTIFICATION_E and INFRASTRUCTURE_EVENT_E lengths are
 * 3 bytes too long in old captures.
 */
function inferV1Nparams(dv: DataView, at: number, len: number, type: number, blockType: number, blockOffset: number): number {
  const end = type === EventType.NOTIFICATION_E || type === EventType.INFRASTRUCTURE_EVENT_E ? len - 3 : len;
  // Counts whose length fields alone pass the end are skipped. For the
  // others, the first n u16s after the header are the same bytes whatever n
  // is tried, so the sum for n - 1 is the sum for n minus one length: one
  // pass up, one pass down, rather than a sum per count (old layouts have
  // far fewer parameters than the schema, so many counts were summed).
  const top = Math.min(SCHEMA_NPARAMS[type]!, Math.floor((end - V1_EVENT_HEADER_LEN) / 2));
  let sum = 0;
  for (let k = 0; k < top; k++) sum += dv.getUint16(at + V1_EVENT_HEADER_LEN + k * 2, true);
  for (let n = top; n >= 0; n--) {
    const p = V1_EVENT_HEADER_LEN + n * 2 + sum;
    if (p < end) break;
    if (p === end) return n;
    if (n > 0) sum -= dv.getUint16(at + V1_EVENT_HEADER_LEN + (n - 1) * 2, true);
  }
  throw formatError(
    `cannot tell the parameter count of a pre-1.2 event of type ${type}: its parameter lengths match no count up to ${SCHEMA_NPARAMS[type]}`,
    blockOffset, blockType, blockOffset,
  );
}

/**
 * A ScapFormatError in the standard form (errors.ts scapMessage), which names
 * the block by family and id, e.g. "(event block 0x216 starting at 812)": the
 * family name alone did not tell EV from EV_V2_LARGE.
 */
function formatError(detail: string, offset: number, blockType: number, blockOffset: number): ScapFormatError {
  const at = { offset, blockType, blockOffset };
  return new ScapFormatError(scapMessage(detail, at), at);
}

/** "an event", "a process list", "a 0x300". */
function withArticle(name: string): string {
  return (/^[aeiou]/.test(name) ? 'an ' : 'a ') + name;
}

function isTruncatedCompressedStream(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'Z_BUF_ERROR' || /unexpected end of file|truncated|incomplete/i.test(e?.message ?? '');
}
