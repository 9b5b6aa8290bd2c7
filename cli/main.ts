#!/usr/bin/env node
/**
 * The `scap` command. Each subcommand lives in commands/ and only wires a
 * source to stages and a sink; decisions belong to scapfile/ and inspect/.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { convertCommand } from './commands/convert.js';
import { cutCommand } from './commands/cut.js';
import { mergeCommand } from './commands/merge.js';
import { infoCommand } from './commands/info.js';
import { ptreeCommand } from './commands/ptree.js';
import { readCommand } from './commands/read.js';
import { reportError } from './errors.js';

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('scap')
    .usage('$0 <command> [options]\n\nRead, inspect and convert Linux syscall captures in the scap format.')
    .command(infoCommand)
    .command(readCommand)
    .command(convertCommand)
    .command(cutCommand)
    .command(mergeCommand)
    .command(ptreeCommand)
    .option('verbose', { type: 'boolean', default: false, describe: 'Print stack traces of errors' })
    .demandCommand(1, 'Name a command (scap --help lists them).')
    .strict()
    .help()
    .version(false)
    .fail((msg, err, y) => {
      if (err) throw err;
      process.stderr.write(`scap: ${msg}\nTry 'scap --help'.\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch((err: unknown) => {
  process.exitCode = reportError(err, process.argv.includes('--verbose'));
});
