// scap live -w -C: rotated files start with the threads and fds replayed
// from every event but plain reads and writes, completed by a /proc scan
// (cli/live-rotation.ts, inspect/state/snapshot.ts rotationState), over a
// fake binding whose ring hands out a real capture's blocks. The real
// driver: live-bpf.test.ts.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLiveRotated } from '../../cli/live-rotation.js';
import { rotationState } from '../../inspect/state/snapshot.js';
import { StateReplay } from '../../inspect/state/index.js';
import { live } from '../../live/index.js';
import { inspect } from '../../inspect/index.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import type { CaptureState, FdInfo, ThreadInfo } from '../../scapfile/state-blocks/index.js';
import { defaultThreadInfo } from '../../scapfile/state-blocks/process-list.js';
import { FdType } from '../../scapfile/state-blocks/types.js';
import { tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';
import { fakeBinding } from '../live/fake-binding.js';

/** dfork.c: a process forks a child that forks a grandchild and exits (fixtures/live/README.md). */
const DFORK = `${ROOT}/fixtures/live/dfork.scap.gz`;
/** mainexit.c: the main thread leaves by pthread_exit while a worker runs on and forks (fixtures/live/README.md). */
const MAINEXIT = `${ROOT}/fixtures/live/mainexit.scap.gz`;
/** cloexec.c: a pipe and an eventfd made close-on-exec, then an exec that reads them (EBADF) (fixtures/live/README.md). */
const CLOEXEC = `${ROOT}/fixtures/live/cloexec.scap.gz`;
const LINE = '%evt.type %thread.tid %proc.pid %proc.ppid %proc.vpid %proc.name %proc.exepath %proc.cmdline %proc.cwd %proc.sid %user.name %proc.aname[2] %fd.num %fd.type %fd.name';
const EVENT_BLOCKS = new Set([0x204, 0x205, 0x208, 0x216, 0x217]);

/** The capture's bytes up to its first event block (header and state), and its event blocks in chunks of about `chunkBytes`. */
function split(bytes: Buffer, chunkBytes: number): { preamble: Buffer; chunks: Buffer[] } {
  let at = 0;
  while (!EVENT_BLOCKS.has(bytes.readUInt32LE(at))) at += bytes.readUInt32LE(at + 4);
  const preamble = bytes.subarray(0, at);
  const chunks: Buffer[] = [];
  let start = at;
  while (at < bytes.length) {
    at += bytes.readUInt32LE(at + 4);
    if (at - start >= chunkBytes || at >= bytes.length) {
      chunks.push(bytes.subarray(start, at));
      start = at;
    }
  }
  return { preamble, chunks };
}

const thread = (tid: number, comm: string): ThreadInfo => ({ ...defaultThreadInfo(), tid, pid: tid, ptid: 1, vtid: tid, vpid: tid, comm, exe: comm });
const fileFd = (tid: number, fd: number, name: string): FdInfo => ({
  tid, fd, ino: 0n, type: FdType.FILE, rawType: FdType.FILE, info: { kind: 'file', openFlags: 0, name, mountId: 0, dev: 0 },
});
const state = (threads: ThreadInfo[], fds: FdInfo[]): CaptureState => ({ machine: undefined, users: [], groups: [], interfaces: [], threads, fds });

describe('scap live -w with rotation', () => {
  const tmp = tempDir('scapkit-live-rotation-');
  afterAll(() => tmp.cleanup());

  it('names every process and fd in every file as the single file does, though each scan predates what started since', async () => {
    const bytes = gunzipSync(readFileSync(DFORK));
    const { preamble, chunks } = split(bytes, 4096);
    // Every scan answers the state of the start: the processes dfork starts
    // and the files they open are in none of them, so later files know them
    // from the replay alone (a file starting from the scan alone showed the
    // processes as <NA>; with the scan's fds, a file opened since had no name).
    const { binding, rings } = fakeBinding(chunks, false, 0, { preamble, rescan: preamble });
    const src = live({ binding, stopOnSignals: false });
    await src.open();
    const out = `${tmp.dir}/rot.scap`;
    // The state takes ~100 KB: a file gets half the limit in events.
    const files = await writeLiveRotated(src, out, { maxBytes: 12_000 });
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(rings[0]!.rescans).toBeGreaterThanOrEqual(1);

    const whole = `${tmp.dir}/whole.scap`;
    require0(scap(['convert', DFORK, '-o', whole]));
    const expected = require0(scap(['read', whole, '-p', LINE]));
    const pieces = files.map((f) => require0(scap(['read', f, '-p', LINE, '--strict']))).join('');
    expect(pieces.split('\n')).toEqual(expected.split('\n'));
    // The workload's processes are named, not only present, and so are the files they open.
    expect(expected).toMatch(/ dfork /);
    expect(expected).toMatch(/ file \/etc\/ld\.so\.cache$/m);
  });

  // A file per event (or enter and exit): every point of the capture starts
  // one. The replay follows the thread-changing events only, and reloads
  // from each file's state: a thread whose procexit came last before a
  // rotation went into the state alive, its pending removal forgotten, and
  // stayed in every later file (dfork: the grandchild's parent 17204 for
  // its reaper 1, three ancestors; a real run: a worker thread counted in
  // proc.nthreads until the end). A dead main thread was written alive
  // (mainexit: proc.nthreads 2 for 1). Files now carry the state-only
  // events `scap convert -C` writes, and the replay takes them as a reader.
  for (const [name, path] of [['dfork', DFORK], ['mainexit', MAINEXIT]] as const) {
    it(`${name}: a file starting at any event names processes and counts threads as the single file does`, async () => {
      const bytes = gunzipSync(readFileSync(path));
      const { preamble, chunks } = split(bytes, 4096);
      const { binding } = fakeBinding(chunks, false, 0, { preamble, rescan: preamble });
      const src = live({ binding, stopOnSignals: false });
      await src.open();
      const files = await writeLiveRotated(src, `${tmp.dir}/${name}-each.scap`, { maxBytes: 1 });
      expect(files.length).toBeGreaterThan(100);
      const pieces: string[] = [];
      for (const f of files) pieces.push(...await processLines(f));
      expect(pieces).toEqual(await processLines(path));
    });
  }

  // Close-on-exec of a pipe or an eventfd is no state block's to carry: a
  // file starting between the fds' making and the exec got them without
  // it (the state-only close_range events were made from the replay after
  // its reload from those blocks, so never), and the exec's reads of fds 7
  // and 8 named the pipe and the eventfd where the capture has none.
  it('cloexec: a file starting at any event closes the close-on-exec fds at the exec, as the single file does', async () => {
    const bytes = gunzipSync(readFileSync(CLOEXEC));
    const { preamble, chunks } = split(bytes, 4096);
    const { binding } = fakeBinding(chunks, false, 0, { preamble, rescan: preamble });
    const src = live({ binding, stopOnSignals: false });
    await src.open();
    const files = await writeLiveRotated(src, `${tmp.dir}/cloexec-each.scap`, { maxBytes: 1 });
    expect(files.length).toBeGreaterThan(50);
    const pieces: string[] = [];
    for (const f of files) pieces.push(...await processLines(f, FD_LINE));
    const want = await processLines(CLOEXEC, FD_LINE);
    expect(want.filter((l) => / read -9 [78] <NA> $/.test(l))).toHaveLength(2);
    expect(pieces).toEqual(want);
  });

  // proc_scan__write_state fails on EMFILE or ENOMEM: the files after it
  // keep fds as the replay has them, which is sound but stale, and the
  // capture said nothing of it.
  it('a failing /proc scan is reported once, and the files still name every process', async () => {
    const bytes = gunzipSync(readFileSync(DFORK));
    const { preamble, chunks } = split(bytes, 4096);
    const { binding, rings } = fakeBinding(chunks, false, 0, { preamble });
    const src = live({ binding, stopOnSignals: false });
    await src.open();
    rings[0]!.rescan = () => Promise.reject(new Error('cannot scan /proc: Too many open files'));
    const errors: unknown[] = [];
    const files = await writeLiveRotated(src, `${tmp.dir}/failing.scap`, { maxBytes: 3000 }, (err) => errors.push(err));
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['cannot scan /proc: Too many open files']);
    const pieces: string[] = [];
    for (const f of files) pieces.push(...await processLines(f));
    expect(pieces).toEqual(await processLines(DFORK));
  });

  it('rotationState: threads and fds as replayed, and the scan\'s threads the replay never saw with their fds', () => {
    const base = state([thread(10, 'alive'), thread(11, 'exits')], [fileFd(10, 3, '/old')]);
    // The replay at the rotation: 11 exited after the scan began, 12 was
    // started after it (its fd 4 from the clone).
    const replay = new StateReplay(state([thread(10, 'alive'), thread(12, 'started')], [fileFd(10, 3, '/old'), fileFd(12, 4, '/started')]));
    const scan: CaptureState = {
      ...state([thread(10, 'alive-as-scanned'), thread(11, 'exits'), thread(20, 'unseen')],
        [fileFd(10, 3, '/scanned'), fileFd(11, 5, '/gone'), fileFd(20, 6, '/unseen')]),
      users: [{ uid: 7, gid: 7, name: 'u', homedir: '/', shell: '/bin/sh' }],
    };
    const s = rotationState(scan, replay, base, new Set([11]));
    expect(s.threads.map((t) => `${t.tid} ${t.comm}`).sort()).toEqual(['10 alive', '12 started', '20 unseen']);
    expect(s.fds.map((f) => `${f.tid} ${f.fd} ${(f.info as { name: string }).name}`).sort())
      .toEqual(['10 3 /old', '12 4 /started', '20 6 /unseen']);
    expect(s.users).toBe(scan.users);
    // Without the replay's exits, the scan's thread 11 stays.
    expect(rotationState(scan, replay, base, new Set()).threads.map((t) => t.tid).sort()).toEqual([10, 11, 12, 20]);
  });
});

function require0(r: { status: number | null; stdout: string; stderr: string }): string {
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const PROCESS_LINE = '*%evt.rawtime %thread.tid %evt.type %proc.pid %proc.ppid %proc.name %proc.exepath %proc.cmdline %proc.cwd '
  + '%proc.sid %proc.vpgid %user.name %proc.aname[1] %proc.aname[2] %proc.apid[1] %proc.apid[2] %thread.ismain %proc.nthreads '
  + '%fd.num %fd.type %fd.name';

/** The fd fields of each event, with its time, thread and result. */
const FD_LINE = '*%evt.rawtime %thread.tid %evt.type %evt.rawres %fd.num %fd.type %fd.name';

/** PROCESS_LINE (or `line`) for each event of a capture, in process (a spawned `scap read` a file took too long for 170 files). */
async function processLines(path: string, line = PROCESS_LINE): Promise<string[]> {
  const insp = await inspect(path);
  const render = compileFormat(line, FIELDS);
  const out: string[] = [];
  await insp.run((ev) => {
    out.push(render(ev, insp.fieldContext)!);
    return true;
  });
  return out;
}
