import type { CommandModule } from 'yargs';
import type { Compression } from '../../scapfile/byte-source.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import type { Source } from '../../scapfile/open-capture.js';
import { LayoutConverter } from '../../scapfile/upgrade/index.js';
import { compressionForPath, compressionLevelProblem, copyCapture, PartialOutputError, RotatingWriter } from '../../scapfile/writer/index.js';
import { ScapFormatError } from '../../scapfile/errors.js';
import type { RotationOptions } from '../../scapfile/writer/index.js';
import { StateReplay } from '../../inspect/state/index.js';
import { snapshotState, startEvents } from '../../inspect/state/snapshot.js';
import { UnreturnedClones } from '../../inspect/state/unreturned-clones.js';
import { checkRotationValues } from '../rotation.js';
import { inputPath } from '../input.js';
import { UsageError } from '../errors.js';
import { printWarnings, recoverOption, warnIfNoEvents } from '../warnings.js';
import { onStopSignal } from '../stop-signals.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface ConvertArgs {
  file: string;
  output: string;
  compression?: Compression;
  level?: number;
  upgrade: boolean;
  force: boolean;
  strict: boolean;
  recover: boolean;
  quiet: boolean;
  'rotate-mb'?: number;
  'rotate-seconds'?: number;
  'rotate-files'?: number;
}

export const convertCommand: CommandModule<object, ConvertArgs> = {
  ...COMMAND_USAGE.convert,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'Output file (.scap, .scap.gz, .scap.zst), or - for stdout' })
    .option('compression', { type: 'string', choices: ['none', 'gzip', 'zstd'] as const, describe: 'Output compression (default: from the extension; .zst is read by scapkit only)' })
    .option('level', { type: 'number', describe: 'Compression level (gzip 1-9, zstd 1-22)' })
    .option('upgrade', { type: 'boolean', default: false, describe: 'Write events as libscap returns them: old enter/exit layouts become the current ones' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing output file' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input has warnings (e.g. truncated) or holds no event' })
    .option('recover', recoverOption)
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print no summary' })
    .option('rotate-mb', { alias: 'C', type: 'number', describe: 'Rotate: start a new file every this many MB (1,000,000 bytes) of blocks, before compression' })
    .option('rotate-seconds', { alias: 'G', type: 'number', describe: 'Rotate: start a new file every this many seconds of capture time' })
    .option('rotate-files', { alias: 'W', type: 'number', describe: 'Rotate: keep only this many files, reusing their names in a ring' })
    .check((a) => {
      checkRotationValues(a);
      const compression = a.compression ?? (a.output === '-' ? 'none' : compressionForPath(a.output));
      const problem = compressionLevelProblem(compression, a.level);
      if (problem !== undefined) throw new Error(`--level: ${problem}`);
      return true;
    }),
  handler: async (args) => {
    const input = inputPath(args.file);
    if (args['rotate-mb'] !== undefined || args['rotate-seconds'] !== undefined) {
      if (args.output === '-') throw new UsageError('rotation (-C/-G) writes files; give an output path, not -');
      const files = await convertRotated(input, args.output, {
        compression: args.compression, level: args.level, force: args.force,
        maxBytes: args['rotate-mb'] === undefined ? undefined : args['rotate-mb'] * 1e6,
        maxSeconds: args['rotate-seconds'], maxFiles: args['rotate-files'],
      });
      if (!args.quiet) process.stderr.write(`scap: wrote ${files.length} files: ${files.join(', ')}\n`);
      return;
    }
    const toStdout = args.output === '-';
    // A stop signal ends the copy cleanly: the output is flushed and closed
    // with every block read so far (a second signal kills as usual).
    const stop = new AbortController();
    const offSignals = onStopSignal(() => stop.abort());
    let summary;
    try {
      summary = await copyCapture(input, toStdout ? process.stdout : args.output, {
        compression: args.compression ?? (toStdout ? 'none' : undefined),
        level: args.level,
        upgrade: args.upgrade,
        force: args.force,
        endStream: !toStdout,
        signal: stop.signal,
        recover: args.recover,
      });
    } finally {
      offSignals();
    }
    if (summary.interrupted) {
      process.stderr.write(`scap: interrupted; ${toStdout ? 'the output' : args.output} holds the ${summary.events} events read before, and is complete\n`);
      process.exitCode = 130;
      return;
    }
    if (!args.quiet) {
      process.stderr.write(
        `scap: wrote ${summary.events} events (${summary.eventsRead} read) to ${toStdout ? 'stdout' : args.output}: ` +
        `${summary.blockBytes} bytes of blocks, ${summary.outputBytes} bytes written\n`,
      );
    }
    const failed = printWarnings(summary.warnings, args.strict);
    process.exitCode = warnIfNoEvents(summary.events, toStdout ? 'stdout' : args.output, args.strict) || failed ? 1 : 0;
  },
};

/**
 * Converts a capture (or any Source) into rotated files, each complete alone: its state blocks are
 * the replayed state at its first event (inspect/state/snapshot.ts), and
 * events are written as libscap returns them (upgraded), so that no file
 * starts with an exit event whose enter event is in the previous file.
 */
export async function convertRotated(input: string | Source, output: string, options: RotationOptions): Promise<string[]> {
  // A path, or a source already open (scap live -w with rotation).
  // Every batch is written and applied before the next is read: the reader
  // may read into the last one's memory.
  const cap = typeof input === 'string' ? await openCapture(input, { recycleBatches: true }) : input;
  const conv = new LayoutConverter();
  const state = new StateReplay(cap.info);
  const ev = new EventCursor();
  const clones = new UnreturnedClones();
  // The capture being read: the first, or the last one joined after it.
  let info = cap.info;
  /**
   * Time of the last event applied, as its two 32-bit words (a BigInt per
   * event was a twelfth of `scap convert -C`): the state events of a new
   * file take it (no later than its first event).
   */
  let lastTsHi = 0;
  let lastTsLo = 0;
  let rw: RotatingWriter | undefined;
  /** Events handed to the writer: damage after some keeps them (see the catch). */
  let written = 0;
  try {
    // Each file starts with the state before the event it starts at, and the
    // events that say what state blocks cannot, as a cut's piece does.
    rw = await RotatingWriter.open(output, options, () => snapshotState(state, info),
      () => startEvents(state, BigInt(lastTsHi) << 32n | BigInt(lastTsLo), clones));
    for await (const raw of cap) {
      const joined = cap.takeRestart?.();
      if (joined !== undefined) {
        info = joined;
        state.reload(joined);
        await rw.writeJoined(joined);
      }
      const batch = conv.convert(raw);
      // Events are written before they are applied: a file starting at an
      // event gets the state before it. Between rotations they go as runs.
      let i = 0;
      while (i < batch.count) {
        const until = await rw.writeUntilRotation(batch, i);
        written += until - i;
        for (; i < until; i++) {
          state.apply(ev.moveTo(batch, i));
          clones.note(ev, state);
        }
        if (i > 0) {
          ev.moveTo(batch, i - 1);
          lastTsHi = ev.tsHi;
          lastTsLo = ev.tsLo;
        }
        if (i === batch.count) break;
        const p = rw.writeEvent(batch, i);
        if (p !== undefined) await p;
        written++;
        state.apply(ev.moveTo(batch, i));
        clones.note(ev, state);
        lastTsHi = ev.tsHi;
        lastTsLo = ev.tsLo;
        i++;
      }
      conv.recycle(batch);
      // An event libscap cannot convert ends the batch before it: its error now.
      conv.throwIfFailed();
    }
    return await rw.close();
  } catch (err) {
    // Damaged input after some events: the current file is finished as the
    // others, so the files keep every event before the damage (as scap
    // convert without rotation keeps them). Aborting removed it, and with it
    // every event since the last rotation.
    if (err instanceof ScapFormatError && rw !== undefined && written > 0) {
      // Should finishing them fail too (a full disk), close leaves nothing half-made.
      const files = await rw.close();
      throw new PartialOutputError(err, files.length === 1 ? files[0]! : `the ${files.length} files ${files[0]} to ${files[files.length - 1]}`,
        written, files.length);
    }
    await rw?.abort();
    throw err;
  } finally {
    await cap.close();
  }
}
