// Top-N tables over a capture (`scap stats`): sysdig's top* chisels and table_generator.
export { DEFAULT_MAX_KEYS, TopTable, sharedFilters, splitFieldList } from './top-table.js';
export type { TableField, TopRow, TopSpec } from './top-table.js';
export { KEYED_CHISELS, SUMMARY_VIEWS, TOP_VIEWS, topView } from './views.js';
export type { KeyedChisel, TopView, ValueUnits } from './views.js';
export { extendString, formatBytes, formatDuration, formatValue, topRowJson, topTableLines } from './render.js';
