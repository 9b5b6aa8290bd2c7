// What users did in a capture, as sysdig's activity chisels show it.
export { SpyUsers, SPY_USERS_FILTER, spyUsersText } from './spy-users.js';
export type { SpyLine } from './spy-users.js';
export { EchoFds, ECHO_FDS_FILTER } from './echo-fds.js';
export { ANSI_COLORS, NO_COLORS } from './colors.js';
export type { ChiselColors } from './colors.js';
export { ProcExecTime } from './proc-exec-time.js';
export { STD_FDS, StdioEcho } from './stdio.js';
export type { StdStream } from './stdio.js';
export { SpyFile, spyFileFilter } from './spy-file.js';
export type { SpyFileOptions } from './spy-file.js';
export { LOG_FILES_FILTER, SpyLogs } from './spy-logs.js';
export { IoBytes } from './io-bytes.js';
export type { IoBytesScope } from './io-bytes.js';
export { HttpLog, HttpTop, HttpTransactions, HTTP_FILTER } from './http-log.js';
export type { HttpTopBy, HttpTransaction } from './http-log.js';
