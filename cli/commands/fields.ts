import type { CommandModule } from 'yargs';
import { fieldCatalog } from '../../inspect/field-catalog.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface FieldsArgs {
  match?: string;
  json: boolean;
}

export const fieldsCommand: CommandModule<object, FieldsArgs> = {
  ...COMMAND_USAGE.fields,
  builder: (y) => y
    .positional('match', { type: 'string', describe: 'Text to look for in names and descriptions (any case)' })
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'One JSON array of {name, usage, class, description, argument}' }),
  handler: (args) => {
    const entries = fieldCatalog(args.match);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(entries.map((e) => ({
        name: e.name, usage: e.usage, class: e.fieldClass, description: e.description, argument: e.argument,
      })), null, 2)}\n`);
      return;
    }
    if (entries.length === 0) {
      process.stderr.write(`scap: no field name or description contains '${args.match ?? ''}'\n`);
      process.exitCode = 1;
      return;
    }
    const width = Math.max(...entries.map((e) => e.usage.length)) + 2;
    let out = '';
    let current: string | undefined;
    for (const e of entries) {
      if (e.fieldClass !== current) {
        out += `${current === undefined ? '' : '\n'}Field class: ${e.fieldClass}\n\n`;
        current = e.fieldClass;
      }
      out += `${e.usage.padEnd(width)}${e.description}${e.argument === 'optional' ? ` (also without ${e.usage.slice(e.name.length)})` : ''}\n`;
    }
    process.stdout.write(out);
  },
};
