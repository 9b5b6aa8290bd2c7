export { ArrowSink } from './arrow-sink.js';
export { BinaryListColumn, DictionaryColumn, Int64Column, Uint16Column, Utf8Column } from './columns.js';
export type { DictionaryMode } from './columns.js';
export { DEFAULT_BATCH_ROWS, EventsTableBuilder } from './events-table.js';
export { exportEvents, formatFromPath } from './export-events.js';
export type { ExportFormat, ExportOptions, ExportResult } from './export-events.js';
export { DEFAULT_ROW_GROUP_ROWS, ParquetSink } from './parquet-sink.js';
export type { ParquetSinkOptions } from './parquet-sink.js';
export type { TableSink } from './table-sink.js';
