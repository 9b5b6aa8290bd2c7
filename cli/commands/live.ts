import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { live, MAX_SNAPLEN } from '../../live/index.js';
import type { LiveCapture } from '../../live/index.js';
import type { EventBatch } from '../../scapfile/event-batch.js';
import { CaptureWriter } from '../../scapfile/writer/index.js';
import { exportEvents, formatFromPath } from '../../convert/index.js';
import { optionValues } from '../errors.js';
import { checkOutputFile } from '../output-file.js';
import { checkRotationValues } from '../rotation.js';
import { writeLiveRotated } from '../live-rotation.js';
import { printWarnings, warnIfNoEvents } from '../warnings.js';
import { checkEventFormat, eventFilter, eventPrintOptions, printEvents } from './read-events.js';
import type { EventPrintArgs } from './read-events.js';
import { COMMAND_USAGE } from '../command-usage.js';

// `scap live`: the running system's syscalls through the eBPF driver, printed
// as `scap read` prints a file (same options, same code) or written with -w.

interface LiveArgs extends EventPrintArgs {
  write?: string;
  'rotate-mb'?: number;
  'rotate-seconds'?: number;
  'rotate-files'?: number;
  convert?: string;
  duration?: number;
  snaplen?: number;
  pid?: number;
  force: boolean;
  stats: boolean;
}

export const liveCommand: CommandModule<object, LiveArgs> = {
  ...COMMAND_USAGE.live,
  builder: (y) => eventPrintOptions(y)
    .option('write', { alias: 'w', type: 'string', describe: 'Write the events to a capture file (.scap, .scap.gz, .scap.zst) instead of printing them' })
    .option('rotate-mb', { alias: 'C', type: 'number', describe: 'With -w: start a new file every this many MB of blocks (as scap convert -C)' })
    .option('rotate-seconds', { alias: ['G', 'rotate-secs'], type: 'number', describe: 'With -w: start a new file every this many seconds of capture time' })
    .option('rotate-files', { alias: ['W', 'max-files'], type: 'number', describe: 'With -w and -C/-G: keep only this many files, reusing their names' })
    .option('convert', { type: 'string', describe: 'Write the events as a table instead of printing them: OUT.parquet or OUT.arrow (as scap export)' })
    .option('duration', { alias: 'M', type: 'number', describe: 'Stop after this many seconds' })
    .option('snaplen', { alias: 's', type: 'number', describe: `Bytes kept of I/O buffers (default 80, at most ${MAX_SNAPLEN})` })
    .option('pid', { type: 'number', describe: 'Capture only this process and its descendants (filtered in the kernel)' })
    .option('force', { alias: 'overwrite', type: 'boolean', default: false, describe: 'Overwrite an existing -w or --convert file' })
    .option('stats', { type: 'boolean', default: false, describe: 'Print events, drops and bytes to stderr every second' })
    .check((a) => {
      for (const [flag, value] of [['-w', a.write], ['--convert', a.convert]] as const) {
        if (value !== undefined && (a.filter !== undefined || a.print !== undefined || a.json || a.count)) {
          throw new Error(`${flag} records every event the driver captures; -f, -p, -j and --count apply to printed events (limit it with --pid, or cut the file later with scap cut -f)`);
        }
      }
      if (a.write !== undefined && a.convert !== undefined) throw new Error('choose one of -w and --convert');
      const rotating = a['rotate-mb'] !== undefined || a['rotate-seconds'] !== undefined;
      if ((rotating || a['rotate-files'] !== undefined) && a.write === undefined) throw new Error('-C, -G and -W rotate the files of -w');
      if (rotating && a.number !== undefined) throw new Error('-n is not supported with rotation; stop with -M, SIGINT or SIGTERM');
      if (a.convert !== undefined) {
        formatFromPath(a.convert);
        if (a.number !== undefined) throw new Error('--convert runs until -M, SIGINT or SIGTERM; -n is not supported with it');
      }
      if (a.duration !== undefined && !(a.duration > 0)) throw new Error('-M takes a positive number of seconds');
      checkRotationValues(a);
      if (a.write === '-' || a.write === '') throw new Error('-w writes a file; scap live prints events to stdout without it (use scap live -w FILE, then scap read FILE)');
      return true;
    }),
  handler: async (args) => {
    const filter = await eventFilter(args);
    await checkEventFormat(args);
    const src = optionValues(() => live({ snaplen: args.snaplen, pid: args.pid }));
    const rotation = args['rotate-mb'] !== undefined || args['rotate-seconds'] !== undefined;
    // The -w file is made once the driver has loaded: a failed load, or a
    // Ctrl-C while it loads, left an empty file and (with --force) no old one.
    // What would stop it being made is found before the load: an existing
    // file without --force (--convert replaced one silently), a directory, a
    // missing directory.
    const path = args.write === undefined || rotation ? undefined : args.write;
    if (path !== undefined) await checkOutputFile(path, [], args.force);
    if (args.convert !== undefined) await checkOutputFile(args.convert, [], args.force, 'a file name ending in .parquet or .arrow');
    let writer: CaptureWriter | undefined;
    const timers: NodeJS.Timeout[] = [];
    let converted = '';
    try {
      const info = await src.open();
      if (path !== undefined) writer = await CaptureWriter.open(path, { force: args.force });
      // Ready: tests and wrappers wait for this line before starting a workload.
      process.stderr.write(`scap live: capturing${args.pid === undefined ? '' : ` pid ${args.pid}`} (${info.threads.length} threads in the initial state)\n`);
      if (args.duration !== undefined) timers.push(setTimeout(() => void src.close(), args.duration * 1000));
      if (args.stats) timers.push(setInterval(() => process.stderr.write(`scap live: ${statsLine(src)}\n`), 1000));
      if (rotation) {
        const files = await writeLiveRotated(src, args.write!, {
          force: args.force, maxFiles: args['rotate-files'],
          maxBytes: args['rotate-mb'] === undefined ? undefined : args['rotate-mb'] * 1e6,
          maxSeconds: args['rotate-seconds'],
        }, (err) => process.stderr.write(`scap: warning: a /proc scan for a rotated file failed (${(err as Error).message}); `
          + 'until one succeeds, files start without the processes only a scan finds, and with the users and interfaces of the last one\n'));
        converted = `, written to ${files.length} files: ${files.join(', ')}`;
      } else if (writer) {
        await writer.writeState(info);
        await writeEvents(src, writer, args.number ?? Infinity);
      } else if (args.convert !== undefined) {
        const { rows } = await exportEvents(Inspector.of(src), { format: formatFromPath(args.convert), out: args.convert });
        converted = `, ${rows} events written to ${args.convert}`;
      } else {
        await printEvents(Inspector.of(src, {}, { resolvePorts: args['resolve-ports'] === true }), filter, args);
      }
    } catch (err) {
      await src.close();
      await writer?.abort();
      throw err;
    } finally {
      for (const t of timers) clearTimeout(t);
    }
    await src.close();
    const written = writer ? await writer.close() : undefined;
    process.stderr.write(`scap live: ${statsLine(src)}${written ? `, ${written.events} events written to ${args.write}` : converted}${src.signal ? ` (stopped by ${src.signal})` : ''}\n`);
    process.exitCode = printWarnings(src.warnings, false) ? 1 : 0;
    if (written) warnIfNoEvents(written.events, args.write!, false);
  },
};

/** How often a -w file gets what is buffered: a SIGKILL loses about this much, as with scap-capture. */
const FLUSH_MS = 1000;

/** Every batch as captured, up to `limit` events, flushed to the file every FLUSH_MS. */
async function writeEvents(src: LiveCapture, writer: CaptureWriter, limit: number): Promise<void> {
  let left = limit;
  let flushed = Date.now();
  for await (const batch of src) {
    // `count` bounds the events of a batch; its arrays may be longer.
    const part: EventBatch = batch.count <= left ? batch : { ...batch, count: left };
    await writer.writeBatch(part);
    left -= part.count;
    if (left <= 0) break;
    if (Date.now() - flushed >= FLUSH_MS) {
      await writer.flush();
      flushed = Date.now();
    }
  }
}

function statsLine(src: LiveCapture): string {
  const s = src.stats();
  return `${s.events} events, ${s.drops} drops, ${s.bytes} bytes${s.discarded > 0 ? `, ${s.discarded} discarded at stop` : ''}`;
}
