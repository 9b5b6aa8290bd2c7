import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cutCapture, eventTypesNamed } from '../../inspect/cut.js';
import type { CutSelection } from '../../inspect/cut.js';
import { EventCursor } from '../../scapfile/event-cursor.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { LayoutConverter } from '../../scapfile/upgrade/index.js';
import { DUMP_FLAG_STATE_ONLY } from '../../inspect/sinsp-selection.js';
import { StateReplay } from '../../inspect/state/index.js';
import { tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { capturePath, FIXTURES, ROOT } from '../helpers/fixtures.js';
import type { FixtureName } from '../helpers/fixtures.js';
import { SINSP_EXAMPLE, sinspLines } from '../scapfile/writer/sinsp-reference.js';

const tmp = tempDir('scapkit-cut-');
afterAll(() => tmp.cleanup());

/** One event as the replay sees it: its bytes, and the names state gives it. */
interface Seen { key: string; ts: bigint; comm: string | undefined; fdName: string | undefined; stateOnly: boolean }

async function replayNames(path: string): Promise<Seen[]> {
  const cap = await openCapture(path);
  const conv = new LayoutConverter();
  const state = new StateReplay(cap.info);
  const ev = new EventCursor();
  const out: Seen[] = [];
  for await (const raw of cap) {
    const b = conv.convert(raw);
    for (let i = 0; i < b.count; i++) {
      ev.moveTo(b, i);
      state.apply(ev);
      const at = b.offsets[i]!;
      out.push({
        key: b.buf.subarray(at, at + ev.lenBytes).toString('hex'),
        ts: ev.tsNs,
        comm: state.thread(ev.tid)?.comm,
        fdName: state.eventFd(ev).name,
        stateOnly: (b.flags[i]! & DUMP_FLAG_STATE_ONLY) !== 0,
      });
    }
  }
  return out;
}

/**
 * Cuts `name` with `sel` and checks every kept event of the cut file has the
 * process name and fd name of the same event in the original. Returns the
 * kept events.
 */
async function cutAndCompare(name: FixtureName, sel: CutSelection, tag: string): Promise<Seen[]> {
  const out = join(tmp.dir, `${name}.${tag}.scap`);
  const summary = await cutCapture(capturePath(name), out, sel);
  const original = await replayNames(capturePath(name));
  const cut = await replayNames(out);
  const kept = cut.filter((e) => !e.stateOnly);
  expect(kept.length).toBe(summary.kept);
  let j = 0;
  for (const e of kept) {
    while (j < original.length && original[j]!.key !== e.key) j++;
    expect(j, `kept event not found in the original: ${e.key.slice(0, 60)}`).toBeLessThan(original.length);
    const o = original[j++]!;
    expect({ comm: e.comm, fdName: bindName(o.fdName, e.fdName) }).toEqual({ comm: o.comm, fdName: o.fdName });
  }
  return kept;
}

/**
 * An IPv4 socket whose tuple is still zero is named '' (just made) or after
 * the address it was bound to with port 0 (`127.0.0.1:0`); an fd list holds
 * an IPv4 socket's tuple and no name, so the piece names it from the zero
 * tuple, as libsinsp does when its own dumper writes that socket
 * (docs/limits.md). Where that is the difference, the original's name stands.
 */
function bindName(original: string | undefined, piece: string | undefined): string | undefined {
  const zeroTuple = original === '' || (original !== undefined && /^\d+\.\d+\.\d+\.\d+:0$/.test(original));
  return piece === '0.0.0.0:0->0.0.0.0:0' && zeroTuple ? original : piece;
}

/** `scap read -p FMT` of one thread's events (FMT's third word is the thread id). */
function threadLines(path: string, fmt: string, tid: number): string[] {
  const r = scap(['read', path, '-p', fmt, '-f', `thread.tid = ${tid}`]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** The same lines from sinsp-example. */
function sinspThreadLines(path: string, fmt: string, tid: number): string[] {
  return sinspLines(path, fmt).lines.filter((l) => l.split(' ')[2] === String(tid));
}

describe('scap cut keeps process and fd names', () => {
  for (const name of FIXTURES) {
    it(`${name}: a window from the middle (--from absolute)`, async () => {
      const all = await replayNames(capturePath(name));
      const from = all[Math.floor(all.length / 2)]!.ts;
      const kept = await cutAndCompare(name, { from: { kind: 'abs', ns: from } }, 'from');
      expect(kept.length).toBeGreaterThan(10);
      expect(kept.every((e) => e.ts >= from)).toBe(true);
      expect(kept.some((e) => e.fdName !== undefined && e.fdName !== '')).toBe(true);
    });

    it(`${name}: only some event types (--type), the rest kept as state-only`, async () => {
      const types = eventTypesNamed(['read,write,recvfrom,sendto,close']);
      const kept = await cutAndCompare(name, { types, from: { kind: 'rel', ns: 1n } }, 'types');
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.some((e) => e.fdName !== undefined && e.fdName !== '')).toBe(true);
    });

    it(`${name}: a sinsp filter (-f)`, async () => {
      const kept = await cutAndCompare(name, { filter: 'fd.name exists and evt.dir = <', skip: 3 }, 'filter');
      expect(kept.length).toBeGreaterThan(5);
    });
  }

  // sinsp removes a closed fd when the next event comes: a piece starting
  // right after a close listed the fd in its state, one too many in
  // proc.fdopencount from its first event on (and in the thread's fd.types).
  it('a piece starting right after a close does not list the closed fd', async () => {
    const original = capturePath('scapkit_sysmix');
    const piece = join(tmp.dir, 'after-close-piece.scap');
    const fmt = '*%evt.type %proc.pid %proc.fdopencount %fd.num %fd.name';
    const lines = (path: string): string[] => {
      const r = scap(['read', path, '-p', fmt]);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter((l) => l !== '');
    };
    const all = lines(original);
    // The 23rd event closes fd 3 of 7238 (6 fds open); 7238's next one sees 5.
    expect(all[22]).toMatch(/^close 7238 6 3 /);
    expect(all[23]).toMatch(/^mmap 7238 5 /);
    await cutCapture(original, piece, { skip: 23 });
    expect(lines(piece)).toEqual(all.slice(23));
    if (existsSync(SINSP_EXAMPLE)) {
      const ref = (path: string): string[] => sinspLines(path, fmt).lines;
      expect(ref(piece)).toEqual(ref(original).slice(23));
    }
  });

  it('a piece carries close-on-exec of pipes and eventfds, which fd lists cannot (they survived the next exec)', async () => {
    const original = join(ROOT, 'fixtures', 'live', 'cloexec.scap.gz');
    const piece = join(tmp.dir, 'cloexec-piece.scap');
    // From the sleep on: the fds were made before, the exec and reads come after.
    await cutCapture(original, piece, { skip: 34 });
    const reads = (path: string): string[] => {
      const r = scap(['read', path, '-f', 'evt.type=read and proc.name=exe', '-p', '%fd.num %fd.typechar %fd.name %evt.res']);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').filter((l) => l !== '');
    };
    // libc's read, then fds 7 and 8 after the exec: closed (no type, no name; the piece said pipe and event).
    const want = ['3 f /lib/x86_64-linux-gnu/libc.so.6 SUCCESS', '7 o  EBADF', '8 o  EBADF'];
    expect(reads(original)).toEqual(want);
    expect(reads(piece)).toEqual(want);
  });

  // The piece starts between the worker's two clone exits too (17577's
  // made it, its own comes next): the clone exit written again after the
  // state removes the worker's entry before making it anew, and with the
  // leader already marked dead that left the group empty and took the
  // leader (no parent, no cwd, no ancestors), had the procexit come first.
  it('a piece starting after a main thread\'s pthread_exit counts its threads as the capture does', async () => {
    const original = join(ROOT, 'fixtures', 'live', 'mainexit.scap.gz');
    const piece = join(tmp.dir, 'mainexit-piece.scap');
    const fmt = '*%evt.rawtime %evt.type %thread.tid %proc.pid %proc.nthreads %proc.nchilds %thread.ismain %proc.name %proc.ppid %proc.cwd %proc.aname[1]';
    const lines = (path: string): string[] => threadLines(path, fmt, 17578);
    // From the event after the procexit of the main thread, 17577.
    const all = scap(['read', original, '-p', '%evt.rawtime %thread.tid %evt.type']).stdout.split('\n');
    const at = all.findIndex((l) => / 17577 procexit$/.test(l));
    expect(at).toBeGreaterThan(0);
    await cutCapture(original, piece, { from: { kind: 'abs', ns: BigInt(all[at + 1]!.split(' ')[0]!) } });
    const want = lines(original).filter((l) => BigInt(l.split(' ')[0]!) > BigInt(all[at]!.split(' ')[0]!));
    // One thread, and the child it forks: the dead leader is not counted.
    expect(want[0]).toMatch(/^\d+ clone3 17578 17577 1 1 false wl 17576 \/tmp\/lin\/ timeout$/);
    expect(lines(piece)).toEqual(want);
    if (existsSync(SINSP_EXAMPLE)) {
      const ref = (path: string): string[] => sinspThreadLines(path, fmt, 17578);
      const refWant = ref(original).filter((l) => BigInt(l.split(' ')[0]!) > BigInt(all[at]!.split(' ')[0]!));
      expect(ref(piece)).toEqual(refWant);
    }
  });

  // A double fork (fixtures/live/dfork.c): the middle process's clone exit
  // made the grandchild's entry, the middle exited, and the grandchild's own
  // clone exit, which names init, came after the piece's start. A process
  // list has no clone time, so libsinsp (and our replay) took the entry for
  // a stale one and rebuilt it from init: session 0, cwd /, no exe path,
  // two threads.
  it('a piece starting between the two clone exits of a fork keeps the child the caller made', async () => {
    const original = join(ROOT, 'fixtures', 'live', 'dfork.scap.gz');
    const piece = join(tmp.dir, 'dfork-piece.scap');
    const fmt = '*%evt.rawtime %evt.type %thread.tid %proc.ppid %proc.sid %proc.vpgid %proc.cwd %proc.exepath %proc.nthreads %proc.aname[2]';
    const lines = (path: string): string[] => threadLines(path, fmt, 17205);
    // From the event after the middle process's clone exit (17204 forks 17205).
    const all = scap(['read', original, '-p', '%evt.rawtime %thread.tid %evt.type %evt.rawres']).stdout.split('\n');
    const at = all.findIndex((l) => / 17204 clone 17205$/.test(l));
    expect(at).toBeGreaterThan(0);
    await cutCapture(original, piece, { from: { kind: 'abs', ns: BigInt(all[at + 1]!.split(' ')[0]!) } });
    const want = lines(original);
    expect(want[0]).toMatch(/ clone 17205 1 13278 17184 \/tmp\/lin\/ \/tmp\/lin\/wl 1 /);
    expect(lines(piece)).toEqual(want);
    // The state-only event carries the piece's start time: times relative to
    // the capture's start still count from the first event kept.
    const first = scap(['read', piece, '-n', '1', '-p', '%evt.reltime']);
    expect(first.stdout).toMatch(/^0+\n$/);
    if (existsSync(SINSP_EXAMPLE)) {
      const ref = (path: string): string[] => sinspThreadLines(path, fmt, 17205);
      expect(ref(piece)).toEqual(ref(original));
      expect(sinspLines(piece, '%evt.reltime').lines[0]).toMatch(/^0+$/);
    }
  });

  it('-n and --skip keep the right events', async () => {
    const all = (await replayNames(capturePath('curl_google')));
    const kept = await cutAndCompare('curl_google', { skip: 100, limit: 10 }, 'n-skip');
    expect(kept.map((e) => e.key)).toEqual(all.slice(100, 110).map((e) => e.key));
  });

  it('--tid keeps one thread', async () => {
    const cap = await openCapture(capturePath('single_ipv6_conn'));
    const tid = cap.info.threads.at(-1)!.tid;
    await cap.close();
    await cutAndCompare('single_ipv6_conn', { tids: new Set([tid]) }, 'tid');
  });

  it.skipIf(!existsSync(SINSP_EXAMPLE))('sinsp-example prints a --type cut like the original under the same filter', async () => {
    let total = 0;
    for (const name of FIXTURES) {
      const out = join(tmp.dir, `${name}.ref.scap`);
      await cutCapture(capturePath(name), out, { types: eventTypesNamed(['read,write,connect,close']) });
      const fmt = '*%evt.type %proc.name %fd.name %evt.args';
      const want = execLines(capturePath(name), fmt, 'evt.type in (read, write, connect, close)');
      const got = sinspLines(out, fmt);
      total += want.length;
      expect(got.lines).toEqual(want);
    }
    expect(total).toBeGreaterThan(100);
  });
});

function execLines(file: string, fmt: string, filter: string): string[] {
  // sinspLines without a filter argument; this one adds -f.
  const outText = execFileSync(SINSP_EXAMPLE, ['-s', file, '-a', '-f', filter, '-o', fmt], {
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, encoding: 'latin1', maxBuffer: 256 << 20,
  });
  const all = outText.split('\n');
  return all.slice(all.indexOf('-- Start capture') + 1, all.indexOf('-- EOF'));
}

describe('time bounds', () => {
  it('refuses a window that no event can be in, writing nothing', () => {
    // It wrote an empty capture with a warning and exit status 0.
    for (const [from, to] of [['+5s', '+1s'], ['1534527345000000000', '1534527344000000000'], ['+2s', '+2s']]) {
      const out = join(tmp.dir, 'empty-window.scap');
      const r = scap(['cut', capturePath('curl_google'), '-o', out, '--from', from!, '--to', to!]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`scap: --to ${to} is not after --from ${from}: no event can be in that window`);
      expect(existsSync(out)).toBe(false);
    }
    // A time it cannot read names its option, as ptree's --at does.
    for (const opt of ['--from', '--to']) {
      const r = scap(['cut', capturePath('curl_google'), '-o', join(tmp.dir, 'unread.scap'), opt, 'noon']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^scap: ${opt}: cannot read the time "noon": give ns since the epoch`));
    }
    // Mixed forms depend on the capture: allowed.
    expect(scap(['cut', capturePath('curl_google'), '-o', join(tmp.dir, 'mixed.scap'), '--from', '+1s', '--to', '1534527350000000000', '-q']).status).toBe(0);
  });

  it('rejects unknown event type names', () => {
    expect(() => eventTypesNamed(['opne'])).toThrow(/no event type is named "opne"/);
  });
});
