import type { CommandModule } from 'yargs';
import { Inspector } from '../../inspect/inspector.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { FormatError } from '../../inspect/format/format-string.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { DEFAULT_MAX_KEYS, KEYED_CHISELS, SUMMARY_VIEWS, TOP_VIEWS, TopTable, sharedFilters, splitFieldList, topRowJson, topTableLines, topView } from '../../inspect/stats/index.js';
import type { ValueUnits } from '../../inspect/stats/index.js';
import { asciiJson } from '../ascii-json.js';
import { UsageError } from '../errors.js';
import { displayFilterOption, filterOption, inputPath, resolvePortsOption } from '../input.js';
import { LineOutput } from '../output.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';
import { chiselAdvice } from '../usage-hints.js';

interface StatsArgs {
  file: string;
  tables: string[];
  filter?: string;
  by?: string;
  value?: string;
  distinct?: string;
  units?: ValueUnits;
  top?: number;
  'max-keys'?: number;
  json: boolean;
  strict: boolean;
  recover: boolean;
  'resolve-ports'?: boolean;
  displayflt?: boolean;
}

/** A table to fill and how to print it. */
interface Shown {
  readonly name: string;
  readonly description: string;
  readonly filter: string | undefined;
  readonly titles: { value: string; keys: readonly string[] };
  readonly units: ValueUnits;
  readonly top: number;
  readonly table: TopTable;
  /** The value as JSON names it: the summed field, or distinct(FIELDS). */
  readonly valueName: string;
}

const VIEW_NAMES = TOP_VIEWS.map((v) => v.name);
/** Rows per table in the summary and for --by, unless --top says otherwise. */
const DEFAULT_TOP = 10;

/** The tables the arguments ask for, each with its own filter (the user's is checked once per event, before them). */
function tablesOf(args: StatsArgs): Shown[] {
  const own = (filter: string | undefined): string[] => (filter === undefined ? [] : [filter]);
  const named = args.tables.length > 0 || args.by !== undefined ? args.tables : [...SUMMARY_VIEWS];
  const summary = args.tables.length === 0 && args.by === undefined;
  const out: Shown[] = [];
  // The summary's tables share FILE_IO and NET_IO: each is checked once per event.
  const compile = sharedFilters(FIELDS);
  for (const name of named) {
    const view = topView(name);
    if (view === undefined) {
      // sysdig's keyed chisels (fdbytes_by) are --by tables: told how.
      const chisel = KEYED_CHISELS.has(name) ? `\n${chiselAdvice(name, undefined)}` : '';
      throw new UsageError(`unknown table '${name}'; the tables are ${VIEW_NAMES.join(', ')}${chisel}`);
    }
    out.push({
      name, description: view.description, filter: view.filter, units: view.units,
      titles: { value: view.value.title, keys: view.keys.map((k) => k.title) },
      valueName: view.value.field, top: args.top ?? (summary ? DEFAULT_TOP : view.top),
      table: new TopTable({
        keys: view.keys.map((k) => k.field), value: view.value.field, filters: own(view.filter), maxKeys: args['max-keys'], compile,
        scale: view.scale, keepZero: view.keepZero,
      }, FIELDS),
    });
  }
  if (args.by !== undefined) {
    const keys = splitFieldList(args.by);
    if (keys.length === 0) throw new UsageError('--by takes one or more field names, comma-separated');
    const distinct = args.distinct === undefined ? undefined : splitFieldList(args.distinct);
    if (distinct !== undefined && distinct.length === 0) throw new UsageError('--distinct takes one or more field names, comma-separated');
    const table = new TopTable({
      keys, value: args.value ?? 'evt.count', distinct, maxKeys: args['max-keys'],
      labels: { keys: '--by', value: distinct === undefined ? '--value' : '--distinct' },
    }, FIELDS);
    const counted = table.distinctFields.map((f) => f.name);
    const valueName = counted.length > 0 ? `distinct(${counted.join(',')})` : table.valueField.name;
    const keyNames = table.keyFields.map((f) => f.name).join(', ');
    out.push({
      name: 'by',
      description: counted.length > 0 ? `distinct ${counted.join(', ')} by ${keyNames}` : `${valueName === 'evt.count' ? 'events' : valueName} by ${keyNames}`,
      filter: undefined, units: args.units ?? (valueName === 'evt.latency' ? 'time' : 'none'),
      titles: { value: valueName === 'evt.count' ? '# Events' : valueName, keys: table.keyFields.map((f) => f.name) },
      valueName, top: args.top ?? DEFAULT_TOP, table,
    });
  }
  return out;
}

export const statsCommand: CommandModule<object, StatsArgs> = {
  ...COMMAND_USAGE.stats,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .positional('tables', {
      type: 'string', array: true, default: [],
      describe: `Tables to print, by sysdig's chisel names: ${VIEW_NAMES.join(', ')} (default: ${SUMMARY_VIEWS.join(', ')}, 10 rows each)`,
    })
    .option('filter', filterOption('Only events matching this sinsp filter count (in every table)'))
    .option('displayflt', displayFilterOption)
    .option('resolve-ports', resolvePortsOption)
    .option('by', { type: 'string', describe: "A table of your own: these fields' values (comma-separated, as in -p) make its rows, e.g. proc.name,fd.name" })
    .option('value', { type: 'string', describe: 'With --by: the numeric field summed per row (values above 0 add up), e.g. evt.rawarg.res or evt.latency (default evt.count: events are counted)' })
    .option('distinct', { type: 'string', describe: "With --by: instead of summing, count the distinct values of these fields per row (comma-separated), e.g. fd.num,fd.name (sysdig's fdcount_by)" })
    .option('units', { choices: ['bytes', 'time', 'none'] as const, describe: 'With --by: how totals print (default: time for evt.latency, else plain numbers)' })
    .option('top', { type: 'number', describe: "Rows per table, largest totals first; 0 for all (default: each table's chisel's number when tables are named, else 10)" })
    .option('max-keys', { type: 'number', describe: `Distinct rows a table keeps (default ${DEFAULT_MAX_KEYS}); events of new rows beyond it are not counted, with a warning` })
    .option('json', { type: 'boolean', default: false, describe: 'The tables as JSON: an array of {name, description, filter, keys, value, units, distinct (rows in all), rows}' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input is truncated or has other warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    if (args.top !== undefined && !(Number.isInteger(args.top) && args.top >= 0)) throw new UsageError('--top takes a whole number of rows (0 for all)');
    const maxKeys = args['max-keys'];
    if (maxKeys !== undefined && !(Number.isInteger(maxKeys) && maxKeys > 0)) throw new UsageError('--max-keys takes a positive whole number');
    if (args.by === undefined && (args.units !== undefined || args.value !== undefined || args.distinct !== undefined)) {
      throw new UsageError('--value, --distinct and --units go with --by');
    }
    if (args.value !== undefined && args.distinct !== undefined) throw new UsageError('--value sums a field, --distinct counts values: give one');
    // Compiled before the capture is opened: a bad field or filter is refused at once.
    let shown: Shown[];
    const filter = args.filter === undefined ? undefined : compileFilter(args.filter, FIELDS);
    try {
      shown = tablesOf(args);
    } catch (err) {
      // A bad --by or --value is a usage error; a bad -f keeps the filter's own report.
      if (err instanceof FormatError) throw new UsageError(err.message);
      throw err;
    }
    const insp = await Inspector.open(inputPath(args.file), { recover: args.recover, recycleBatches: true, resolvePorts: args['resolve-ports'] === true });
    const ctx = insp.fieldContext;
    const tables = shown.map((s) => s.table);
    // The chisel engine's delta at the end of a capture ('timepct' totals):
    // the last event's time less sinsp's first event time (m_firstevent_ts,
    // the first event that is no meta event; 0 when there is none), whatever
    // the filter.
    let lastHi = 0;
    let lastLo = 0;
    // The user's filter is sysdig's, or with -d its display filter
    // (Inspector.setFilter); each table's own, the chisel's, tests parsed events.
    if (filter !== undefined) insp.setFilter((ev) => filter(ev, ctx), args.displayflt === true);
    await insp.run((ev) => {
      lastHi = ev.tsHi;
      lastLo = ev.tsLo;
      for (const t of tables) t.observe(ev, ctx);
    }, undefined, (ev, byFilter) => {
      if (!byFilter) return;
      lastHi = ev.tsHi;
      lastLo = ev.tsLo;
    });
    const spanNs = Number(((BigInt(lastHi) << 32n) | BigInt(lastLo)) - (insp.state.firstEventTsNs() ?? 0n));
    const out = new LineOutput();
    if (args.json) {
      out.line(asciiJson(shown.map((s) => ({
        name: s.name, description: s.description, filter: s.filter ?? null,
        keys: s.table.keyFields.map((f) => f.name), value: s.valueName, units: s.units,
        ...(s.units === 'timepct' ? { span_ns: spanNs } : {}),
        distinct: s.table.size,
        rows: s.table.rows(s.top).map((r) => topRowJson(r, s.table.keyFields)),
      }))));
    } else {
      shown.forEach((s, i) => {
        if (shown.length > 1) {
          if (i > 0) out.line('');
          out.line(`${s.name}: top ${s.description}${s.filter === undefined ? '' : ` (${s.filter})`}`);
        }
        for (const line of topTableLines(s.titles, s.table.rows(s.top), s.units, spanNs)) out.line(line);
      });
    }
    await out.flush();
    const full = shown.filter((s) => s.table.refused > 0).map((s) => ({
      offset: -1,
      message: `table ${s.name}: ${s.table.refused} events of rows beyond its ${s.table.size} distinct rows (--max-keys) were not counted`,
    }));
    process.exitCode = printWarnings([...insp.warnings, ...full], args.strict) ? 1 : 0;
  },
};
