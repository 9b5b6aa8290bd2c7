// useradded, userdeleted, groupadded and groupdeleted events change the user
// and group tables (sinsp_parser::parse_user_evt, parse_group_evt): libs'
// dumper writes its tables as such events, and live libsinsp adds one when it
// learns of a user during a capture. Checked on a capture made here:
// curl_google's state, then a thread becomes uid 4242 and gid 77, which its
// user list does not name, around events that add, change and remove them.
// The expected lines are what sinsp-example printed for this capture; with
// the reference built, it is run again.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapture } from '../../scapfile/open-capture.js';
import { CaptureWriter } from '../../scapfile/writer/index.js';
import { cutCapture } from '../../inspect/cut.js';
import { tempDir } from '../helpers/capture-builder.js';
import { scap } from '../helpers/cli.js';
import { capturePath } from '../helpers/fixtures.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';
import { buildBatch, ev, i64, str, u32 } from '../helpers/synthetic-events.js';

const tmp = tempDir('scapkit-user-events-');
afterAll(() => tmp.cleanup());

const FORMAT = '*%evt.type %user.uid %user.name %user.homedir %user.shell %group.gid %group.name';
const path = join(tmp.dir, 'users.scap');

beforeAll(async () => {
  const cap = await openCapture(capturePath('curl_google'));
  const info = cap.info;
  await cap.close();
  const tid = info.threads[0]!.tid;
  const close = ev('SYSCALL_CLOSE_X', tid, [i64(-9), i64(-1)]);
  const user = (code: 'USER_ADDED_E' | 'USER_DELETED_E', gid: number, name: string, home: string, shell: string, container = '') =>
    ev(code, -1, [u32(4242), u32(gid), str(name), str(home), str(shell), str(container)]);
  const group = (code: 'GROUP_ADDED_E' | 'GROUP_DELETED_E', name: string) => ev(code, -1, [u32(77), str(name), str('')]);
  const w = await CaptureWriter.open(path, { force: true });
  await w.writeState(info);
  await w.writeBatch(buildBatch([
    ev('SYSCALL_SETUID_X', tid, [i64(0), u32(4242)]), close,
    user('USER_ADDED_E', 77, 'alice', '/home/alice', '/bin/zsh'), group('GROUP_ADDED_E', 'wheelz'),
    ev('SYSCALL_SETGID_X', tid, [i64(0), u32(77)]), close,
    // A known uid: new name, home and shell.
    user('USER_ADDED_E', 78, 'alice2', '/h2', '/bin/sh'), close,
    // A container's user: sinsp reads those from the container's /etc/passwd, not from a file.
    user('USER_ADDED_E', 78, 'bob', '/b', '/bin/sh', 'abcdef123456'), close,
    user('USER_DELETED_E', 78, 'x', 'y', 'z'), group('GROUP_DELETED_E', 'x'), close,
    // NSS entries are ignored.
    user('USER_ADDED_E', 78, '+nss', '/b', '/bin/sh'), close,
  ], 1_534_527_347_000_000_000n));
  await w.close();
});

const EXPECTED = [
  'setuid 4242 <NA> <NA> <NA> 0 root',
  'close 4242 <NA> <NA> <NA> 0 root',
  'useradded <NA> <NA> <NA> <NA> <NA> <NA>',
  'groupadded <NA> <NA> <NA> <NA> <NA> <NA>',
  'setgid 4242 alice /home/alice /bin/zsh 77 wheelz',
  'close 4242 alice /home/alice /bin/zsh 77 wheelz',
  'useradded <NA> <NA> <NA> <NA> <NA> <NA>',
  'close 4242 alice2 /h2 /bin/sh 77 wheelz',
  'useradded <NA> <NA> <NA> <NA> <NA> <NA>',
  'close 4242 alice2 /h2 /bin/sh 77 wheelz',
  'userdeleted <NA> <NA> <NA> <NA> <NA> <NA>',
  'groupdeleted <NA> <NA> <NA> <NA> <NA> <NA>',
  'close 4242 <NA> <NA> <NA> 77 <NA>',
  'useradded <NA> <NA> <NA> <NA> <NA> <NA>',
  'close 4242 <NA> <NA> <NA> 77 <NA>',
];

const lines = (file: string): string[] => {
  const r = scap(['read', file, '-p', FORMAT]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').slice(0, -1);
};

describe('user and group events', () => {
  it('add, change and remove users and groups as sinsp does', () => {
    expect(lines(path)).toEqual(EXPECTED);
  });

  it.skipIf(!HAVE_SINSP)('agree with the reference run now', () => {
    expect(sinspEventLines(path, FORMAT)).toEqual(EXPECTED);
  });

  it('a piece cut after them names the user from its state blocks', async () => {
    const piece = join(tmp.dir, 'piece.scap');
    await cutCapture(path, piece, { skip: 5 });
    expect(lines(piece)).toEqual(EXPECTED.slice(5));
    if (HAVE_SINSP) expect(sinspEventLines(piece, FORMAT)).toEqual(EXPECTED.slice(5));
    // After the removals the piece's list no longer names them.
    const later = join(tmp.dir, 'later.scap');
    await cutCapture(path, later, { skip: 12 });
    expect(lines(later)).toEqual(EXPECTED.slice(12));
  });

  it('a piece of a capture libs wrote counts the events libsinsp shows, not its user table events', async () => {
    const piece = join(tmp.dir, 'libs-piece.scap');
    const fmt = '*%evt.type %proc.name %fd.name %user.name';
    await cutCapture(capturePath('libs_nsmix'), piece, { limit: 10 });
    const first = scap(['read', capturePath('libs_nsmix'), '-n', '10', '-p', fmt]).stdout;
    expect(scap(['read', piece, '-p', fmt]).stdout).toBe(first);
    expect(first.split('\n')[0]).toBe('execve python3 <NA> root');
  });
});
