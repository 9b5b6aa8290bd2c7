// Each field of fixtures/golden/<capture>/fields-<group>.txt (made by
// fixtures/golden/regen-fields.sh with the reference sinsp-example) against
// ours, column by column, with the match rate per field printed.

import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { FIXTURES, capturePath, goldenLines } from '../helpers/fixtures.js';
import type { FixtureName } from '../helpers/fixtures.js';

const GROUPS = ['evt', 'proc', 'fd', 'user', 'lineage', 'more', 'transform', 'gen'] as const;

/**
 * Fields the reference prints that we knowingly do not match (none should be listed without a reason).
 * Not in any group: proc.exe_ino.ctime_duration_proc_start, which sinsp-example
 * prints from uninitialized memory for process-list threads (see exe-ino-durations.test.ts).
 */
const NOT_IMPLEMENTED = new Set<string>([]);

/**
 * Fields matched on nearly every event, with the least share we accept and why.
 * evt.buffer: sinsp-example prints rawbuf_str_len bytes of its render buffer, so
 * after a NUL in the data it shows stale bytes of an earlier, longer rendering;
 * an empty buffer renders as NULL without setting that length, so it prints
 * NULL followed by the previous buffer's bytes (live reads at end of file).
 * evt.deltatime (.s, .ns): time since the previous event the field was
 * evaluated on. sinsp-example formats process events, network/I/O events,
 * plugin events and all others with four formatters, each with its own
 * filtercheck and so its own previous timestamp; the reference's deltas are
 * per group of events (replaying those groups gives its values on every event
 * of the four fixtures), ours are between consecutive events as one -p
 * format sees them.
 */
const APPROXIMATE = new Map<string, number>([
  ['evt.buffer', 0.99],
  ['evt.deltatime', 0.8], ['evt.deltatime.s', 0.99], ['evt.deltatime.ns', 0.8],
]);

/** A ctime_duration_pidns_start over 40 years is no duration: sinsp's, from a namespace start taken as ns since the epoch. */
const FORTY_YEARS_NS = 40n * 365n * 86_400n * 1_000_000_000n;
const digits = (s: string): boolean => /^\d+$/.test(s);

/**
 * Values the reference is shown to print wrongly (inspect/README.md), with
 * what we print instead; an event agrees when the values are equal or this
 * holds (`boot`: the capture's boot time, ns since the epoch). The live
 * captures show them:
 * - evt.buffer of an empty buffer (a read at end of file): the reference
 *   prints NULL followed by stale bytes of the last buffer it rendered;
 * - proc.pidns_init_start_ts: its machine info for a file is all zeros, so
 *   it has no boot time and prints <NA> for threads cloned during the
 *   capture; we use the file's boot time, as live libsinsp would. In a pid
 *   namespace of its own (libs_nsmix) it prints the namespace's start as
 *   the event gives it, ns since boot, where we add the boot time;
 * - proc.exe_ino.ctime_duration_pidns_start follows from it: <NA> there,
 *   and in a namespace a "duration" from that time since boot to the
 *   executable's ctime (53 years), where we print none: the executable is
 *   older than the namespace (libsinsp's own rule).
 */
const KNOWN_WRONG = new Map<string, (ours: string, reference: string, boot: bigint) => boolean>([
  ['evt.buffer', (ours, ref) => ours === 'NULL' && ref.startsWith('NULL')],
  ['proc.pidns_init_start_ts', (ours, ref, boot) => digits(ours)
    && (ref === '<NA>' || (digits(ref) && BigInt(ours) === BigInt(ref) + boot))],
  ['proc.exe_ino.ctime_duration_pidns_start', (ours, ref) => (ref === '<NA>' && digits(ours))
    || (ours === '<NA>' && digits(ref) && BigInt(ref) > FORTY_YEARS_NS)],
]);

/**
 * Fields whose reference value depends on the fields before them in the
 * format: libsinsp's evt.abspath sets the event's fd to the directory fd it
 * resolves against, and evt.count.error.file and .other read the event's
 * fd. On the renameat of libs_nsmix that gives error.file 0 and error.other
 * <NA> where the same event without evt.abspath before them gives the
 * reverse, as ours does (inspect/README.md). Accepted only as that swap, on
 * an event with an evt.abspath, in a group that has it.
 */
const AFTER_ABSPATH = ['evt.count.error.file', 'evt.count.error.other'] as const;

async function compareGroup(name: FixtureName, group: string): Promise<Map<string, { same: number; total: number; firstDiff?: string }>> {
  const lines = goldenLines(name, `fields-${group}.txt`);
  const header = lines.find((l) => l.startsWith('# fields:'))!.split('\t').slice(1);
  // A value may hold a line end (b64 decodes libs_sysmix's directory name into
  // bytes with a 0x0a): a line that does not start with an event number goes on the one before.
  const joined: string[] = [];
  for (const l of lines.filter((l) => !l.startsWith('#'))) {
    if (joined.length > 0 && !/^\d+\t/.test(l)) joined[joined.length - 1] += `\n${l}`;
    else joined.push(l);
  }
  const rows = joined.map((l) => l.split('\t'));
  const fields = header.filter((f) => !NOT_IMPLEMENTED.has(f));
  const fmt = compileFormat('*%evt.num\t' + fields.map((f) => `%${f}`).join('\t'), FIELDS);
  const insp = await Inspector.open(capturePath(name));
  const ours: string[][] = [];
  await insp.run((ev) => { ours.push(fmt(ev, insp.fieldContext)!.split('\t')); });
  const boot = insp.capture.info.machine?.bootTsEpochNs ?? 0n;
  const fileCol = header.indexOf(AFTER_ABSPATH[0]) + 1;
  const otherCol = header.indexOf(AFTER_ABSPATH[1]) + 1;
  const abspathCol = header.indexOf('evt.abspath') + 1;
  const swappedByAbspath = (i: number): boolean => {
    if (abspathCol === 0 || fileCol === 0 || otherCol === 0) return false;
    const ref = rows[i]!;
    const got = ours[i];
    return ref[abspathCol] !== '<NA>' && got !== undefined
      && ref[fileCol] === got[fields.indexOf(AFTER_ABSPATH[1]) + 1] && ref[otherCol] === got[fields.indexOf(AFTER_ABSPATH[0]) + 1];
  };
  const stats = new Map<string, { same: number; total: number; firstDiff?: string }>();
  fields.forEach((f, k) => {
    const col = header.indexOf(f) + 1;
    const st: { same: number; total: number; firstDiff?: string } = { same: 0, total: rows.length };
    for (let i = 0; i < rows.length; i++) {
      const want = rows[i]![col];
      const got = ours[i]?.[k + 1];
      if (want === got || (got !== undefined && want !== undefined && KNOWN_WRONG.get(f)?.(got, want, boot))) st.same++;
      else if ((AFTER_ABSPATH as readonly string[]).includes(f) && swappedByAbspath(i)) st.same++;
      else st.firstDiff ??= `evt.num ${rows[i]![0]}: ours '${got}' reference '${want}'`;
    }
    stats.set(f, st);
  });
  expect(ours.length).toBe(rows.length);
  return stats;
}

describe.each(FIXTURES)('fields on %s agree with the reference', (name) => {
  it.each(GROUPS)('every %s field matches on every event', async (group) => {
    const stats = await compareGroup(name, group);
    const report = [...stats].map(([f, s]) => `${f} ${((s.same / s.total) * 100).toFixed(1)}%${s.firstDiff ? ` (${s.firstDiff})` : ''}`);
    console.log(`${name} ${group}: ${report.join('; ')}`);
    const failing = [...stats].filter(([f, s]) => s.same / s.total < (APPROXIMATE.get(f) ?? 1))
      .map(([f, s]) => `${f}: ${s.firstDiff}`);
    expect(failing).toEqual([]);
  });
});

describe.each(FIXTURES)('procs.txt on %s', (name) => {
  it('lists the same distinct processes as the reference', async () => {
    const format = goldenLines(name, 'fmt.txt').find((l) => l.startsWith('procs.txt\t'))!.split('\t')[1]!.replace(/ \| sort -u$/, '');
    const fmt = compileFormat(format, FIELDS);
    const insp = await Inspector.open(capturePath(name));
    const seen = new Set<string>();
    await insp.run((ev) => { seen.add(fmt(ev, insp.fieldContext)!); });
    const ours = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(ours).toEqual(goldenLines(name, 'procs.txt'));
  });
});
