// The ready-made tables of `scap stats`: sysdig's top* chisels, by the
// same names, keys, value fields, filters and row counts (sysdig
// userspace/sysdig/chisels/top*.lua, without containers), so that
// `sysdig -r x.scap -c topconns` has its answer in `scap stats x.scap topconns`.

/**
 * How a table's totals print: 'timepct' is a time in ns as a percent of the
 * capture's span (common.lua's timepct, with the delta the chisel engine
 * gives on_capture_end: the last event's time less that of the first event
 * that is no meta event).
 */
export type ValueUnits = 'bytes' | 'time' | 'none' | 'timepct';

/** A named table: what it groups, sums and filters, and how it prints. */
export interface TopView {
  readonly name: string;
  readonly description: string;
  /** Key fields and their column titles. */
  readonly keys: readonly { readonly field: string; readonly title: string }[];
  readonly value: { readonly field: string; readonly title: string };
  readonly filter?: string;
  readonly units: ValueUnits;
  /** Rows shown when the table is asked for by name (the chisel's TOP_NUMBER). */
  readonly top: number;
  /** What one unit of the value field is in the table's units (default 1). */
  readonly scale?: number;
  /** Rows whose total is 0 are kept (default: only values above 0 count, as in table_generator). */
  readonly keepZero?: boolean;
}

const FILE_IO = 'fd.type=file and evt.is_io=true';
const NET_IO = '(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true';
const PROCESS = [{ field: 'proc.name', title: 'Process' }, { field: 'proc.pid', title: 'PID' }];
const FILENAME = [{ field: 'fd.name', title: 'Filename' }];
const BYTES = { field: 'evt.rawarg.res', title: 'Bytes' };
const ERRORS = { field: 'evt.count', title: '#Errors' };
const TIME = { field: 'evt.latency', title: 'Time' };

export const TOP_VIEWS: readonly TopView[] = [
  { name: 'topscalls', description: 'system calls by number of calls', keys: [{ field: 'evt.type', title: 'Syscall' }], value: { field: 'evt.count', title: '# Calls' }, filter: 'evt.type!=switch', units: 'none', top: 30 },
  { name: 'topscalls_time', description: 'system calls by time spent in them', keys: [{ field: 'evt.type', title: 'Syscall' }], value: TIME, units: 'time', top: 30 },
  { name: 'topprocs_file', description: 'processes by bytes read and written to files', keys: PROCESS, value: BYTES, filter: FILE_IO, units: 'bytes', top: 10 },
  { name: 'topprocs_net', description: 'processes by bytes sent and received on IP sockets', keys: PROCESS, value: BYTES, filter: NET_IO, units: 'bytes', top: 100 },
  { name: 'topprocs_errors', description: 'processes by number of failed system calls', keys: PROCESS, value: ERRORS, filter: 'evt.failed=true', units: 'none', top: 100 },
  { name: 'topfiles_bytes', description: 'files by bytes read and written', keys: FILENAME, value: BYTES, filter: FILE_IO, units: 'bytes', top: 10 },
  { name: 'topfiles_time', description: 'files by time spent reading and writing them', keys: FILENAME, value: TIME, filter: FILE_IO, units: 'time', top: 10 },
  { name: 'topfiles_errors', description: 'files by number of failed operations', keys: FILENAME, value: ERRORS, filter: 'fd.type=file and evt.failed=true', units: 'none', top: 100 },
  { name: 'topconns', description: 'network connections by bytes sent and received', keys: [{ field: 'fd.l4proto', title: 'Proto' }, { field: 'fd.name', title: 'Conn' }], value: BYTES, filter: NET_IO, units: 'bytes', top: 30 },
  { name: 'topports_server', description: 'TCP/UDP server ports by bytes sent and received', keys: [{ field: 'fd.sport', title: 'Srv Port' }], value: BYTES, filter: NET_IO, units: 'bytes', top: 100 },
  // Not a table_generator chisel: topprocs_cpu.lua adds thread.cpu (percent
  // of a CPU since the thread's previous procinfo event) times 10^7 per
  // procinfo event, so a total is ns of CPU, and it keeps processes at 0.
  {
    name: 'topprocs_cpu', description: 'processes by CPU time, as a percent of the capture\'s span', keys: PROCESS,
    value: { field: 'thread.cpu', title: 'CPU%' }, filter: 'evt.type=procinfo', units: 'timepct', top: 10, scale: 1e7, keepZero: true,
  },
];

/** The tables `scap stats` prints when none is named: where the calls, bytes and errors went. */
export const SUMMARY_VIEWS: readonly string[] = ['topscalls', 'topprocs_errors', 'topprocs_file', 'topfiles_bytes', 'topprocs_net', 'topconns'];

/** A chisel that groups by a key field given to it, as a `--by` table's other options. */
export interface KeyedChisel {
  /** `--value`: the field summed; or `--distinct`: the fields whose distinct values are counted. */
  readonly value?: string;
  readonly distinct?: string;
  readonly filter: string;
  readonly units: ValueUnits;
  /** `--top`; 0 for all rows. */
  readonly top: number;
}

/**
 * sysdig's chisels that group by a key field given to them, as `--by`
 * tables: fdbytes_by.lua and fdtime_by.lua run table_generator with these
 * value fields, filters, units and row counts; fdcount_by.lua counts the
 * distinct fd number and name pairs of each key's events, for an fd above 0
 * with a name, and prints every key.
 */
export const KEYED_CHISELS: ReadonlyMap<string, KeyedChisel> = new Map<string, KeyedChisel>([
  ['fdbytes_by', { value: 'evt.rawarg.res', filter: 'evt.is_io=true and evt.failed=false', units: 'bytes', top: 30 }],
  ['fdtime_by', { value: 'evt.latency', filter: 'evt.is_io=true', units: 'time', top: 10 }],
  ['fdcount_by', { distinct: 'fd.num,fd.name', filter: "fd.num > 0 and fd.name != ''", units: 'none', top: 0 }],
]);

/** The view named `name`, or undefined. */
export function topView(name: string): TopView | undefined {
  return TOP_VIEWS.find((v) => v.name === name);
}
