// The `files` table: one row per file a process had open, so "what did it
// touch, what did it write" is one query: a file or directory fd followed
// from the event that opened it (or the first that shows it, for files open
// before the capture) to its close, as fd-spans.ts says; convert/README.md
// has the columns.

import { Int64 } from 'apache-arrow';
import { FdType } from '../scapfile/state-blocks/index.js';
import { FLAGS_PARAM, rawArgAt } from './events-table.js';
import { spanTable } from './fd-spans.js';
import type { FdSpan, FdSpanKind } from './fd-spans.js';

/** A file: the span plus the flags it was opened with. */
export interface FileRow extends FdSpan {
  /** The raw `flags` parameter of the first event (open flags of open, openat, openat2…), when it has one (as the events table's flags). */
  readonly flags: number | undefined;
}

const FILES: FdSpanKind<FileRow> = {
  fdTypes: new Set<number>([FdType.FILE, FdType.FILE_V2, FdType.DIRECTORY]),
  follows: (name) => name !== '',
  row: (span, ev) => ({ ...span, flags: rawArgAt(ev, FLAGS_PARAM) }),
  columns: [['flags', new Int64(), true, (r) => (r.flags === undefined ? null : BigInt(r.flags))]],
};

/** The files table. */
export const FILES_TABLE = spanTable('files', FILES);
