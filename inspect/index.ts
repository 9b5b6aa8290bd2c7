// The public API of inspect/: captures seen as libsinsp sees them — state
// replay, fields and output formats.

export { Inspector, inspect } from './inspector.js';
export type { InspectedBatch, InspectorOptions } from './inspector.js';
export type { EventTotals, InspectHooks } from './inspector.js';
export { SinspEvents } from './sinsp-events.js';
export type { SinspEventsOptions } from './sinsp-events.js';
export { SinspSelection } from './sinsp-selection.js';
export { StateReplay } from './state/index.js';
export type { FdView, StateLookup, ThreadView } from './state/index.js';
export { FIELDS } from './fields/index.js';
export type { FieldContext, FieldDef, FieldExtractor } from './fields/index.js';
export { compileFormat, FormatError } from './format/format-string.js';
export type { EventFormatter } from './format/format-string.js';
export { eventJson } from './format/json.js';
// The filter language (`-f`): compile once, then call per event with the field context.
export { compileFilter, parseFilter, FilterError } from './filter/index.js';
export type { EventFilter, FilterNode, FilterOp } from './filter/index.js';
export type { StateReplayOptions } from './state/index.js';
export type { BufferFormat } from './format/buffers.js';
export type { TimeMode } from './fields/field.js';
// Top-N tables (`scap stats`): sysdig's top* chisels and table_generator.
export { TopTable, TOP_VIEWS, topView, splitFieldList } from './stats/index.js';
export type { TopRow, TopSpec, TopView } from './stats/index.js';
