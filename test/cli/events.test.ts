// `scap events` (sysdig -L): the event types and their parameters, as
// sysdig lists them from the event table, so that users find the names
// evt.type and evt.arg.NAME take.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/compile.js';
import { EVENTS, EventCategory, EventFlag, ppmScFromName } from '../../scapfile/schema/index.js';
import { scap } from '../helpers/cli.js';
import { FIXTURES, goldenTypes } from '../helpers/fixtures.js';

/** The lines of a successful `scap events` run. */
function listed(args: readonly string[] = []): string[] {
  const r = scap(['events', ...args]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').slice(0, -1);
}

describe('scap events', () => {
  it('shows each event with its typed parameters, as in the event table', () => {
    const lines = listed();
    // falcosecurity/libs driver/event_table.c (48dfd53): PPME_SYSCALL_OPEN_X, PPME_SOCKET_CONNECT_E.
    expect(lines).toContain('< open(FD fd, FSPATH name, FLAGS32 flags, UINT32 mode, UINT32 dev, UINT64 ino)');
    expect(lines).toContain('> connect(FD fd, SOCKADDR addr)');
    expect(lines).toContain('< setsockopt(ERRNO res, FD fd, ENUMFLAGS8 level, ENUMFLAGS8 optname, DYNAMIC val, UINT32 optlen)');
    // sysdig leaves out placeholders, superseded layouts and internal events.
    expect(lines.some((l) => / NA\(/.test(l) || l.endsWith(']'))).toBe(false);
    const hidden = EVENTS.filter((e) => (e.flags & (EventFlag.UNUSED | EventFlag.OLD_VERSION)) === 0 && (e.category & EventCategory.INTERNAL) === 0);
    expect(lines).toHaveLength(hidden.length);
  });

  it.each(FIXTURES)('%s: lists every event type the reference prints, but syscalls recorded as generic events', (name) => {
    // sysdig -L leaves internal events out (procinfo); --all shows them.
    const shown = new Set(listed(['--all']).map((l) => `${l.slice(2, l.indexOf('('))} ${l[0]}`));
    const eventNames = new Set(EVENTS.map((e) => e.name));
    let generic = 0;
    for (const key of goldenTypes(name).keys()) {
      if (shown.has(key)) continue;
      // A syscall without an event of its own: the generic event, named after the syscall.
      const [type, dir] = key.split(' ');
      expect(ppmScFromName(type!), key).toBeDefined();
      expect(eventNames.has(type!), key).toBe(false);
      expect(dir).toBe('<');
      generic++;
    }
    expect(generic).toBeLessThan(goldenTypes(name).size);
  });

  it('names parameters that evt.arg and evt.rawarg accept', () => {
    for (const line of listed()) {
      const params = /\((.*)\)$/.exec(line)![1]!;
      for (const p of params === '' ? [] : params.split(', ')) {
        const arg = p.slice(p.indexOf(' ') + 1);
        expect(() => compileFilter(`evt.arg.${arg} exists and evt.rawarg.${arg} exists`, FIELDS), `${line}: ${arg}`).not.toThrow();
      }
    }
  });

  it('--all adds the old layouts and internal events, marked; never placeholders', () => {
    const all = listed(['--all']);
    expect(all).toContain('< execve(ERRNO res, CHARBUF exe, BYTEBUF args, PID tid, PID pid, PID ptid, CHARBUF cwd, UINT64 fdlimit) [old version]');
    expect(all.some((l) => l.endsWith('[internal]'))).toBe(true);
    expect(all).toHaveLength(EVENTS.filter((e) => (e.flags & EventFlag.UNUSED) === 0).length);
    expect(all.filter((l) => !l.endsWith(']'))).toEqual(listed());
  });

  it('finds events by name, in any case; --json gives the same list', () => {
    expect(listed(['OPENAT'])).toEqual([
      '> openat(FD dirfd, FSRELPATH name, FLAGS32 flags, UINT32 mode)',
      '< openat(FD fd, FD dirfd, FSRELPATH name, FLAGS32 flags, UINT32 mode, UINT32 dev, UINT64 ino)',
      '> openat2(FD dirfd, FSRELPATH name, FLAGS32 flags, UINT32 mode, FLAGS32 resolve)',
      '< openat2(FD fd, FD dirfd, FSRELPATH name, FLAGS32 flags, UINT32 mode, FLAGS32 resolve, UINT32 dev, UINT64 ino)',
    ]);
    const j = scap(['events', '--json', 'connect']);
    expect(j.status, j.stderr).toBe(0);
    const entries = JSON.parse(j.stdout) as { id: number; dir: string; name: string; params: { name: string; type: string }[] }[];
    expect(entries.map((e) => `${e.dir} ${e.name}(${e.params.map((p) => `${p.type} ${p.name}`).join(', ')})`)).toEqual(listed(['connect']));
    expect(entries[0]).toMatchObject({ id: 22, dir: '>', name: 'connect' });
    const none = scap(['events', 'no-such-event']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("no event name contains 'no-such-event'");
  });
});
