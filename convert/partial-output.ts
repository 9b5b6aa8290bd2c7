// Outputs made under a temporary name beside their final one and renamed
// into place once complete: a reader (or a later `ls`) never finds a half
// written Parquet or Arrow file under the name asked for, whatever stops the
// export (a kill, a crash, a full disk), and an export over an existing file
// with --force leaves that file as it was when it fails.

import { realpathSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import type { TableSink } from './table-sink.js';

/**
 * Where an output named `path` really goes: the file or directory a symlink
 * there points to (a rename would replace the link itself, where writing
 * through it, as before, replaced what it names); `path` when nothing is
 * there yet.
 */
export function outputTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The temporary name of `path` while it is written: hidden, beside it (same file system, so rename is atomic). */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}

/** Moves a finished `partial` to `path`, replacing a file there (or an empty directory, for a dataset). */
export async function commitPartial(partial: string, path: string): Promise<void> {
  await rename(partial, path);
}

/** Removes a partial output, file or directory. */
export async function discardPartial(partial: string): Promise<void> {
  await rm(partial, { recursive: true, force: true });
}

/** A sink writing to `partialPath(path)` that gives the file its name on `close`. */
export class RenamedOnCloseSink implements TableSink {
  readonly dictionaryMode: TableSink['dictionaryMode'];

  constructor(private readonly inner: TableSink, private readonly partial: string, private readonly path: string) {
    this.dictionaryMode = inner.dictionaryMode;
  }

  write(batch: RecordBatch): void { this.inner.write(batch); }
  ready(): Promise<void> { return this.inner.ready(); }

  async close(): Promise<void> {
    await this.inner.close();
    await commitPartial(this.partial, this.path);
  }

  async abort(): Promise<void> {
    await this.inner.abort();
    await discardPartial(this.partial);
  }
}
