import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { convertCommand } from '../../cli/commands/convert.js';
import { DUMP_FLAG_STATE_ONLY } from '../../inspect/sinsp-selection.js';
import { EventType } from '../../scapfile/schema/events.js';
import { detectCompression } from '../../scapfile/byte-source.js';
import { EVENTS } from '../../scapfile/schema/events.js';
import { EventFlag } from '../../scapfile/schema/types.js';
import { LayoutConverter } from '../../scapfile/upgrade/index.js';
import { CaptureWriter, copyCapture } from '../../scapfile/writer/index.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { readCapture, tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { capturePath, FIXTURES, ROOT } from '../helpers/fixtures.js';
import { SINSP_EXAMPLE, sinspLines } from '../scapfile/writer/sinsp-reference.js';

const tmp = tempDir('scapkit-convert-');
afterAll(() => tmp.cleanup());

type Args = Parameters<NonNullable<typeof convertCommand.handler>>[0];
const run = (file: string, output: string, more: Partial<Args> = {}): Promise<void> =>
  Promise.resolve(convertCommand.handler({
    _: [], $0: 'scap', file, output, upgrade: false, force: false, strict: false, quiet: true, ...more,
  } as Args));

/** Events libscap returns for a capture (after its layout conversion), as hex. */
async function libscapEvents(path: string): Promise<string[]> {
  const cap = await openCapture(path);
  const conv = new LayoutConverter();
  const out: string[] = [];
  for await (const raw of cap) {
    const b = conv.convert(raw);
    for (let i = 0; i < b.count; i++) {
      const at = b.offsets[i]!;
      out.push(b.buf.subarray(at, at + b.buf.readUInt32LE(at + 16)).toString('hex'));
    }
  }
  return out;
}

/** curl_google, plain, and a copy whose block at half its bytes has a length no block can have (7). */
function damagedAtHalf(): { plain: Buffer; damaged: Buffer } {
  const plain = gunzipSync(readFileSync(capturePath('curl_google')));
  let at = 0;
  while (at < plain.length / 2) at += plain.readUInt32LE(at + 4);
  const damaged = Buffer.from(plain);
  damaged.writeUInt32LE(7, at + 4);
  return { plain, damaged };
}

/** The types of the state-only events a rotated file may start with (inspect/state/snapshot.ts startEvents). */
const START_EVENT_TYPES = new Set<number>([
  EventType.SYSCALL_CLOSE_RANGE_X, EventType.PROCEXIT_1_E,
  EventType.SYSCALL_CLONE_20_X, EventType.SYSCALL_FORK_20_X, EventType.SYSCALL_VFORK_20_X, EventType.SYSCALL_CLONE3_X,
]);

describe('scap convert', () => {
  it('rotated files carry close-on-exec of pipes and eventfds, as a cut does', () => {
    // fixtures/live/cloexec: fds made close-on-exec, 2 s of sleep, then an exec that reads them (EBADF).
    const out = join(tmp.dir, 'cloexec.scap');
    const r = scap(['convert', join(ROOT, 'fixtures', 'live', 'cloexec.scap.gz'), '-o', out, '-G', '1']);
    expect(r.status, r.stderr).toBe(0);
    const files = /wrote \d+ files: (.*)\n/.exec(r.stderr)![1]!.split(', ');
    const reads = files.flatMap((f) => scap(['read', f, '-f', 'evt.type=read and proc.name=exe', '-p', '%fd.num %fd.typechar %fd.name %evt.res'])
      .stdout.split('\n').filter((l) => l !== ''));
    // In the file after the sleep they survived the exec as a pipe and an eventfd.
    expect(reads).toEqual(['3 f /lib/x86_64-linux-gnu/libc.so.6 SUCCESS', '7 o  EBADF', '8 o  EBADF']);
  });

  it('a file starting between the two clone exits of a fork keeps the child the caller made, as a cut does', () => {
    // fixtures/live/dfork: 17204 forks 17205 (its clone exit), exits, and
    // 17205's own clone exit names init. -G puts the second file's start
    // 10 us after the caller's exit, before the child's.
    const original = join(ROOT, 'fixtures', 'live', 'dfork.scap.gz');
    const times = scap(['read', original, '-p', '%evt.rawtime %thread.tid %evt.type %evt.rawres']).stdout.split('\n');
    // Rotation counts from the first event libscap returns (a state-only one here, which sinsp does not).
    const first = BigInt(/^first event .*\((\d+)\)$/m.exec(scap(['info', original]).stdout)![1]!);
    const callerExit = BigInt(times.find((l) => / 17204 clone 17205$/.test(l))!.split(' ')[0]!);
    const out = join(tmp.dir, 'dfork-rot.scap');
    const r = scap(['convert', original, '-o', out, '-G', String(Number(callerExit - first + 10_000n) / 1e9)]);
    expect(r.status, r.stderr).toBe(0);
    const files = /wrote \d+ files: (.*)\n/.exec(r.stderr)![1]!.split(', ');
    const fmt = '*%evt.rawtime %evt.type %thread.tid %proc.ppid %proc.sid %proc.vpgid %proc.cwd %proc.exepath %proc.nthreads %proc.aname[2]';
    const lines = (path: string): string[] => scap(['read', path, '-p', fmt, '-f', 'thread.tid = 17205']).stdout.split('\n').filter((l) => l !== '');
    const second = lines(files[1]!);
    expect(scap(['read', files[1]!, '-n', '1', '-p', '%thread.tid %evt.type']).stdout).toBe('17204 openat\n');
    expect(second[0]).toMatch(/ clone 17205 1 13278 17184 \/tmp\/lin\/ \/tmp\/lin\/wl 1 /);
    expect(second).toEqual(lines(original).slice(0, second.length));
    if (existsSync(SINSP_EXAMPLE)) {
      const ref = (path: string): string[] => sinspLines(path, fmt).lines.filter((l) => l.split(' ')[2] === '17205');
      const inFile = ref(files[1]!);
      expect(inFile).toEqual(ref(original).slice(0, inFile.length));
    }
  });

  it('-C on damaged input keeps every event before the damage, in complete files', () => {
    // Both cases lost events with exit status 0 or removed them: a damaged
    // block took the file being written with it (all there was, here), and
    // an event libscap cannot convert in the last batch was dropped unsaid.
    const { plain, damaged } = damagedAtHalf();
    const sock = Buffer.alloc(26 + 4 + 16);
    sock.writeBigUInt64LE(1534527343000000000n, 0);
    sock.writeUInt32LE(sock.length, 16);
    sock.writeUInt16LE(EventType.SOCKET_SOCKET_E, 20);
    sock.writeUInt32LE(2, 22); // no conversion in libscap for this count
    sock.writeUInt16LE(8, 26);
    sock.writeUInt16LE(8, 28);
    const total = 8 + 2 + sock.length + 4;
    const block = Buffer.alloc(total);
    block.writeUInt32LE(0x216, 0);
    block.writeUInt32LE(total, 4);
    sock.copy(block, 10);
    block.writeUInt32LE(total, total - 4);
    const unconvertible = Buffer.concat([plain, block]);
    const cases = [
      { name: 'damaged', bytes: damaged, message: /block length 7 is shorter/, before: 251 },
      { name: 'unconvertible', bytes: unconvertible, message: /fails libscap's upgrade of old layouts/, before: 991 },
    ];
    for (const c of cases) {
      const input = tmp.file(`${c.name}.scap`, c.bytes);
      const dir = join(tmp.dir, `cut-short-${c.name}`);
      mkdirSync(dir);
      const r = scap(['convert', input, '-o', join(dir, 'r.scap'), '-C', '0.03']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(c.message);
      expect(r.stderr).toMatch(new RegExp(`hold the ${c.before} events before it, each a complete capture`));
      const files = readdirSync(dir).sort();
      expect(files.length).toBeGreaterThan(1);
      expect(files.every((f) => /^r\.\d+\.scap$/.test(f))).toBe(true);
      let events = 0;
      for (const f of files) {
        const read = scap(['read', join(dir, f), '--count', '--strict']);
        expect(read.status).toBe(0);
        events += Number(read.stdout);
      }
      expect(events).toBeGreaterThan(200);
    }
  });

  it('-C on damaged input whose files cannot be finished leaves no temporary file', () => {
    // The close after the damage failed (here: the file size limit, as a full
    // disk) and left r.0.scap.partial behind, its removal skipped.
    const { damaged } = damagedAtHalf();
    const input = tmp.file('damaged-efbig.scap', damaged);
    const dir = join(tmp.dir, 'efbig');
    mkdirSync(dir);
    // ~73 KB of events before the damage, all written at the close: over a 40 KiB limit.
    const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 40; exec "$0" "$@"`, process.execPath,
      join(ROOT, 'dist', 'cli', 'main.js'), 'convert', input, '-o', join(dir, 'r.scap'), '-C', '5'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^scap: cannot write \S*r\.0\.scap: file too large \(EFBIG\); that file was removed$/m);
    expect(readdirSync(dir)).toEqual([]);
    // Without rotation: an empty file was left, said to be "readable".
    const plainOut = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 40; exec "$0" "$@"`, process.execPath,
      join(ROOT, 'dist', 'cli', 'main.js'), 'convert', input, '-o', join(dir, 'p.scap')], { encoding: 'utf8' });
    expect(plainOut.status, plainOut.stderr).toBe(1);
    expect(plainOut.stderr).toMatch(/cannot write \S*p\.scap: file too large \(EFBIG\); nothing could be written, and the empty file was removed/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses rotation values that mean nothing (-C 0 wrote a file per event)', () => {
    const out = join(tmp.dir, 'rot.scap');
    for (const [args, re] of [[['-C', '0'], /-C takes a positive number/], [['-G', '-1'], /-G takes a positive number/],
      [['-C', '1', '-W', '0'], /-W takes a whole number/], [['-W', '2'], /-W limits the files of -C or -G/]] as const) {
      const r = scap(['convert', capturePath('curl_google'), '-o', out, ...args]);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('rot'))).toEqual([]);
    // Rotation writes files: to stdout it is a usage error (it exited 1, as a damaged capture does).
    const toStdout = scap(['convert', capturePath('curl_google'), '-o', '-', '-C', '1']);
    expect([toStdout.status, toStdout.stdout, toStdout.stderr.split('\n')[0]]).toEqual([2, '', 'scap: rotation (-C/-G) writes files; give an output path, not -']);
  });

  it('refuses a compression level the output cannot take, before creating it', async () => {
    // gzip 99 failed in zlib's words; a level for an uncompressed output, or
    // not a number, was ignored.
    for (const [name, level, said] of [['lv.scap.gz', '99', 'the gzip level is a whole number from 1 to 9, not 99'],
      ['lv.scap.zst', '23', 'the zstd level is a whole number from 1 to 22, not 23'], ['lv.scap.gz', 'abc', 'the gzip level is a whole number'],
      ['lv.scap', '5', 'a compression level is for gzip or zstd output']] as const) {
      const r = scap(['convert', capturePath('curl_google'), '-o', join(tmp.dir, name), '--level', level]);
      expect([r.status, r.stdout], `${name} ${level}`).toEqual([2, '']);
      expect(r.stderr, `${name} ${level}`).toContain(`scap: --level: ${said}`);
    }
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('lv'))).toEqual([]);
    // The library says the same, and leaves no file either.
    await expect(CaptureWriter.open(join(tmp.dir, 'lv.scap.gz'), { level: 10 })).rejects.toThrow('the gzip level is a whole number from 1 to 9, not 10');
    expect(existsSync(join(tmp.dir, 'lv.scap.gz'))).toBe(false);
    expect(scap(['convert', capturePath('curl_google'), '-o', join(tmp.dir, 'lv.scap'), '--compression', 'zstd', '--level', '22']).status).toBe(0);
  });

  it('recompresses: .scap.gz and .scap.zst outputs hold the same events', async () => {
    const original = await readCapture(capturePath('curl_google'));
    for (const ext of ['scap.gz', 'scap.zst', 'scap']) {
      const out = join(tmp.dir, `curl.${ext}`);
      await run(capturePath('curl_google'), out);
      expect(detectCompression(readFileSync(out).subarray(0, 4))).toBe(ext === 'scap.gz' ? 'gzip' : ext === 'scap.zst' ? 'zstd' : 'none');
      const back = await readCapture(out);
      expect(back.events.map((e) => e.params)).toEqual(original.events.map((e) => e.params));
      expect(statSync(out).mode & 0o777).toBe(0o600);
    }
  });

  it('refuses to overwrite without --force, and to write over its input', async () => {
    const out = join(tmp.dir, 'twice.scap');
    await run(capturePath('test_ipv6_client'), out);
    await expect(run(capturePath('test_ipv6_client'), out)).rejects.toThrow(/exists; pass --force/);
    await run(capturePath('test_ipv6_client'), out, { force: true });
    await expect(run(out, out, { force: true })).rejects.toThrow(/is the input/);
    expect(existsSync(out)).toBe(true);
  });

  for (const name of FIXTURES) {
    it(`--upgrade writes the events libscap returns for ${name}, in current layouts`, async () => {
      const out = join(tmp.dir, `${name}.upgraded.scap`);
      await run(capturePath(name), out, { upgrade: true });
      const want = await libscapEvents(capturePath(name));
      const back = await readCapture(out);
      // Read raw (no conversion), the file already holds what libscap returns…
      expect(back.events.length).toBe(want.length);
      // …and converting it again changes nothing.
      expect(await libscapEvents(out)).toEqual(want);
      const old = back.events.filter((e) => (EVENTS[e.type]!.flags & EventFlag.OLD_VERSION) !== 0);
      expect(old.length).toBe(0);
    });
  }

  it.skipIf(!existsSync(SINSP_EXAMPLE))('an upgraded file renders in sinsp-example as the original does', async () => {
    for (const name of FIXTURES) {
      const out = join(tmp.dir, `${name}.upgraded-ref.scap.gz`);
      await run(capturePath(name), out, { upgrade: true });
      const want = sinspLines(capturePath(name));
      const got = sinspLines(out);
      expect(got.retrieved).toBe(want.retrieved);
      expect(got.lines).toEqual(want.lines);
    }
  });

  for (const name of FIXTURES) {
    it(`-C rotates ${name} into files that each read alone, with the original's names (sinsp-example when built)`, async () => {
      const dir = join(tmp.dir, `rot-${name}`);
      mkdirSync(dir);
      // -C at half the events' bytes: files of the state blocks and about a
      // quarter of the events (half of -C, where the state takes more than
      // half of it), or of half the events less the state.
      const whole = await copyCapture(capturePath(name), join(dir, 'whole.tmp'));
      const cap = await openCapture(capturePath(name));
      const w = await CaptureWriter.open(join(dir, 'state.tmp'));
      await w.writeState(cap.info);
      const stateBytes = (await w.close()).blockBytes;
      await cap.close();
      const mb = (whole.blockBytes - stateBytes) / 2 / 1e6;
      await run(capturePath(name), join(dir, 'r.scap'), { 'rotate-mb': mb });
      const files = readdirSync(dir).filter((f) => f.endsWith('.scap')).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
      expect(files.length).toBeGreaterThanOrEqual(2);
      expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(false);
      let events = 0;
      for (const f of files) {
        // Each file may open with state-only events for what its state
        // blocks cannot carry: close-on-exec (close_range), dead threads
        // (procexit), clones in flight (the caller's clone exit).
        const evs = (await readCapture(join(dir, f))).events;
        let k = 0;
        while (k < evs.length && START_EVENT_TYPES.has(evs[k]!.type) && (evs[k]!.flags & DUMP_FLAG_STATE_ONLY) !== 0) k++;
        events += evs.length - k;
      }
      expect(events).toBe((await libscapEvents(capturePath(name))).length);
      if (!existsSync(SINSP_EXAMPLE)) return;
      const fmt = '*%evt.type %proc.name %fd.name %evt.args';
      // An IPv6 socket loaded from an fd list has no client/server role in
      // sinsp, which then prints no protocol letter for it (<6> for <6u>):
      // true of any capture that starts while such a socket is open, so the
      // letter is left out of the comparison.
      const v6 = (l: string): string => l.replace(/<6[tu]>/g, '<6>');
      // An IP socket sinsp names from bind() with port 0, or not at all
      // (socket() without bind or connect), has no place in a capture's fd
      // list, where IP sockets are named from their tuple (inspect/README.md,
      // "What a cut's state cannot carry"): events on such an fd are left out.
      const untupled = (l: string): boolean => /\(<[46][a-z]?>(?![^)]*->)[^)]*\)/.test(l);
      const want = sinspLines(capturePath(name), fmt).lines.map(v6);
      const got = files.flatMap((f) => sinspLines(join(dir, f), fmt).lines).map(v6);
      expect(got.length).toBe(want.length);
      const kept = want.map((l, i) => i).filter((i) => !untupled(want[i]!));
      expect(kept.map((i) => got[i])).toEqual(kept.map((i) => want[i]));
    });
  }
});
