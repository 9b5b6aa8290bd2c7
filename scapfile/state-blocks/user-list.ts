// User list blocks (UL 0x206 / 0x8012ABCD, UL_V2 0x220): the host's users
// and groups. Layout facts from falcosecurity/libs 48dfd53:
// userspace/libscap/engine/savefile/scap_savefile.c scap_read_userlist and
// the writer userspace/libscap/scap_savefile.c scap_write_userlist.
//
// Entry: [V2: u32 length, counting itself] u8 kind (0 user, anything else a
// group, as libscap reads it), then for a user: u32 uid, u32 gid, and the
// name, home directory and shell as u16-length strings; for a group: u32 gid
// and the name. V2 entries may be longer (fields appended later): the extra
// bytes are skipped.

import { BlockType } from '../block-types.js';
import { entryTooShort } from '../errors.js';
import { BodyReader } from './body-reader.js';
import type { GroupInfo, StateBlockContext, UserInfo, UserList } from './types.js';

/** libscap rejects user list strings of MAX_CREDENTIALS_STR_LEN (256) bytes or more. */
const MAX_CREDENTIAL_LEN = 255;

/** The `kind` byte of a user entry (USERBLOCK_TYPE_USER in userspace/libscap/scap.h). */
const USERBLOCK_TYPE_USER = 0;

/** The layout version of a user list block id, or undefined for other ids. */
export function userListVersion(blockType: number): 1 | 2 | undefined {
  switch (blockType >>> 0) {
    case BlockType.USER_LIST:
    case BlockType.USER_LIST_INT:
      return 1;
    case BlockType.USER_LIST_V2:
      return 2;
    default:
      return undefined;
  }
}

/** Parses a user list block body `buf[start, end)`; `end` may include the block padding. */
export function parseUserList(buf: Buffer, start: number, end: number, ctx: StateBlockContext): UserList {
  const version = userListVersion(ctx.blockType);
  if (version === undefined) throw new RangeError(`block type 0x${ctx.blockType.toString(16)} is not a user list`);
  const r = new BodyReader(buf, start, end, ctx);
  const list: UserList = { version, users: [], groups: [] };
  while (r.leftInBody >= 4) {
    if (version === 2) {
      const entryStart = r.pos;
      const len = r.u32('user list entry length');
      // Zero means "length unknown": libscap then reads the entry like a V1 one.
      if (len === 0) {
        readEntry(r, list);
        continue;
      }
      if (len < 5) r.fail(entryTooShort('user list entry', len, 5), entryStart);
      r.enterEntry('user list entry', entryStart, len, entryStart);
      readEntry(r, list);
      r.leaveEntry();
    } else {
      readEntry(r, list);
    }
  }
  return list;
}

function readEntry(r: BodyReader, list: UserList): void {
  const kind = r.u8('user list entry kind');
  if (kind === USERBLOCK_TYPE_USER) {
    const user: UserInfo = {
      uid: r.u32('uid'),
      gid: r.u32('gid'),
      name: r.string('user name', MAX_CREDENTIAL_LEN),
      homedir: r.string('user homedir', MAX_CREDENTIAL_LEN),
      shell: r.string('user shell', MAX_CREDENTIAL_LEN),
    };
    list.users.push(user);
  } else {
    const group: GroupInfo = { gid: r.u32('gid'), name: r.string('group name', MAX_CREDENTIAL_LEN) };
    list.groups.push(group);
  }
}
