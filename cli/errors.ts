import { NotACaptureError } from '../scapfile/byte-source.js';
import { ScapFormatError } from '../scapfile/errors.js';
import { FormatError } from '../inspect/format/format-string.js';
import { PartialOutputError } from '../scapfile/writer/capture-writer.js';

/**
 * Prints one clear line (and a hint) for an error, the stack only with
 * --verbose. Returns the exit code.
 */
export function reportError(err: unknown, verbose: boolean): number {
  const e = err as NodeJS.ErrnoException;
  let line: string;
  let hint = '';
  if (err instanceof PartialOutputError) {
    line = err.message;
    hint = `The input is damaged at that offset; ${err.output} holds the ${err.events} event blocks before it, a complete capture (--recover skips damaged blocks instead, where the command has it).`;
  } else if (err instanceof ScapFormatError) {
    line = err.message;
    hint = 'The file is damaged at that offset; events before it were read.';
  } else if (err instanceof NotACaptureError) {
    line = `scap: ${err.message}`;
  } else if (err instanceof FormatError) {
    line = `scap: ${err.message}`;
    hint = "Fields are written %evt.num, %proc.name …; see 'scap read --help'.";
  } else if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR') {
    line = `scap: cannot open ${e.path ?? 'input'}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : 'is a directory'}`;
  } else if (/^scap live: /.test(e?.message ?? '')) {
    line = e.message;
  } else {
    line = `scap: ${e?.message ?? String(err)}`;
  }
  process.stderr.write(line + '\n' + (hint ? `hint: ${hint}\n` : ''));
  if (verbose && e?.stack) process.stderr.write(e.stack + '\n');
  return 1;
}
