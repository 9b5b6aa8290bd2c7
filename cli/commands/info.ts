import type { CommandModule } from 'yargs';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { blockTypeName } from '../../scapfile/errors.js';
import { EVENTS } from '../../scapfile/schema/index.js';
import { compareTs, formatRawNs } from '../../scapfile/timestamp.js';
import type { MachineInfo } from '../../scapfile/state-blocks/index.js';
import { SinspEvents } from '../../inspect/sinsp-events.js';
import { eventTypeName } from '../../inspect/format/event-name.js';
import { inputPath } from '../input.js';
import { printWarnings, recoverOption } from '../warnings.js';
import { COMMAND_USAGE } from '../command-usage.js';

interface InfoArgs { file: string; json: boolean; strict: boolean; recover: boolean }

/** Everything `scap info` reports, also its `--json` shape. */
export interface CaptureSummary {
  file: string;
  fileBytes: number | null;
  compression: string;
  decompressedBytes: number;
  formatVersion: string;
  machine: unknown;
  blocks: Array<{ type: string; id: string; count: number }>;
  unknownBlocksSkipped: number;
  events: { rawBlocks: number; libscap: number; sinsp: number; unknownTypesSkipped: number };
  eventTypes: Array<{ type: string; dir: string; count: number }>;
  firstEvent: { rawtime: string; utc: string } | null;
  lastEvent: { rawtime: string; utc: string } | null;
  state: { threads: number; fds: number; users: number; groups: number; interfaces: number };
  warnings: Array<{ offset: number; message: string }>;
}

export const infoCommand: CommandModule<object, InfoArgs> = {
  ...COMMAND_USAGE.info,
  builder: (y) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'Capture file, or - for stdin' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit non-zero when the input has warnings' })
    .option('recover', recoverOption),
  handler: async (args) => {
    const summary = await summarize(inputPath(args.file), { recover: args.recover });
    process.stdout.write(args.json ? JSON.stringify(summary, bigintAsString, 2) + '\n' : renderSummary(summary));
    process.exitCode = summary.warnings.length > 0 && args.strict ? 1 : 0;
    if (!args.json) printWarnings(summary.warnings, false);
  },
};

/** Reads the whole capture once and gathers what `scap info` shows. */
export async function summarize(file: string, options: { recover?: boolean } = {}): Promise<CaptureSummary> {
  let first: [number, number] | null = null;
  let last: [number, number] | null = null;
  const raw = new EventCursor();
  const insp = await SinspEvents.open(file, options, {
    onRawBatch: (batch) => {
      for (let i = 0; i < batch.count; i++) {
        raw.moveTo(batch, i);
        const hi = raw.tsHi, lo = raw.tsLo;
        if (!first || compareTs(hi, lo, first[0], first[1]) < 0) first = [hi, lo];
        if (!last || compareTs(hi, lo, last[0], last[1]) > 0) last = [hi, lo];
      }
    },
  });
  const byType = new Map<string, number>();
  const ev = new EventCursor();
  for await (const batch of insp.batches()) {
    for (let i = 0; i < batch.count; i++) {
      ev.moveTo(batch, i);
      const key = `${eventTypeName(ev)} ${EVENTS[ev.type]!.dir === 'enter' ? '>' : '<'}`;
      byType.set(key, (byType.get(key) ?? 0) + 1);
    }
  }
  const cap = insp.capture;
  const info = cap.info;
  const ts = (t: [number, number] | null): { rawtime: string; utc: string } | null => {
    if (!t) return null;
    const rawtime = formatRawNs(t[0], t[1]);
    return { rawtime, utc: utcOfNs(BigInt(rawtime)) };
  };
  return {
    file: info.inputName,
    fileBytes: info.fileBytes ?? null,
    compression: info.compression,
    decompressedBytes: cap.stats.bytesRead,
    formatVersion: `${info.header.majorVersion}.${info.header.minorVersion}`,
    machine: info.machine ?? null,
    blocks: [...cap.stats.blockCounts].sort((a, b) => a[0] - b[0]).map(([id, count]) => ({
      type: blockTypeName(id), id: '0x' + id.toString(16), count,
    })),
    unknownBlocksSkipped: cap.stats.unknownBlocks,
    events: {
      rawBlocks: insp.totals.raw, libscap: insp.totals.libscap, sinsp: insp.totals.sinsp,
      unknownTypesSkipped: cap.stats.unknownEventTypes,
    },
    eventTypes: [...byType].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, count]) => {
      const [type, dir] = k.split(' ');
      return { type: type!, dir: dir!, count };
    }),
    firstEvent: ts(first),
    lastEvent: ts(last),
    state: {
      threads: info.threads.length, fds: info.fds.length, users: info.users.length,
      groups: info.groups.length, interfaces: info.interfaces.length,
    },
    warnings: insp.warnings.map((w) => ({ offset: w.offset, message: w.message })),
  };
}

/** JSON has no 64-bit integers: write them as decimal strings. */
const bigintAsString = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/**
 * The machine info block in words (the JSON has every field): host, CPUs,
 * memory, and what older captures leave 0 (max pid, boot time) or no libs
 * version sets (flags, reserved words) only when present.
 */
export function describeMachine(m: MachineInfo): string {
  const parts = [
    m.hostname === '' ? '(no hostname)' : m.hostname,
    `${m.numCpus} CPU${m.numCpus === 1 ? '' : 's'}`,
    `${(m.memorySizeBytes / 1024 ** 3).toFixed(1)} GiB memory (${m.memorySizeBytes} bytes)`,
  ];
  if (m.maxPid !== 0) parts.push(`pid max ${m.maxPid}`);
  if (m.bootTsEpochNs !== 0n) parts.push(`booted ${utcOfNs(m.bootTsEpochNs)}`);
  if (m.flags !== 0n) parts.push(`flags 0x${m.flags.toString(16)}`);
  if (m.reserved3 !== 0n || m.reserved4 !== 0n) parts.push(`reserved words ${m.reserved3}, ${m.reserved4}`);
  return parts.join(', ');
}

/** ns since the epoch as an ISO time with nanoseconds. */
function utcOfNs(ns: bigint): string {
  const sec = Number(ns / 1_000_000_000n);
  const nsec = Number(ns % 1_000_000_000n);
  return new Date(sec * 1000).toISOString().replace('.000Z', '.' + String(nsec).padStart(9, '0') + 'Z');
}

/** A span of ns as seconds with all nine decimals (exact: no float on the way). */
export function formatSpan(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
}

function renderSummary(s: CaptureSummary): string {
  const lines: string[] = [];
  const row = (k: string, v: string): void => { lines.push(`${k.padEnd(14)}${v}`); };
  row('file', `${s.file}${s.fileBytes !== null ? ` (${s.fileBytes} bytes)` : ''}`);
  row('compression', `${s.compression}, ${s.decompressedBytes} bytes decompressed`);
  row('format', `scap ${s.formatVersion}`);
  if (s.machine) row('machine', describeMachine(s.machine as MachineInfo));
  row('events', `${s.events.sinsp} (as libsinsp returns them); ${s.events.libscap} libscap events; ${s.events.rawBlocks} event blocks`);
  if (s.events.unknownTypesSkipped) row('', `${s.events.unknownTypesSkipped} events of types newer than this schema skipped`);
  if (s.firstEvent) row('first event', `${s.firstEvent.utc} (${s.firstEvent.rawtime})`);
  if (s.lastEvent) row('last event', `${s.lastEvent.utc} (${s.lastEvent.rawtime})`);
  if (s.firstEvent && s.lastEvent) row('span', `${formatSpan(BigInt(s.lastEvent.rawtime) - BigInt(s.firstEvent.rawtime))} s`);
  row('state', `${s.state.threads} threads, ${s.state.fds} fds, ${s.state.users} users, ${s.state.groups} groups, ${s.state.interfaces} interfaces`);
  lines.push('blocks');
  // A type without a name is its number: said once, as unknown.
  for (const b of s.blocks) lines.push(`  ${String(b.count).padStart(10)}  ${b.type === b.id ? 'unknown' : b.type} (${b.id})`);
  if (s.unknownBlocksSkipped) lines.push(`  ${String(s.unknownBlocksSkipped).padStart(10)}  unknown blocks skipped`);
  lines.push('event types');
  for (const t of s.eventTypes) lines.push(`  ${String(t.count).padStart(10)}  ${t.type} ${t.dir}`);
  return lines.join('\n') + '\n';
}
