// The scap writer: block encoders in the layouts libscap writes today, and a
// streaming CaptureWriter over files and streams (plain, gzip, zstd).

export { BlockBuilder, padded4 } from './block-builder.js';
export { CaptureWriteError, chunkEncoder, FileSink, OutputExistsError, OutputIsInputError, checkExistingOutput, sameFile, StreamSink, writeErrorText } from './byte-sinks.js';
export type { ByteSink, ChunkEncoder, FileSinkOptions } from './byte-sinks.js';
export { CaptureWriter, compressionForPath, compressionLevelProblem, PartialOutputError } from './capture-writer.js';
export { copyCapture } from './copy-capture.js';
export type { CopyCaptureOptions, CopySummary } from './copy-capture.js';
export type { CaptureWriterOptions, WriteSummary } from './capture-writer.js';
export { eventBlockLen, eventBlockTypeFor, writeEventBlock } from './event-blocks.js';
export { ipv4Bytes, ipv6Bytes } from './ip-text.js';
export {
  encodeFdList, encodeInterfaceList, encodeMachineInfo, encodeProcessList, encodeSectionHeader, encodeState,
  encodeUserList, FORMAT_MAJOR, FORMAT_MINOR,
} from './state-encoders.js';
export { combineStates, mergeCaptures, stateConflicts } from './merge.js';
export type { MergeSummary } from './merge.js';
export { RotatingWriter, rotatedName } from './rotating-writer.js';
export type { StartEvent } from './capture-writer.js';
export type { RotationOptions } from './rotating-writer.js';
