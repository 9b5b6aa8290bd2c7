// The sinsp filter language: parse once, compile to closures.
export { compileFilter } from './compile.js';
export { globMatcher } from './glob.js';
export type { EventFilter } from './compile.js';
export { parseFilter } from './parser.js';
export type { FilterNode, FilterOp } from './parser.js';
export { FilterError, nearestNames } from './errors.js';
