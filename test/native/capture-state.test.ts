// The initial state scap-capture reads from /proc, on processes that broke
// it: an argv[0] longer than libscap's reader accepts (the whole file was
// refused), a status file longer than a fixed buffer, a comm with a newline
// in it, sockets of another network namespace, and a host with many sockets
// (a linear lookup per socket fd made the scan quadratic).
// Skipped with SCAPKIT_NO_BPF=1; otherwise a driver that cannot load fails.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../scapfile/open-capture.js';
import { FdType } from '../../scapfile/state-blocks/types.js';
import type { CaptureInfo } from '../../scapfile/open-capture.js';
import { scap } from '../helpers/cli.js';
import { exitOf, prepareCaptureTest, runCaptureUntil, startLoad, waitForLine } from './capture-run.js';
import { SINSP_EXAMPLE, sinspRun } from './sinsp-run.js';

const NO_BPF = process.env.SCAPKIT_NO_BPF === '1';
if (NO_BPF) console.warn('capture-state.test: SCAPKIT_NO_BPF=1: skipping the eBPF capture tests (the driver is not loaded).');

/** Captures a second under a light load; returns the file's state, after checking both readers take the file. */
async function captureState(file: string): Promise<CaptureInfo> {
  const r = await runCaptureUntil(['-w', file, '-M', '1'], { onReady: () => startLoad(2000) });
  expect(r.code, r.stderr).toBe(0);
  const read = scap(['read', file]);
  expect(read.status, read.stderr).toBe(0);
  if (existsSync(SINSP_EXAMPLE)) expect(sinspRun(file).retrieved).toBeGreaterThan(0);
  const cap = await openCapture(file);
  await cap.close();
  expect(cap.warnings).toEqual([]);
  return cap.info;
}

/** Waits until /proc shows `pid` running with `comm`. */
async function settled(pid: number, comm: (c: string) => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if (comm(readFileSync(`/proc/${pid}/comm`, 'latin1'))) return;
    } catch { /* not there yet */ }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process ${pid} did not start`);
}

describe.skipIf(NO_BPF)('scap-capture initial state', () => {
  let dir: string;
  const started: ChildProcess[] = [];
  beforeAll(() => {
    dir = prepareCaptureTest('capture-state.test');
  });
  // Each test's processes go with it, passed or failed: a long argv[0] left
  // running would make every later capture unreadable to the old code.
  afterEach(async () => {
    const live = started.splice(0).filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of live) p.kill('SIGKILL');
    await Promise.all(live.map((p) => exitOf(p)));
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('an argv[0] longer than 1024 bytes is cut to 1024, and the file reads (libscap refused it whole)', async () => {
    const argv0 = 'y'.repeat(1100);
    const sleeper = spawn('sleep', ['30', '1'], { argv0, stdio: 'ignore' });
    started.push(sleeper);
    await settled(sleeper.pid!, (c) => c === 'sleep\n');
    const info = await captureState(join(dir, 'argv0.scap'));
    const t = info.threads.find((x) => x.tid === sleeper.pid);
    expect(t?.exe).toBe('y'.repeat(1024));
    expect(t?.args).toEqual(['30', '1']);
  });

  it('a /proc status file longer than 8 KiB (many groups) keeps its memory, capability and namespace fields', async () => {
    const groups = Array.from({ length: 2000 }, (_, i) => 100000 + i).join(',');
    const sleeper = spawn('setpriv', [`--groups=${groups}`, 'sleep', '30'], { stdio: 'ignore' });
    started.push(sleeper);
    await settled(sleeper.pid!, (c) => c === 'sleep\n');
    // comm changes at the exec, before the dynamic loader maps the libraries:
    // read the status once the process sleeps and its size holds still.
    const statusOf = (): string => readFileSync(`/proc/${sleeper.pid}/status`, 'latin1');
    let status = statusOf();
    for (let tries = 0; tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 50));
      const again = statusOf();
      const asleep = /^State:\s*S/m.test(again);
      const same = /^VmSize:.*$/m.exec(again)?.[0] === /^VmSize:.*$/m.exec(status)?.[0];
      status = again;
      if (asleep && same) break;
    }
    expect(status.length).toBeGreaterThan(8192);
    const field = (k: string): string => new RegExp(`^${k}:\\s*(\\S+)`, 'm').exec(status)![1]!;
    const info = await captureState(join(dir, 'status.scap'));
    const t = info.threads.find((x) => x.tid === sleeper.pid);
    expect(t?.vmsizeKb).toBe(Number(field('VmSize')));
    expect(t?.vmsizeKb).toBeGreaterThan(0);
    expect(t?.capEffective).toBe(BigInt(`0x${field('CapEff')}`));
    expect(t?.capEffective).not.toBe(0n);
  });

  it('a comm with a newline in it keeps it: only the kernel\'s trailing newline goes', async () => {
    // The shell names itself, then waits on a child (the `:` keeps it from exec'ing sleep).
    const named = spawn('sh', ['-c', 'printf "sshd\\nevil" > /proc/$$/comm; sleep 30; :'], { stdio: 'ignore' });
    started.push(named);
    await settled(named.pid!, (c) => c === 'sshd\nevil\n');
    const info = await captureState(join(dir, 'comm.scap'));
    expect(info.threads.find((x) => x.tid === named.pid)?.comm).toBe('sshd\nevil');
  });

  it('sockets of a process in another network namespace get their types, addresses and paths', async () => {
    const path = join(dir, 'netns.sock');
    const script = `const net = require('net');
      const tcp = net.createServer().listen(0, '0.0.0.0', () => {
        net.createServer().listen(${JSON.stringify(path)}, () => console.log('ready ' + tcp.address().port));
      });`;
    const inNs = spawn('unshare', ['-n', process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(inNs);
    const port = Number((await waitForLine(inNs, 'stdout', /ready (\d+)\n/, 'unshare -n node'))[1]);
    // unshare execs node: same pid, another network namespace.
    expect(execFileSync('readlink', [`/proc/${inNs.pid}/ns/net`]).toString()).not.toBe(execFileSync('readlink', ['/proc/self/ns/net']).toString());
    const info = await captureState(join(dir, 'netns.scap'));
    const fds = info.fds.filter((f) => f.tid === inNs.pid);
    const server = fds.find((f) => f.type === FdType.IPV4_SERVSOCK);
    expect(server?.info).toMatchObject({ kind: 'ipv4-server', ip: '0.0.0.0', port });
    const unix = fds.find((f) => f.type === FdType.UNIX_SOCK);
    expect(unix?.info).toMatchObject({ kind: 'unix', path });
  });

  it('the scan stays fast with tens of thousands of sockets (socket lookup by hash, not a linear search)', async () => {
    // Four processes holding 9,000 unix socket pairs each: 72,000 socket fds
    // looked up among 72,000 sockets. The linear search took seconds more.
    const src = join(dir, 'holder.c');
    const bin = join(dir, 'holder');
    writeFileSync(src, `#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
  struct rlimit rl = { 19000, 19000 };
  if (setrlimit(RLIMIT_NOFILE, &rl)) return 1;
  for (int i = 0; i < 9000; i++) { int sv[2]; if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) return 2; }
  printf("ready\\n"); fflush(stdout);
  pause();
  return 0;
}
`);
    execFileSync('cc', ['-O2', '-o', bin, src]);
    const timeToReady = async (): Promise<number> => {
      const t0 = Date.now();
      let ready = 0;
      const r = await runCaptureUntil(['-w', join(dir, `many-${t0}.scap`), '-M', '60'], {
        signal: 'SIGINT', afterMs: 0, onReady: () => { ready = Date.now(); },
      });
      expect(r.code, r.stderr).toBe(0);
      return ready - t0;
    };
    const baseline = await timeToReady();
    const holders = Array.from({ length: 4 }, () => spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] }));
    started.push(...holders);
    await Promise.all(holders.map((h) => waitForLine(h, 'stdout', /ready\n/, 'socket holder')));
    const loaded = await timeToReady();
    console.info(`capture-state.test: start-up ${baseline} ms, with 72k sockets ${loaded} ms`);
    expect(loaded - baseline).toBeLessThan(2000);
  });
});
