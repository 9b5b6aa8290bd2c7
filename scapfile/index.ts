// The public API of scapfile/: reading scap captures. Everything a user of
// the library needs is exported here by name; internals stay in their files.

export { openCapture } from './open-capture.js';
export type { Capture, CaptureInfo, OpenCaptureOptions, Source } from './open-capture.js';
export { detectCompression, NotACaptureError } from './byte-source.js';
export type { Compression } from './byte-source.js';
export type { ReaderStats, ReadWarning, SectionHeader } from './block-reader.js';
export { BlockType } from './block-types.js';
export { EventBatchBuilder, EVENT_HEADER_LEN } from './event-batch.js';
export type { EventBatch } from './event-batch.js';
export { EventCursor, MAX_EVENT_PARAMS } from './event-cursor.js';
export { compareTs, formatRawNs, splitNs } from './timestamp.js';
export { PacketCaptureError, ScapFormatError, blockTypeName } from './errors.js';
export type { ScapErrorPosition } from './errors.js';
export { decodeParam, paramBytes, paramInt, paramLatin1, paramUint } from './params/index.js';
export type { ParamValue } from './params/index.js';
export { LayoutConverter } from './upgrade/index.js';
export type { LayoutConverterOptions } from './upgrade/index.js';
export {
  EVENTS, EventType, PPM_EVENT_MAX, eventInfo, paramIndex, ParamType, EventFlag, EventCategory,
} from './schema/index.js';
export type { EventInfo, ParamInfo } from './schema/index.js';
export type {
  CaptureState, FdInfo, MachineInfo, ThreadInfo, UserInfo, GroupInfo, StateBlock,
} from './state-blocks/index.js';
export {
  CaptureWriter, CaptureWriteError, OutputExistsError, RotatingWriter, copyCapture,
} from './writer/index.js';
