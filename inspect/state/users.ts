// The capture's users and groups, as libsinsp's user/group manager keeps
// them for a savefile (falcosecurity/libs 48dfd53: userspace/libsinsp/user.cpp
// sinsp_usergroup_manager add_user/add_group/rm_user/rm_group/get_user/
// get_group): host entries keyed by id, a later entry of the same id
// updating the earlier one's name (a user's gid stays), NSS entries (names
// starting with '+' or '-') ignored.

import type { GroupInfo, UserInfo } from '../../scapfile/state-blocks/index.js';
import type { GroupView, UserView } from './lookup.js';

/**
 * The host's users and groups: the capture's user list, then what its
 * useradded, userdeleted, groupadded and groupdeleted events say (libs'
 * dumper writes the tables as such events too, and live libsinsp adds one
 * when it learns of a user during the capture).
 */
export class UserTable {
  private readonly users = new Map<number, UserView>();
  private readonly groups = new Map<number, GroupView>();
  /** An event added, changed or removed an entry: the capture's list no longer says it all. */
  private changedByEvents = false;

  constructor(users: readonly UserInfo[] = [], groups: readonly GroupInfo[] = []) {
    for (const u of users) this.putUser(u.uid, u.gid, u.name, u.homedir, u.shell);
    for (const g of groups) this.putGroup(g.gid, g.name);
  }

  user(uid: number): UserView | undefined {
    return this.users.get(uid >>> 0);
  }

  group(gid: number): GroupView | undefined {
    return this.groups.get(gid >>> 0);
  }

  /** useradded (host: no container id): a new entry, or new name, home and shell for a known uid (its gid stays). */
  addUser(uid: number, gid: number, name: string, homedir: string, shell: string): void {
    if (this.putUser(uid, gid, name, homedir, shell)) this.changedByEvents = true;
  }

  /** userdeleted (host). */
  removeUser(uid: number): void {
    if (this.users.delete(uid >>> 0)) this.changedByEvents = true;
  }

  /** groupadded (host): a new entry, or a new name for a known gid. */
  addGroup(gid: number, name: string): void {
    if (this.putGroup(gid, name)) this.changedByEvents = true;
  }

  /** groupdeleted (host). */
  removeGroup(gid: number): void {
    if (this.groups.delete(gid >>> 0)) this.changedByEvents = true;
  }

  /**
   * The entries as a user list block holds them, for a piece's state:
   * undefined while no event changed the capture's own list (which is then
   * written as it was, byte for byte).
   */
  changedLists(): { users: UserInfo[]; groups: GroupInfo[] } | undefined {
    if (!this.changedByEvents) return undefined;
    return { users: [...this.users.values()], groups: [...this.groups.values()] };
  }

  /** sinsp_usergroup_manager::add_user for the host: NSS entries ignored; true when the table changed. */
  private putUser(uid: number, gid: number, name: string, homedir: string, shell: string): boolean {
    if (isNssEntry(name)) return false;
    const id = uid >>> 0;
    const known = this.users.get(id);
    if (known !== undefined && known.name === name && known.homedir === homedir && known.shell === shell) return false;
    this.users.set(id, { uid: id, gid: known?.gid ?? gid >>> 0, name, homedir, shell });
    return true;
  }

  /** sinsp_usergroup_manager::add_group for the host: NSS entries ignored; true when the table changed. */
  private putGroup(gid: number, name: string): boolean {
    if (isNssEntry(name)) return false;
    const id = gid >>> 0;
    if (this.groups.get(id)?.name === name) return false;
    this.groups.set(id, { gid: id, name });
    return true;
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
