import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { STOP_SIGNALS } from '../stop-signals.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface CaptureArgs {
  write: string;
  count: string | number | undefined;
  duration: string | number | undefined;
  snaplen: string | number | undefined;
  pid: string | number | undefined;
  comm: string | undefined;
  syscalls: string | undefined;
  'sched-switch': boolean;
  'page-faults': boolean;
  signals: boolean;
  z: boolean;
  compress: string | undefined;
  'rotate-mb': string | number | undefined;
  'rotate-secs': string | number | undefined;
  'max-files': string | number | undefined;
  'ring-bytes': string | number | undefined;
  stats: boolean;
  overwrite: boolean;
}


/**
 * Where build/scap-capture is: SCAP_CAPTURE_BIN, else build/ of the checkout
 * this module runs from (dist/cli/commands/ after `npm run build`, or
 * cli/commands/ when run from source).
 */
export function captureBinary(): { path: string; tried: string[] } {
  if (process.env.SCAP_CAPTURE_BIN) return { path: process.env.SCAP_CAPTURE_BIN, tried: [process.env.SCAP_CAPTURE_BIN] };
  const here = dirname(fileURLToPath(import.meta.url));
  const tried = [resolve(here, '..', '..', '..', 'build', 'scap-capture'), resolve(here, '..', '..', 'build', 'scap-capture')];
  return { path: tried.find((p) => existsSync(p)) ?? tried[0]!, tried };
}

/** The scap-capture argument list for the parsed options (same meaning, its own spelling). */
export function captureArgs(a: Partial<CaptureArgs> & { write: string; verbose?: boolean }): string[] {
  const out = ['-w', a.write];
  const add = (flag: string, v: string | number | undefined): void => { if (v !== undefined) out.push(flag, String(v)); };
  add('-n', a.count);
  add('-M', a.duration);
  add('-s', a.snaplen);
  add('--pid', a.pid);
  add('--comm', a.comm);
  add('--syscalls', a.syscalls);
  if (a['sched-switch']) out.push('--sched-switch');
  if (a['page-faults']) out.push('--page-faults');
  if (a.signals) out.push('--signals');
  if (a.z) out.push('-z');
  add('--compress', a.compress);
  add('-C', a['rotate-mb']);
  add('-G', a['rotate-secs']);
  add('-W', a['max-files']);
  add('--ring-bytes', a['ring-bytes']);
  if (a.stats) out.push('--stats');
  if (a.overwrite) out.push('--overwrite');
  if (a.verbose) out.push('-v');
  return out;
}

/** build/scap-capture is missing: says how to build it. */
export class CaptureNotBuiltError extends Error {
  constructor(tried: string[]) {
    super(`scap capture needs the native scap-capture command, not found at ${tried.join(' or ')}.\n`
      + 'hint: build it with `npm run build:native` (needs clang, bpftool, libbpf-dev, libelf-dev, zlib1g-dev, libzstd-dev),\n'
      + 'or point SCAP_CAPTURE_BIN at a built binary.');
    this.name = 'CaptureNotBuiltError';
  }
}

/**
 * Runs scap-capture with the given options, passes SIGINT, SIGTERM and
 * SIGHUP on to it and resolves with its exit code (128 + the signal number
 * when a signal killed it, as a shell reports it).
 */
export function runCapture(binary: string, args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    // scap-capture stops as on SIGTERM if this process dies, even by SIGKILL
    // (it was left recording, driver loaded, until the disk was full).
    const child = spawn(binary, args, { stdio: 'inherit', env: { ...process.env, SCAP_CAPTURE_STOP_WITH_PARENT: '1' } });
    const forward = (sig: NodeJS.Signals): void => { child.kill(sig); };
    for (const s of STOP_SIGNALS) process.on(s, forward);
    const done = (): void => { for (const s of STOP_SIGNALS) process.off(s, forward); };
    child.once('error', (err) => { done(); reject(err); });
    child.once('exit', (code, signal) => {
      done();
      resolvePromise(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/**
 * `scap capture`: the one command here that runs native code. It decides
 * nothing itself; scap-capture checks the values and prints the errors.
 * Numbers pass as the user wrote them (yargs made '-n abc' NaN and took
 * '-n 0x10', which scap-capture refuses). Its long options are scap-capture's
 * (sysdig's words); `scap live -w`'s spellings of the same options
 * (--number, --rotate-seconds, --rotate-files, --force) are taken too.
 */
export const captureCommand: CommandModule<object, CaptureArgs> = {
  ...COMMAND_USAGE.capture,
  builder: (y) => y
    .option('write', { alias: 'w', type: 'string', demandOption: true, describe: 'Output capture (created 0600)' })
    .option('count', { alias: ['n', 'number'], type: 'string', describe: 'Stop after N events' })
    .option('duration', { alias: 'M', type: 'string', describe: 'Stop after this many seconds' })
    .option('snaplen', { alias: 's', type: 'string', describe: 'Bytes of I/O buffers to keep (default 80)' })
    .option('pid', { alias: 'p', type: 'string', describe: 'Only this process and its descendants' })
    .option('comm', { type: 'string', describe: 'Only threads with this name and their descendants' })
    .option('syscalls', { type: 'string', describe: 'Only these syscalls (comma-separated names)' })
    .option('sched-switch', { type: 'boolean', default: false, describe: 'Also record context switches (switch events)' })
    .option('page-faults', { type: 'boolean', default: false, describe: 'Also record page faults (page_fault events)' })
    .option('signals', { type: 'boolean', default: false, describe: 'Also record signal deliveries (signaldeliver events)' })
    .option('z', { type: 'boolean', default: false, describe: 'Compress with gzip (as sysdig -z)' })
    .option('compress', { type: 'string', choices: ['gzip', 'zstd', 'none'], describe: 'Compression of the output' })
    .option('rotate-mb', { alias: 'C', type: 'string', describe: 'Start a new file at this many megabytes' })
    .option('rotate-secs', { alias: ['G', 'rotate-seconds'], type: 'string', describe: 'Start a new file every N seconds' })
    .option('max-files', { alias: ['W', 'rotate-files'], type: 'string', describe: 'With -C/-G keep at most N files' })
    .option('ring-bytes', { type: 'string', describe: 'Each CPU\'s ring buffer in bytes (a power of two, default 8 MiB)' })
    .option('stats', { type: 'boolean', default: false, describe: 'Print events, drops and bytes every second' })
    .option('overwrite', { alias: 'force', type: 'boolean', default: false, describe: 'Replace an existing output' }),
  handler: async (args) => {
    const bin = captureBinary();
    if (!existsSync(bin.path)) throw new CaptureNotBuiltError(bin.tried);
    // --verbose is the global option (stack traces); it also asks scap-capture for libbpf's messages.
    process.exitCode = await runCapture(bin.path, captureArgs(args as CaptureArgs & { verbose?: boolean }));
  },
};

