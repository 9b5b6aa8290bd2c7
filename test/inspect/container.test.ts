// container.id from the cgroups of each thread (inspect/fields/container-fields.ts).
import { describe, expect, it } from 'vitest';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { containerIdOf } from '../../inspect/fields/container-fields.js';
import { StateReplay, ThreadFlag } from '../../inspect/state/index.js';
import { snapshotState } from '../../inspect/state/snapshot.js';
import { defaultThreadInfo, type ThreadInfo } from '../../scapfile/state-blocks/index.js';
import { evn, i64, replay, u64 } from '../helpers/synthetic-events.js';

const ID = 'f3c5a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4';

function thread(fields: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
  return { ...defaultThreadInfo(), pid: fields.tid, vtid: fields.tid, vpid: fields.pid ?? fields.tid, ...fields };
}

describe('container.id', () => {
  it('tells each runtime\'s cgroup layout, and host for the rest', () => {
    expect(containerIdOf([`cpu=/docker/${ID}`])).toBe(ID.slice(0, 12));
    expect(containerIdOf([`0::/system.slice/docker-${ID}.scope`])).toBe(ID.slice(0, 12));
    expect(containerIdOf([`memory=/kubepods/besteffort/pod1234/${ID}`])).toBe(ID.slice(0, 12));
    expect(containerIdOf([`0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-${ID}.scope`])).toBe(ID.slice(0, 12));
    expect(containerIdOf([`0::/machine.slice/libpod-${ID}.scope`])).toBe(ID.slice(0, 12));
    expect(containerIdOf([`0::/kubepods.slice/crio-${ID}.scope`])).toBe(ID.slice(0, 12));
    expect(containerIdOf(['cpu=/user.slice', '0::/init.scope'])).toBe('host');
    expect(containerIdOf([])).toBe('host');
    // A 64-hex run that is not a whole path component is no container id.
    expect(containerIdOf([`cpu=/x${ID}`])).toBe('host');
  });

  it('reads every thread\'s own cgroups from the process list, threads of a process included', () => {
    const s = new StateReplay({
      threads: [
        thread({ tid: 1, ptid: 0, comm: 'systemd', cgroups: ['cpu=/init.scope'] }),
        thread({ tid: 500, ptid: 1, comm: 'nginx', cgroups: [`cpu=/docker/${ID}`] }),
        thread({ tid: 501, pid: 500, ptid: 1, comm: 'nginx', flags: ThreadFlag.CLONE_THREAD, cgroups: [`cpu=/docker/${ID}`] }),
      ],
      fds: [],
    });
    const fmt = compileFormat('*%thread.tid %container.id', FIELDS);
    const lines: string[] = [];
    replay(
      [1, 500, 501, 999].map((tid) => evn('SYSCALL_NANOSLEEP_X', tid, { res: i64(0), interval: u64(0) })),
      (ev) => s.apply(ev),
      (ev) => lines.push(fmt(ev, { state: s })!),
    );
    expect(lines).toEqual(['1 host', `500 ${ID.slice(0, 12)}`, `501 ${ID.slice(0, 12)}`, '999 host']);
    // Rotated and cut files carry each thread's cgroups in their state.
    const snap = snapshotState(s, { threads: [], fds: [] } as never);
    expect(snap.threads.find((t) => t.tid === 501)?.cgroups).toEqual([`cpu=/docker/${ID}`]);
  });
});
