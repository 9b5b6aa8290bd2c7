// Typed errors for malformed capture files, and the names of block types used
// in their messages. Every error that leaves the reader is a ScapFormatError
// that says what was expected, what was found, and where (absolute file offset
// plus the enclosing block), so a user can open the file in a hex editor at
// the right place.

import { BlockType } from './block-types.js';

/** Family name of every block id of the format (userspace/libscap/scap_savefile.h). */
const FAMILY_NAMES = new Map<number, string>([
  [BlockType.SECTION_HEADER, 'section header'],
  [BlockType.MACHINE_INFO, 'machine info'],
  [BlockType.MACHINE_INFO_INT, 'machine info'],
  [BlockType.PROCESS_LIST_V1, 'process list'],
  [BlockType.PROCESS_LIST_V1_INT, 'process list'],
  [BlockType.PROCESS_LIST_V2, 'process list'],
  [BlockType.PROCESS_LIST_V2_INT, 'process list'],
  [BlockType.PROCESS_LIST_V3, 'process list'],
  [BlockType.PROCESS_LIST_V3_INT, 'process list'],
  [BlockType.PROCESS_LIST_V4, 'process list'],
  [BlockType.PROCESS_LIST_V5, 'process list'],
  [BlockType.PROCESS_LIST_V6, 'process list'],
  [BlockType.PROCESS_LIST_V7, 'process list'],
  [BlockType.PROCESS_LIST_V8, 'process list'],
  [BlockType.PROCESS_LIST_V9, 'process list'],
  [BlockType.FD_LIST, 'fd list'],
  [BlockType.FD_LIST_INT, 'fd list'],
  [BlockType.FD_LIST_V2, 'fd list'],
  [BlockType.EVENT, 'event'],
  [BlockType.EVENT_INT, 'event'],
  [BlockType.EVENT_V2, 'event'],
  [BlockType.EVENT_V2_LARGE, 'event'],
  [BlockType.EVENT_FLAGS, 'event with flags'],
  [BlockType.EVENT_FLAGS_V2, 'event with flags'],
  [BlockType.EVENT_FLAGS_V2_LARGE, 'event with flags'],
  [BlockType.INTERFACE_LIST, 'interface list'],
  [BlockType.INTERFACE_LIST_INT, 'interface list'],
  [BlockType.INTERFACE_LIST_V2, 'interface list'],
  [BlockType.USER_LIST, 'user list'],
  [BlockType.USER_LIST_INT, 'user list'],
  [BlockType.USER_LIST_V2, 'user list'],
]);

/** `0x215`-style hex of a block type id. */
export function blockTypeHex(type: number): string {
  return '0x' + (type >>> 0).toString(16);
}

/**
 * Human name of a block type's family ("process list", "event", ...); the
 * version is in the id, which messages print next to the name. Unknown ids
 * come back as their hex.
 */
export function blockTypeName(type: number): string {
  return FAMILY_NAMES.get(type >>> 0) ?? blockTypeHex(type);
}

/** Where a format error was found. `offset` is an absolute byte offset in the (uncompressed) file. */
export interface ScapErrorPosition {
  offset: number;
  blockType?: number;
  blockOffset?: number;
}

/**
 * A capture is malformed: a length, type or count does not fit the format.
 * The message is taken as given; build it with `scapMessage` so it carries
 * the position in the usual form:
 *
 * ```ts
 * const at = { offset, blockType, blockOffset };
 * throw new ScapFormatError(scapMessage(entryTooLong('process list entry', len, left), at), at);
 * // scap: process list entry length 9999 exceeds the 812 bytes left, at offset 1048576
 * //       (process list block 0x215 starting at 1048520)
 * ```
 */
export class ScapFormatError extends Error {
  override readonly name: string = 'ScapFormatError';
  /** Absolute file offset of the offending bytes. */
  readonly offset: number;
  readonly blockType?: number;
  readonly blockOffset?: number;

  constructor(message: string, position: ScapErrorPosition) {
    super(message);
    this.offset = position.offset;
    if (position.blockType !== undefined) this.blockType = position.blockType;
    if (position.blockOffset !== undefined) this.blockOffset = position.blockOffset;
  }
}

/**
 * The input is a pcapng packet capture. scap's section header is pcapng's
 * (same block type, byte-order magic and version 1), so only the blocks
 * after it tell them apart: packet blocks (types 2, 3 and 6), which no
 * syscall capture holds. (An interface block alone proves nothing: a pcapng
 * writer may put one in a syscall capture, and libscap skips it.)
 */
export class PacketCaptureError extends ScapFormatError {
  override readonly name = 'PacketCaptureError';
  constructor(offset: number, blockType: number) {
    const at = { offset, blockType, blockOffset: offset };
    super(scapMessage('this is a pcapng packet capture (Wireshark, tcpdump, dumpcap) of network packets, not syscalls: ' +
      'it holds a packet block', at), at);
  }
}

/**
 * `err`, its message naming `input` when it is a ScapFormatError: a
 * command reading several captures says which one the offset is in
 * (`scap: b.scap: block length 5 …, at offset 87816 …`). Other errors name
 * their file already (NotACaptureError, fs errors) or have no position.
 */
export function inInput(err: unknown, input: string): unknown {
  if (err instanceof ScapFormatError && err.message.startsWith('scap: ') && !err.message.startsWith(`scap: ${input}: `)) {
    err.message = `scap: ${input}: ${err.message.slice('scap: '.length)}`;
  }
  return err;
}

/**
 * `scap: <detail>, at offset N (<family> block 0xT starting at B)`: the
 * standard message of a ScapFormatError found at `position`.
 */
export function scapMessage(detail: string, position: ScapErrorPosition): string {
  return `scap: ${detail}, at offset ${position.offset}${describeBlock(position)}`;
}

function describeBlock({ blockType, blockOffset }: ScapErrorPosition): string {
  if (blockType === undefined) return blockOffset === undefined ? '' : ` (block starting at ${blockOffset})`;
  const name = FAMILY_NAMES.get(blockType >>> 0);
  const label = name === undefined ? `block ${blockTypeHex(blockType)}` : `${name} block ${blockTypeHex(blockType)}`;
  return blockOffset === undefined ? ` (${label})` : ` (${label} starting at ${blockOffset})`;
}

// ---- message builders: each states what was expected and what was found ----

/** A declared length runs past the bytes that are left. */
export function blockTooLong(len: number, remaining: number): string {
  return entryTooLong('block', len, remaining);
}

/** A declared length (of a block, entry or string) runs past its container. */
export function entryTooLong(what: string, len: number, remaining: number): string {
  return `${what} length ${len} exceeds the ${remaining} bytes left`;
}

/** A declared length is smaller than the fixed part the item must hold. */
export function entryTooShort(what: string, len: number, min: number): string {
  return `${what} length ${len} is less than the ${min} bytes it must hold`;
}

/** A fixed-size field does not fit in what is left of its container. */
export function truncatedField(what: string, need: number, remaining: number): string {
  return `${what} needs ${need} bytes but only ${remaining} are left`;
}

/** A string length exceeds the limit libscap enforces for that field. */
export function stringTooLong(what: string, len: number, max: number): string {
  return `${what} length ${len} exceeds the limit of ${max} bytes`;
}

/** A type tag has a value the format does not define. */
export function unknownTag(what: string, value: number): string {
  return `unknown ${what} ${value}`;
}
