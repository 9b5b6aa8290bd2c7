// What users did in a capture, as sysdig's activity chisels show it.
export { SpyUsers, SPY_USERS_FILTER, spyUsersText } from './spy-users.js';
export type { SpyLine } from './spy-users.js';
export { ANSI_COLORS, EchoFds, ECHO_FDS_FILTER, NO_COLORS } from './echo-fds.js';
export type { ChiselColors } from './echo-fds.js';
export { STD_FDS, StdioEcho } from './stdio.js';
export type { StdStream } from './stdio.js';
