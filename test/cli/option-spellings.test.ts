import { createRequire } from 'node:module';
import type YargsFactory from 'yargs';
import { describe, expect, it } from 'vitest';
import { captureArgs, captureCommand } from '../../cli/commands/capture.js';
import { liveCommand } from '../../cli/commands/live.js';

const yargs = createRequire(import.meta.url)('yargs') as typeof YargsFactory;

/** The options a command's builder makes of `argv`, as its handler would get them. */
function parse(command: typeof captureCommand | typeof liveCommand, argv: string[]): Record<string, unknown> {
  const builder = command.builder as (y: ReturnType<typeof yargs>) => ReturnType<typeof yargs>;
  return builder(yargs(argv).strict().exitProcess(false).fail((msg, err) => { throw err ?? new Error(msg); })).parseSync();
}

describe('scap capture and scap live -w take each other\'s spellings of the options they share', () => {
  it('scap capture takes --number, --rotate-seconds, --rotate-files and --force', () => {
    const a = parse(captureCommand, ['-w', 'f', '--number', '5', '--rotate-seconds', '60', '--rotate-files', '4', '--force']);
    expect(captureArgs(a as Parameters<typeof captureArgs>[0])).toEqual(['-w', 'f', '-n', '5', '-G', '60', '-W', '4', '--overwrite']);
  });

  it('scap live takes --rotate-secs, --max-files and --overwrite', () => {
    const a = parse(liveCommand, ['-w', 'f.scap', '-C', '1', '--rotate-secs', '60', '--max-files', '4', '--overwrite']);
    expect([a['rotate-seconds'], a['rotate-files'], a.force]).toEqual([60, 4, true]);
  });
});
