import { describe, expect, it } from 'vitest';
import { Inspector } from '../../inspect/inspector.js';
import { ProcessForest, emitForestJson, forestJson, forestText, selectForest, type ProcessNode } from '../../inspect/ptree/index.js';
import { asciiJson } from '../../cli/ascii-json.js';
import { StateReplay, ThreadFlag } from '../../inspect/state/index.js';
import { defaultThreadInfo, type ThreadInfo } from '../../scapfile/state-blocks/index.js';
import { FIXTURES, capturePath, goldenLines } from '../helpers/fixtures.js';
import { empty, evn, i64, replay, str, strList, u32, u64, u8, type SyntheticEvent } from '../helpers/synthetic-events.js';

describe.each(FIXTURES)('ptree on %s', (name) => {
  it("agrees with the reference's proc.pid, proc.ppid, proc.apid[N] and proc.aname[N] on every event", async () => {
    const insp = await Inspector.open(capturePath(name));
    const forest = new ProcessForest(insp.state);
    await insp.run((ev) => { forest.observe(ev, insp.state); });
    // fields-lineage.txt: evt.num pid ppid name aname[1..3] apid[1..3], from the reference.
    const rows = goldenLines(name, 'fields-lineage.txt').filter((l) => !l.startsWith('#')).map((l) => l.split('\t'));
    let checked = 0;
    for (const [, pid, ppid, , a1, a2, , p1, p2] of rows) {
      if (pid === '<NA>' || pid === '-1') continue;
      const node = forest.find(Number(pid));
      expect(node, `pid ${pid}`).toBeDefined();
      if (ppid !== '<NA>') expect([node!.ppid, node!.reparentedTo]).toContain(Number(ppid));
      const parent = node!.parent;
      if (p1 !== '<NA>' && ppid === String(node!.ppid)) {
        expect(parent?.pid).toBe(Number(p1));
        expect(parent?.names).toContain(a1);
        if (p2 !== '<NA>') {
          expect(parent?.parent?.pid).toBe(Number(p2));
          expect(parent?.parent?.names).toContain(a2);
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('writes --json a process at a time, as the whole forest would be written at once', async () => {
    const insp = await Inspector.open(capturePath(name));
    const forest = new ProcessForest(insp.state);
    await insp.run((ev) => { forest.observe(ev, insp.state); });
    const first = forest.nodes.find((n) => n.children.length > 0)!;
    // The whole forest; a process with its family; none (no process had this pid).
    for (const view of [{}, { pid: first.children[0]!.pid }, { pid: -5 }]) {
      const shown = selectForest(forest.roots(), view);
      const pieces: string[] = [];
      emitForestJson(shown, asciiJson, (p) => pieces.push(p));
      expect(pieces.join(''), JSON.stringify(view)).toBe(asciiJson(forestJson(shown)));
    }
  });
});

function thread(fields: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
  return { ...defaultThreadInfo(), pid: fields.tid, vtid: fields.tid, vpid: fields.pid ?? fields.tid, ...fields };
}

/** A clone exit as the parent (res = child tid) or the child (res = 0) sees it. */
function clone(tid: number, res: number, o: { pid: number; ptid: number; comm: string; flags?: number }): SyntheticEvent {
  // Every process of this capture but systemd descends from bash, in its container.
  return evn('SYSCALL_CLONE_20_X', tid, {
    res: i64(res), exe: str(o.comm), args: empty(), tid: i64(tid), pid: i64(o.pid), ptid: i64(o.ptid),
    cwd: str(''), fdlimit: i64(1024), comm: str(o.comm), flags: u32(o.flags ?? 0), uid: u32(1000), gid: u32(1000),
    vtid: i64(tid), vpid: i64(o.pid), cgroups: strList([`cpu=/docker/${CONTAINER}`]),
  });
}

function execve(tid: number, exe: string, args: string[], comm: string, ptid: number): SyntheticEvent {
  return evn('SYSCALL_EXECVE_19_X', tid, {
    res: i64(0), exe: str(exe), args: strList(args), tid: i64(tid), pid: i64(tid), ptid: i64(ptid),
    cwd: str('/'), fdlimit: i64(1024), comm: str(comm), trusted_exepath: str(exe),
  });
}

const procexit = (tid: number, ret = 0, sig = 0): SyntheticEvent =>
  evn('PROCEXIT_1_E', tid, { status: i64(ret << 8), ret: i64(ret), sig: u8(sig), core: u8(0), reaper_tid: i64(0) });
const tick = (tid: number): SyntheticEvent => evn('SYSCALL_NANOSLEEP_X', tid, { res: i64(0), interval: u64(0) });

/** The docker container bash(100) runs in. */
const CONTAINER = 'c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789';

/**
 * systemd(1) and bash(100, in a docker container) at the start. bash forks 300, which execs sh then
 * python (an exec chain), forks 301, which forks 302 and exits (a double
 * fork: 302 is handed to systemd); 302 starts a thread 303 and execs a daemon;
 * 300 exits with code 3.
 */
function syntheticForest(): ProcessForest {
  const s = new StateReplay({
    threads: [
      thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' }),
      thread({ tid: 100, ptid: 1, comm: 'bash', exe: 'bash', uid: 1000, cgroups: [`cpu=/docker/${CONTAINER}`] }),
    ],
    fds: [],
  });
  const forest = new ProcessForest(s);
  const T = ThreadFlag.CLONE_THREAD | ThreadFlag.CLONE_FILES;
  replay([
    clone(100, 300, { pid: 100, ptid: 1, comm: 'bash' }),
    clone(300, 0, { pid: 300, ptid: 100, comm: 'bash' }),
    execve(300, '/bin/sh', ['-c', 'python x.py'], 'sh', 100),
    execve(300, '/usr/bin/python3', ['x.py'], 'python3', 100),
    clone(300, 301, { pid: 300, ptid: 100, comm: 'python3' }),
    clone(301, 0, { pid: 301, ptid: 300, comm: 'python3' }),
    clone(301, 302, { pid: 301, ptid: 300, comm: 'python3' }),
    clone(302, 0, { pid: 302, ptid: 301, comm: 'python3' }),
    procexit(301),
    tick(302),
    clone(302, 303, { pid: 302, ptid: 1, comm: 'python3', flags: T }),
    clone(303, 0, { pid: 302, ptid: 1, comm: 'python3', flags: T }),
    execve(302, '/usr/sbin/mydaemon', ['--fg'], 'mydaemon', 1),
    procexit(300, 3),
    tick(1),
  ], (ev) => s.apply(ev), (ev) => forest.observe(ev, s));
  return forest;
}

describe('ptree text of an exit', () => {
  // git killed by SIGPIPE (a `git log | head`) read `code=0 signal=13`: the
  // code of a signalled wait status is no exit code.
  it('names the signal that killed a process, and gives a code only for a normal exit', () => {
    const s = new StateReplay({ threads: [thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' })], fds: [] });
    const forest = new ProcessForest(s);
    replay([
      clone(1, 50, { pid: 1, ptid: 0, comm: 'systemd' }), clone(50, 0, { pid: 50, ptid: 1, comm: 'git' }),
      clone(1, 51, { pid: 1, ptid: 0, comm: 'systemd' }), clone(51, 0, { pid: 51, ptid: 1, comm: 'head' }),
      evn('PROCEXIT_1_E', 50, { status: i64(13), ret: i64(0), sig: u8(13), core: u8(0), reaper_tid: i64(0) }),
      procexit(51, 2),
      tick(1),
    ], (ev) => s.apply(ev), (ev) => forest.observe(ev, s));
    const text = forestText(selectForest(forest.roots(), {})).join('\n');
    expect(text).toMatch(/\(50\)[^\n]* signal=SIGPIPE\]/);
    expect(text).not.toMatch(/\(50\)[^\n]*code=/);
    expect(text).toMatch(/\(51\)[^\n]* code=2\]/);
    expect(forest.find(50)).toMatchObject({ exitCode: 0, exitSignal: 13 });
  });
});

describe('ptree: a process ends with its last thread', () => {
  // One entry per process: the main thread's procexit ended it, so a thread
  // still running made a second entry with no start and no exit (35 of 43
  // processes of a live capture of threaded programs), and one whose main
  // thread exits first (pthread_exit) was said to exit before it did.
  it('keeps one entry while a thread outlives the main thread, and takes the exit of the last', () => {
    const s = new StateReplay({ threads: [thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' })], fds: [] });
    const forest = new ProcessForest(s);
    const T = ThreadFlag.CLONE_THREAD | ThreadFlag.CLONE_FILES;
    replay([
      clone(1, 60, { pid: 1, ptid: 0, comm: 'systemd' }), clone(60, 0, { pid: 60, ptid: 1, comm: 'server' }),
      clone(60, 61, { pid: 60, ptid: 1, comm: 'server', flags: T }), clone(61, 0, { pid: 60, ptid: 1, comm: 'server', flags: T }),
      procexit(60, 0),
      tick(61),
      procexit(61, 7),
      tick(1),
    ], (ev) => s.apply(ev), (ev) => forest.observe(ev, s));
    const entries = forest.nodes.filter((n) => n.pid === 60);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ exitCode: 7, threads: [61] });
    expect(entries[0]!.startTsNs).toBeDefined();
    // Its exit is the last thread's, after the tick of 61.
    const ticks = forest.nodes.filter((n) => n.pid === 60)[0]!;
    expect(ticks.exitTsNs).toBeGreaterThan(ticks.startTsNs!);
  });
});

describe('ptree: a clone inside a pid namespace', () => {
  // The caller's result there is the child's pid in the namespace: looked up
  // as a host pid, it made the host process of that number a phantom child
  // of the namespace's init, which then took its exec, children and exit.
  it('does not take the namespace pid for a host pid: the child comes from its own clone exit', () => {
    const s = new StateReplay({
      threads: [
        thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' }),
        thread({ tid: 500, ptid: 1, comm: 'hostproc', exe: '/usr/bin/hostproc' }),
        thread({ tid: 600, ptid: 1, comm: 'nsinit', exe: '/bin/bash', vtid: 1, vpid: 1 }),
      ],
      fds: [],
    });
    const forest = new ProcessForest(s);
    const inNs = (tid: number, res: number, o: { vtid: number; ptid: number; flags: number }): SyntheticEvent => evn('SYSCALL_CLONE_20_X', tid, {
      res: i64(res), exe: str('/bin/bash'), args: empty(), tid: i64(tid), pid: i64(tid), ptid: i64(o.ptid),
      cwd: str(''), fdlimit: i64(1024), comm: str('nsinit'), flags: u32(o.flags), uid: u32(0), gid: u32(0),
      vtid: i64(o.vtid), vpid: i64(o.vtid), cgroups: strList([]),
    });
    replay([
      inNs(600, 500, { vtid: 1, ptid: 1, flags: 0 }), // nsinit forks: its child is 500 in the namespace
      inNs(700, 0, { vtid: 500, ptid: 600, flags: ThreadFlag.CHILD_IN_PIDNS }), // host 700 = namespace 500
      tick(500),
      execve(500, '/usr/bin/other', [], 'other', 1),
      tick(1),
    ], (ev) => s.apply(ev), (ev) => forest.observe(ev, s));
    const host = forest.nodes.filter((n) => n.pid === 500);
    expect(host).toHaveLength(1);
    expect(host[0]!.ppid).toBe(1);
    expect(host[0]!.execs.map((e) => e.comm)).toEqual(['other']);
    expect(forest.nodes.filter((n) => n.pid === 700).map((n) => n.ppid)).toEqual([600]);
  });

  // `( cmd & )` in a container: the subshell forks cmd and exits before cmd
  // first runs, so cmd's own clone exit already names the namespace's init
  // as its parent (seen with `unshare -fp --mount-proc sh -c '( wl & )'`).
  it('keeps the process that started a child whose parent exited before the child first ran', () => {
    const s = new StateReplay({
      threads: [
        thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' }),
        thread({ tid: 600, ptid: 1, comm: 'sh', exe: '/bin/sh', vtid: 1, vpid: 1 }),
      ],
      fds: [],
    });
    const forest = new ProcessForest(s);
    const inNs = (tid: number, res: number, o: { vtid: number; ptid: number }): SyntheticEvent => evn('SYSCALL_CLONE_20_X', tid, {
      res: i64(res), exe: str('/bin/sh'), args: empty(), tid: i64(tid), pid: i64(tid), ptid: i64(o.ptid),
      cwd: str(''), fdlimit: i64(1024), comm: str('sh'), flags: u32(ThreadFlag.CHILD_IN_PIDNS), uid: u32(0), gid: u32(0),
      vtid: i64(o.vtid), vpid: i64(o.vtid), cgroups: strList([]),
    });
    replay([
      inNs(600, 2, { vtid: 1, ptid: 1 }), // sh forks the subshell, 2 in the namespace
      inNs(601, 0, { vtid: 2, ptid: 600 }),
      inNs(601, 3, { vtid: 2, ptid: 600 }), // the subshell forks cmd, 3 in the namespace
      procexit(601),
      inNs(602, 0, { vtid: 3, ptid: 600 }), // cmd first runs: handed to sh already
      execve(602, '/usr/bin/cmd', [], 'cmd', 600),
      tick(600),
    ], (ev) => s.apply(ev), (ev) => forest.observe(ev, s));
    const cmd = forest.find(602)!;
    expect(cmd).toMatchObject({ ppid: 601, reparentedTo: 600 });
    expect(cmd.parent?.pid).toBe(601);
    expect(forest.find(601)!.children.map((n) => n.pid)).toEqual([602]);
    expect(forest.find(600)!.children.map((n) => n.pid)).toEqual([601]);
  });
});

describe('ProcessForest on a synthetic capture', () => {
  it('keeps lineage across a double fork, exec chains, a parent exit and threads', () => {
    const forest = syntheticForest();
    const [root] = forest.roots();
    expect(root?.pid).toBe(1);
    const bash = root!.children.find((c) => c.pid === 100)!;
    expect(bash.children.map((c) => c.pid)).toEqual([300]);
    const p300 = bash.children[0]!;
    expect(p300).toMatchObject({ comm: 'python3', cmdline: 'python3 x.py', exitCode: 3, names: ['bash', 'sh', 'python3'] });
    expect(p300.execs.map((e) => e.exepath)).toEqual(['/bin/sh', '/usr/bin/python3']);
    expect(p300.startTsNs).toBeDefined();
    const p301 = p300.children[0]!;
    expect(p301).toMatchObject({ pid: 301, ppid: 300, exitCode: 0 });
    const p302 = p301.children[0]!;
    expect(p302).toMatchObject({ pid: 302, ppid: 301, reparentedTo: 1, comm: 'mydaemon', threads: [303] });
    expect(p302.exitTsNs).toBeUndefined();
    // 303 is a thread, not a process.
    expect(forest.nodes.some((n: ProcessNode) => n.pid === 303)).toBe(false);
  });

  it('gives each process its container: bash and what it started are in it, systemd on the host', () => {
    const forest = syntheticForest();
    const short = CONTAINER.slice(0, 12);
    expect([1, 100, 300, 301, 302].map((pid) => forest.find(pid)?.container)).toEqual(['host', short, short, short, short]);
    const text = forestText(selectForest(forest.roots(), { pid: 100 }));
    expect(text[0]).not.toMatch(/container=/);
    expect(text[1]).toMatch(new RegExp(`container=${short}`));
    expect(JSON.stringify(forestJson(selectForest(forest.roots(), { pid: 1 })))).toContain(`"container":"${short}"`);
  });

  it('shows a process with its ancestors and descendants, and only those alive at a time', () => {
    const forest = syntheticForest();
    const text = forestText(selectForest(forest.roots(), { pid: 301 }));
    expect(text.map((l) => l.replace(/  \[.*$/, ''))).toEqual([
      'systemd(1)',
      '`- bash(100)',
      '   `- python3(300) x.py',
      '      `- python3(301)',
      '         `- mydaemon(302) --fg',
    ]);
    const p301 = forest.find(301)!;
    const after = selectForest(forest.roots(), { atNs: p301.exitTsNs! + 1n });
    const pids = JSON.stringify(forestJson(after)).match(/"pid":\d+/g);
    expect(pids).toEqual(['"pid":1', '"pid":100', '"pid":300', '"pid":302']);
  });
});
