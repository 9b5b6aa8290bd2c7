import { describe, expect, it } from 'vitest';
import { compileFormat } from '../../inspect/format/format-string.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { LocalAddresses, StateReplay, UserTable } from '../../inspect/state/index.js';
import { InterfaceType, defaultThreadInfo, type ThreadInfo } from '../../scapfile/state-blocks/index.js';
import { evn, i64, replay, u64 } from '../helpers/synthetic-events.js';

function thread(fields: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
  return { ...defaultThreadInfo(), pid: fields.tid, vtid: fields.tid, vpid: fields.pid ?? fields.tid, ...fields };
}

describe('UserTable', () => {
  it('keeps the last entry of an id and ignores NSS entries', () => {
    const t = new UserTable(
      [
        { uid: 1000, gid: 1000, name: 'old', homedir: '/home/old', shell: '/bin/sh' },
        { uid: 1000, gid: 1000, name: 'alice', homedir: '/home/alice', shell: '/bin/bash' },
        { uid: 1001, gid: 1001, name: '+nis', homedir: '', shell: '' },
      ],
      [{ gid: 1000, name: 'alice' }, { gid: 5, name: '-x' }],
    );
    expect(t.user(1000)?.name).toBe('alice');
    expect(t.user(1001)).toBeUndefined();
    expect(t.group(1000)?.name).toBe('alice');
    expect(t.group(5)).toBeUndefined();
  });
});

describe('LocalAddresses', () => {
  it('knows IPv4 interface addresses exactly and IPv6 ones by their /64', () => {
    const l = new LocalAddresses([
      { type: InterfaceType.IPV4, addr: '10.0.0.5', netmask: '255.255.255.0' } as never,
      { type: InterfaceType.IPV6, addr: '2001:db8:1:2::5' } as never,
    ]);
    expect(l.isLocalV4(Uint8Array.of(10, 0, 0, 5), 0)).toBe(true);
    expect(l.isLocalV4(Uint8Array.of(10, 0, 0, 6), 0)).toBe(false);
    const v6 = new Uint8Array(16);
    v6.set([0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2]);
    v6[15] = 9;
    expect(l.isLocalV6(v6, 0)).toBe(true);
    v6[7] = 3;
    expect(l.isLocalV6(v6, 0)).toBe(false);
  });
});

describe('user.*, group.* and proc.* fields', () => {
  it('resolve ids through the user list, with sinsp\'s root and <NA> fallbacks', () => {
    const s = new StateReplay({
      threads: [
        thread({ tid: 1, ptid: 0, comm: 'systemd' }),
        thread({ tid: 100, ptid: 1, comm: 'bash', uid: 1000, gid: 1000, loginuid: 1000, sid: 100 }),
        thread({ tid: 200, ptid: 100, comm: 'zsh', uid: 4242, gid: 4242, sid: 100, args: ['-l'] }),
        thread({ tid: 300, ptid: 200, comm: 'vim', uid: 0, gid: 0, sid: 100 }),
      ],
      fds: [],
      users: [{ uid: 1000, gid: 1000, name: 'alice', homedir: '/home/alice', shell: '/bin/bash' }],
      groups: [{ gid: 1000, name: 'staff' }],
    });
    const fmt = compileFormat('*%user.name %user.homedir %user.shell %user.loginname %group.name %proc.sname %proc.loginshellid %proc.aname %proc.pcmdline', FIELDS);
    const lines: string[] = [];
    replay(
      [100, 200, 300].map((tid) => evn('SYSCALL_NANOSLEEP_X', tid, { res: i64(0), interval: u64(0) })),
      (ev) => s.apply(ev),
      (ev) => lines.push(fmt(ev, { state: s })!),
    );
    expect(lines).toEqual([
      'alice /home/alice /bin/bash alice staff bash 100 systemd systemd',
      '<NA> <NA> <NA> <NA> <NA> bash 100 bash systemd bash',
      'root /root <NA> <NA> root bash 100 zsh bash systemd zsh -l',
    ]);
  });
});

describe('evt.buffer', () => {
  it("renders ptrace's data, a number (PT_DYN), as evt.args does, not the bytes that encode it", () => {
    const s = new StateReplay({ threads: [thread({ tid: 100, comm: 'gdb' })], fds: [] });
    const fmt = compileFormat('*%evt.buffer|%evt.args', FIELDS);
    const lines: string[] = [];
    // data: variant 0 (a 64-bit value), as the driver writes it.
    const data = (v: number): Buffer => Buffer.concat([Buffer.of(0), u64(v)]);
    replay(
      [0, 0x7ff].map((v) => evn('SYSCALL_PTRACE_X', 100, { res: i64(0), addr: data(0), data: data(v), request: Buffer.of(2, 0), pid: i64(200) })),
      (ev) => s.apply(ev),
      (ev) => lines.push(fmt(ev, { state: s })!),
    );
    // sinsp-example prints the same value, followed by stale bytes of an earlier buffer (inspect/README.md).
    expect(lines.map((l) => l.split('|')[0])).toEqual(['0', '7FF']);
    expect(lines.map((l) => /data=(\S+)/.exec(l)![1])).toEqual(['0', '7FF']);
  });
});
