// Output formatting of events: format strings, JSON output, and parameter
// rendering exactly as libsinsp prints it.
export { ArgsFormatter, renderArgs, renderRes, renderArg } from './args.js';
export { ParamRenderer } from './param-render.js';
export type { ParamRenderOptions, UserLookup } from './param-render.js';
export { renderBuffer, bufferToDots, bufferToAsciiOnly, bufferToHex, bufferToBase64 } from './buffers.js';
export type { BufferFormat } from './buffers.js';
export { flagsNames, enumFlagsNames, modeNames } from './flag-names.js';
export { ipv4ToString, ipv6ToString, isIpv4MappedIpv6, sockAddrToString, sockTupleToString } from './net.js';
export { concatenatePaths } from '../state/paths.js';
export { formatInt32, formatInt64, formatG, formatAbsTime } from './printf.js';
export { eventTypeName } from './event-name.js';
export { compileFormat, FormatError } from './format-string.js';
export type { EventFormatter } from './format-string.js';
export { eventJson } from './json.js';
