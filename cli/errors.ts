import { NotACaptureError } from '../scapfile/byte-source.js';
import { PacketCaptureError, ScapFormatError } from '../scapfile/errors.js';
import { FormatError } from '../inspect/format/format-string.js';
import { PartialOutputError } from '../scapfile/writer/capture-writer.js';
import { OutputExistsError } from '../scapfile/writer/byte-sinks.js';

/**
 * A bad option value found once a command runs (an unreadable time, a pid
 * that is no number): a usage error, exit 2, as those yargs finds.
 */
export class UsageError extends Error {}

/** `work()`, its errors made usage errors: for reading option values in a handler. */
export function optionValues<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw err instanceof Error && !(err instanceof UsageError) ? new UsageError(err.message) : err;
  }
}

/**
 * Prints one clear line (and a hint) for an error, the stack only with
 * --verbose. Returns the exit code: 2 for usage errors, else 1.
 */
export function reportError(err: unknown, verbose: boolean): number {
  const e = err as NodeJS.ErrnoException;
  let line: string;
  let hint = '';
  if (err instanceof PartialOutputError) {
    line = err.message;
    const kept = err.files === undefined
      ? `${err.output} holds the ${err.events} event blocks before it, a complete capture`
      : `${err.output} ${err.files === 1 ? 'holds' : 'hold'} the ${err.events} events before it, ${err.files === 1 ? 'a complete capture' : 'each a complete capture'}`;
    hint = `The input is damaged at that offset; ${kept} (--recover skips damaged blocks instead, where the command has it).`;
  } else if (err instanceof PacketCaptureError) {
    line = err.message;
    hint = 'Open packet captures with Wireshark or tshark; scap reads syscall captures (scap capture, sysdig -w, Falco).';
  } else if (err instanceof ScapFormatError) {
    line = err.message;
    hint = 'The file is damaged at that offset; events before it were read.';
  } else if (err instanceof OutputExistsError) {
    // Its message names the API's option too (force: true).
    line = `scap: ${err.path} exists; pass --force to overwrite it`;
  } else if (err instanceof NotACaptureError) {
    line = `scap: ${err.message}`;
  } else if (err instanceof FormatError) {
    line = `scap: ${err.message}`;
    hint = "Fields are written %evt.num, %proc.name …; see 'scap read --help'.";
  } else if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR') {
    line = `scap: cannot open ${e.path ?? 'input'}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : 'is a directory'}`;
  } else if (err instanceof UsageError) {
    process.stderr.write(`scap: ${err.message}\nTry 'scap --help'.\n`);
    return 2;
  } else if (/^scap live: /.test(e?.message ?? '')) {
    line = e.message;
  } else {
    line = `scap: ${e?.message ?? String(err)}`;
  }
  process.stderr.write(line + '\n' + (hint ? `hint: ${hint}\n` : ''));
  if (verbose && e?.stack) process.stderr.write(e.stack + '\n');
  return 1;
}
