// The optional kernel events of scap-capture (--sched-switch, --page-faults,
// --signals; driver/programs/kernel_events.bpf.h), end to end:
// build/capture-kernel-events (test/native/kernel-events-workload.c) faults
// on known pages from a known function, signals itself and gets a child's
// SIGCHLD, and sleeps with known fault counts and memory size. Each must
// come out with those exact values, read the same by sinsp-example, and
// none of them may be recorded without its option.
//
// Needs root (SCAPKIT_NO_BPF=1 skips, as in capture.test.ts).

import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../scapfile/open-capture.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { paramBytes } from '../../scapfile/params/index.js';
import { EventType, paramIndex } from '../../scapfile/schema/index.js';
import { ROOT } from '../helpers/fixtures.js';
import { scap } from '../helpers/cli.js';
import { exitOf, prepareCaptureTest, SCAP_CAPTURE, waitForLine } from './capture-run.js';
import { SINSP_EXAMPLE, sinspRun, SINSP_FORMAT } from './sinsp-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
const WORKLOAD = join(ROOT, 'build', 'capture-kernel-events');
const { PAGE_FAULT_E, SIGNALDELIVER_E, SCHEDSWITCH_6_E } = EventType;

/** What the workload printed, and the captured events of its process (and its child). */
interface Run {
  file: string;
  pid: number;
  child: number;
  base: bigint;
  touchStart: bigint;
  touchEnd: bigint;
  minflt: number;
  vmSizeKib: number;
  majflt: number;
  events: Array<{ type: number; tid: number; values: Map<string, bigint> }>;
}

/** The schema code and parameter names of each event type. */
const LAYOUTS: Record<number, [string, string[]]> = {
  [PAGE_FAULT_E]: ['PAGE_FAULT_E', ['addr', 'ip', 'error']],
  [SIGNALDELIVER_E]: ['SIGNALDELIVER_E', ['spid', 'dpid', 'sig']],
  [SCHEDSWITCH_6_E]: ['SCHEDSWITCH_6_E', ['next', 'pgft_maj', 'pgft_min', 'vm_size', 'vm_rss', 'vm_swap']],
};
/** Pids are signed 64-bit; the other parameters unsigned. */
const SIGNED = new Set(['spid', 'dpid', 'next']);

function paramValue(ev: EventCursor, k: number, name: string): bigint {
  const b = paramBytes(ev, k);
  if (b.length === 8) return SIGNED.has(name) ? b.readBigInt64LE(0) : b.readBigUInt64LE(0);
  if (b.length === 4) return BigInt(b.readUInt32LE(0));
  if (b.length === 1) return BigInt(b.readUInt8(0));
  throw new Error(`${name}: ${b.length} bytes`);
}

/** Runs the workload under scap-capture --pid with `flags`, and reads back its optional kernel events. */
async function captureWorkload(dir: string, name: string, flags: string[]): Promise<Run> {
  const file = join(dir, `${name}.scap`);
  const workload = spawn(WORKLOAD, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  let capture: ReturnType<typeof spawn> | undefined;
  try {
    const pid = Number((await waitForLine(workload, 'stdout', /ready (\d+)\n/, 'capture-kernel-events'))[1]);
    capture = spawn(SCAP_CAPTURE, ['-w', file, '--pid', String(pid), '-M', '60', ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForLine(capture, 'stderr', /capturing to /, 'scap-capture');
    let out = '';
    workload.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    workload.stdin!.end('go\n');
    expect(await exitOf(workload)).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    capture.kill('SIGINT');
    expect(await exitOf(capture)).toBe(0);
    const [, base, touchStart, touchEnd] = /faults (\w+) (\w+) (\w+)\n/.exec(out)!;
    const [, child] = /child (\d+)\n/.exec(out)!;
    const [, minflt, vmSize, majflt] = /sleep (\d+) (\d+) (\d+)\n/.exec(out)!;
    const events: Run['events'] = [];
    const cap = await openCapture(file);
    const ev = new EventCursor();
    for await (const b of cap) {
      for (let i = 0; i < b.count; i++) {
        ev.moveTo(b, i);
        const layout = LAYOUTS[ev.type];
        if (layout === undefined) continue;
        const [code, names] = layout;
        const values = new Map<string, bigint>();
        for (const n of names) values.set(n, paramValue(ev, paramIndex(code, n), n));
        events.push({ type: ev.type, tid: ev.tid, values });
      }
    }
    return {
      file, pid, child: Number(child), base: BigInt(`0x${base}`), touchStart: BigInt(`0x${touchStart}`),
      touchEnd: BigInt(`0x${touchEnd}`), minflt: Number(minflt), vmSizeKib: Number(vmSize), majflt: Number(majflt), events,
    };
  } finally {
    if (workload.exitCode === null) workload.kill('SIGKILL');
    if (capture && capture.exitCode === null) capture.kill('SIGKILL');
  }
}

describe.skipIf(NO_BPF)('scap-capture --sched-switch --page-faults --signals', () => {
  let dir: string;
  let run: Run;
  let plain: Run;
  beforeAll(async () => {
    dir = prepareCaptureTest('kernel-events.test');
    run = await captureWorkload(dir, 'all', ['--sched-switch', '--page-faults', '--signals']);
    plain = await captureWorkload(dir, 'plain', []);
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const ofType = (type: number) => run.events.filter((e) => e.type === type);

  it('records a page fault for each fresh page, at its address, from the instruction that touched it', () => {
    // PAGE_NOT_PRESENT | WRITE_ACCESS | USER_FAULT (the pf_flags table).
    const NOT_PRESENT_USER_WRITE = 0x2n | 0x4n | 0x10n;
    for (let page = 0n; page < 4n; page++) {
      const addr = run.base + page * 4096n + 123n;
      const f = ofType(PAGE_FAULT_E).filter((e) => e.tid === run.pid && e.values.get('addr') === addr);
      expect(f, `fault at 0x${addr.toString(16)}`).toHaveLength(1);
      expect(f[0]!.values.get('error')).toBe(NOT_PRESENT_USER_WRITE);
      // The instruction pointer itself (libs' modern_bpf stores 0 here for user faults).
      const ip = f[0]!.values.get('ip')!;
      expect(ip >= run.touchStart && ip < run.touchEnd, `ip 0x${ip.toString(16)} in touch_pages`).toBe(true);
    }
  });

  it('records signal deliveries with their sender: its own SIGTERM, its child\'s SIGCHLD', () => {
    const sigs = ofType(SIGNALDELIVER_E).map((e) => [e.tid, e.values.get('spid'), e.values.get('dpid'), e.values.get('sig')]);
    const pid = BigInt(run.pid);
    expect(sigs).toContainEqual([run.pid, pid, pid, 15n]);
    expect(sigs).toContainEqual([run.pid, BigInt(run.child), pid, 17n]);
  });

  it('records the switch into its sleep with its fault count and memory size', () => {
    const switches = ofType(SCHEDSWITCH_6_E).filter((e) => e.tid === run.pid);
    expect(switches.length).toBeGreaterThan(0);
    const seen = switches.map((e) => `${e.values.get('pgft_min')}/${e.values.get('vm_size')}/${e.values.get('pgft_maj')}`);
    expect(switches.some((e) => e.values.get('pgft_min') === BigInt(run.minflt)
      && e.values.get('vm_size') === BigInt(run.vmSizeKib) && e.values.get('pgft_maj') === BigInt(run.majflt)),
    `want ${run.minflt}/${run.vmSizeKib}/${run.majflt}, switches ${seen.join(' ')}`).toBe(true);
    for (const e of switches) expect(e.values.get('next')! >= 0n && e.values.get('next') !== BigInt(run.pid)).toBe(true);
  });

  it('records none of them without the options', () => {
    expect(run.events.length).toBeGreaterThan(0);
    expect(plain.events).toEqual([]);
  });

  it.skipIf(!existsSync(SINSP_EXAMPLE))('scap read prints them as sinsp-example does', () => {
    const r = scap(['read', run.file, '-p', SINSP_FORMAT]);
    expect(r.status, r.stderr).toBe(0);
    const ours = r.stdout.split('\n').filter((l) => l !== '');
    expect(ours.some((l) => / (switch|page_fault|signaldeliver) /.test(l))).toBe(true);
    expect(ours).toEqual(sinspRun(run.file).lines);
  });
});
