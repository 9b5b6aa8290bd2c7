// Replayed thread and fd state: what formatters and filters read through
// `StateLookup`, and the tables behind it.

export type {
  EventFdFields, FdDetail, FdView, GroupView, StateDetails, StateLookup, ThreadDetail, ThreadView, UserView,
} from './lookup.js';
export { UserTable } from './users.js';
export { LocalAddresses } from './local-addresses.js';
export { StateReplay, startsCaptureTime } from './state-replay.js';
export { threadTable } from './open-fds.js';
export type { OpenFd, SocketEnds, ThreadRow, ThreadTableOptions } from './open-fds.js';
export type { InitialState, StateReplayOptions } from './state-replay.js';
export { ThreadEntry, ThreadFlag, ThreadGroup, ThreadTable, DEFAULT_MAX_THREADS } from './thread-table.js';
export { FdEntry, FdFlag, FdTable, DEFAULT_MAX_FDS, FD_UNINITIALIZED } from './fd-table.js';
export type { RefusedCounts } from './fd-table.js';
export { concatenatePaths } from './paths.js';
export { CLONE_EXIT_TYPES, CLONE_STALE_NS, cloneResultIsHostTid, cloneResultIsNsChild } from './proc-parsers.js';
