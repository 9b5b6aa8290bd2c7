// A growable little-endian byte builder for whole blocks. Block framing
// (falcosecurity/libs 48dfd53 userspace/libscap/scap_savefile.c,
// scap_normalize_block_len and scap_write_padding): u32 type, u32 total
// length, body, zero padding to a multiple of 4, u32 total length again.
// State blocks are small next to the event stream, so clarity wins over
// speed here; events are framed by event-blocks.ts straight into the
// writer's buffer.

/** Rounds a length up to the next multiple of 4, as every block is padded. */
export function padded4(len: number): number {
  return (len + 3) & ~3;
}

/**
 * Appends values and frames blocks. `beginBlock` reserves the header,
 * `endBlock` pads and writes the length in both places.
 *
 * ```ts
 * const b = new BlockBuilder();
 * b.beginBlock(BlockType.USER_LIST_V2);
 * b.u32(entryLen).u8(0) … ;
 * b.endBlock();
 * const bytes = b.finish();
 * ```
 */
export class BlockBuilder {
  private buf: Buffer;
  /** Bytes written so far. */
  length = 0;
  private blockStart = -1;

  constructor(capacity = 4096) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private room(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, at + n));
      this.buf.copy(next, 0, 0, at);
      this.buf = next;
    }
    this.length = at + n;
    return at;
  }

  // Each write reserves room first: `room` may replace `this.buf`.
  u8(v: number): this { const at = this.room(1); this.buf[at] = v & 0xff; return this; }
  u16(v: number): this { const at = this.room(2); this.buf.writeUInt16LE(v & 0xffff, at); return this; }
  u32(v: number): this { const at = this.room(4); this.buf.writeUInt32LE(v >>> 0, at); return this; }
  /** A signed 64-bit value given as a number (exact within ±2^53) or bigint. */
  i64(v: number | bigint): this {
    const at = this.room(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, BigInt(v)), at);
    return this;
  }
  /** An unsigned 64-bit value given as a number or bigint (taken modulo 2^64). */
  u64(v: number | bigint): this {
    const at = this.room(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), at);
    return this;
  }
  bytes(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }
  /** `n` zero bytes. */
  zeros(n: number): this {
    const at = this.room(n);
    this.buf.fill(0, at, at + n);
    return this;
  }
  /** Overwrites a u32 written earlier at `at` (an entry length known only at its end). */
  patchU32(at: number, v: number): void {
    this.buf.writeUInt32LE(v >>> 0, at);
  }

  /** Starts a block of `type`: writes the header with a length to be patched. */
  beginBlock(type: number): this {
    if (this.blockStart >= 0) throw new Error('BlockBuilder: a block is already open');
    this.blockStart = this.length;
    return this.u32(type).u32(0);
  }

  /** Pads the open block's body to 4 bytes, writes the trailer and patches the header length. */
  endBlock(): this {
    const start = this.blockStart;
    if (start < 0) throw new Error('BlockBuilder: no block is open');
    const bodyLen = this.length - start - 8;
    this.zeros(padded4(bodyLen) - bodyLen);
    const total = this.length - start + 4;
    this.u32(total);
    this.patchU32(start + 4, total);
    this.blockStart = -1;
    return this;
  }

  /** The bytes written (a view; the builder must not be used afterwards). */
  finish(): Buffer {
    if (this.blockStart >= 0) throw new Error('BlockBuilder: a block is still open');
    return this.buf.subarray(0, this.length);
  }
}
