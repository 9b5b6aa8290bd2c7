// The capture's users and groups, as libsinsp's user/group manager keeps
// them for a savefile (falcosecurity/libs 48dfd53: userspace/libsinsp/user.cpp
// sinsp_usergroup_manager add_user/add_group/get_user/get_group): host
// entries keyed by id, a later entry of the same id updating the earlier
// one, NSS entries (names starting with '+' or '-') ignored.

import type { GroupInfo, UserInfo } from '../../scapfile/state-blocks/index.js';
import type { GroupView, UserView } from './lookup.js';

/** The host's users and groups from the capture's user list. */
export class UserTable {
  private readonly users = new Map<number, UserView>();
  private readonly groups = new Map<number, GroupView>();

  constructor(users: readonly UserInfo[] = [], groups: readonly GroupInfo[] = []) {
    for (const u of users) {
      if (isNssEntry(u.name)) continue;
      const uid = u.uid >>> 0;
      this.users.set(uid, { uid, gid: u.gid >>> 0, name: u.name, homedir: u.homedir, shell: u.shell });
    }
    for (const g of groups) {
      if (isNssEntry(g.name)) continue;
      const gid = g.gid >>> 0;
      this.groups.set(gid, { gid, name: g.name });
    }
  }

  user(uid: number): UserView | undefined {
    return this.users.get(uid >>> 0);
  }

  group(gid: number): GroupView | undefined {
    return this.groups.get(gid >>> 0);
  }
}

/**
 * user.name of `uid`: its entry in the capture's user list, else what
 * libsinsp gives an id the list lacks: 'root' for 0 (its built-in root
 * user), '<NA>' for the others.
 */
export function userNameOf(user: UserView | undefined, uid: number): string {
  return user?.name ?? (uid === 0 ? 'root' : '<NA>');
}

function isNssEntry(name: string): boolean {
  return name.startsWith('+') || name.startsWith('-');
}
